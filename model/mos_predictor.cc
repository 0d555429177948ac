#include "model/mos_predictor.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "pipeline/base/error.h"

namespace jsqa {

MosPredictor::MosPredictor(MosModel model, const torch::Device& device, int batch_size, int64_t max_batch_samples,
                           int64_t long_clip_samples)
    : model_(std::move(model)),
      device_(device),
      batch_size_(batch_size),
      max_batch_samples_(max_batch_samples),
      long_clip_samples_(long_clip_samples) {
  JSQA_CHECK(batch_size >= 1, "predictor batch size ", batch_size, ": need >= 1");
  model_->to(device_);
  model_->eval();
}

std::vector<double> MosPredictor::Predict(const std::vector<std::vector<float>>& clips) {
  torch::NoGradGuard no_grad;
  std::vector<size_t> order(clips.size());
  std::iota(order.begin(), order.end(), 0);
  // Longest first: a batch's padding is at most its first clip's length.
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) { return clips[x].size() > clips[y].size(); });
  std::vector<double> scores(clips.size());
  size_t begin = 0;
  for (; begin < order.size() && static_cast<int64_t>(clips[order[begin]].size()) > long_clip_samples_; ++begin) {
    const auto& clip = clips[order[begin]];
    const torch::Tensor samples =
        torch::from_blob(const_cast<float*>(clip.data()), {static_cast<int64_t>(clip.size())}).to(device_);
    // Windows of half the long-clip length, each with its context.
    const torch::Tensor embedding = model_->encoder->LongClipEmbedding(samples, long_clip_samples_ / 2);
    scores[order[begin]] = model_->head(embedding.unsqueeze(0)).to(torch::kDouble).cpu()[0].item<double>();
  }
  while (begin < order.size()) {
    const int64_t longest = std::max<int64_t>(1, static_cast<int64_t>(clips[order[begin]].size()));
    size_t end = begin + 1;
    while (end < order.size() && end - begin < static_cast<size_t>(batch_size_) &&
           static_cast<int64_t>(end - begin + 1) * longest <= max_batch_samples_)
      ++end;
    const int64_t rows = static_cast<int64_t>(end - begin);
    torch::Tensor waveforms = torch::zeros({rows, longest});  // [rows, longest] zero-padded
    torch::Tensor lengths = torch::empty({rows}, torch::kLong);
    for (int64_t r = 0; r < rows; ++r) {
      const auto& clip = clips[order[begin + r]];
      JSQA_CHECK(!clip.empty(), "an empty clip has no score");
      waveforms[r].narrow(0, 0, static_cast<int64_t>(clip.size()))
          .copy_(torch::from_blob(const_cast<float*>(clip.data()), {static_cast<int64_t>(clip.size())}));
      lengths[r] = static_cast<int64_t>(clip.size());
    }
    const torch::Tensor mos = model_(waveforms.to(device_), lengths.to(device_)).to(torch::kDouble).cpu();
    for (int64_t r = 0; r < rows; ++r) scores[order[begin + r]] = mos[r].item<double>();
    begin = end;
  }
  return scores;
}

std::vector<FileScore> ScoreFiles(MosPredictor& predictor, const std::vector<std::string>& paths,
                                  const AudioConfig& audio, const std::function<void(int64_t)>& progress) {
  constexpr size_t kChunk = 32;  // files decoded and held at once
  std::vector<FileScore> scores(paths.size());
  for (size_t begin = 0; begin < paths.size(); begin += kChunk) {
    const size_t end = std::min(paths.size(), begin + kChunk);
    std::vector<std::vector<float>> clips(end - begin);
    tbb::parallel_for(begin, end, [&](size_t i) {
      scores[i].path = paths[i];
      try {
        clips[i - begin] = audio.LoadMono(paths[i]);
        scores[i].seconds = static_cast<double>(clips[i - begin].size()) / audio.sample_rate;
      } catch (const Error& error) {
        scores[i].error = error.what();
      }
    });
    std::vector<std::vector<float>> readable;
    std::vector<size_t> index;
    for (size_t i = begin; i < end; ++i) {
      if (!scores[i].error.empty()) continue;
      readable.push_back(std::move(clips[i - begin]));
      index.push_back(i);
    }
    const std::vector<double> mos = predictor.Predict(readable);
    for (size_t i = begin; i < end; ++i) scores[i].mos = std::numeric_limits<double>::quiet_NaN();
    for (size_t k = 0; k < index.size(); ++k) scores[index[k]].mos = mos[k];
    if (progress) progress(static_cast<int64_t>(end - begin));
  }
  return scores;
}

}  // namespace jsqa
