#include "model/encoder.h"

#include "pipeline/base/error.h"

namespace jsqa {

EncoderImpl::EncoderImpl(const EncoderOptions& options) : options_(options) {
  JSQA_CHECK(!options.channels().empty() && options.channels().size() == options.strides().size(),
             "encoder: channels and strides need the same, non-zero number of entries (",
             options.channels().size(), " vs ", options.strides().size(), ")");
  JSQA_CHECK(options.kernel_size() % 2 == 1, "encoder: kernel_size must be odd, got ", options.kernel_size());
  int64_t in_channels = 1;
  for (size_t i = 0; i < options.channels().size(); ++i) {
    const int64_t out_channels = options.channels()[i];
    // No bias: batch norm's shift makes it redundant.
    convs_.push_back(register_module(
        "conv" + std::to_string(i),
        torch::nn::Conv1d(torch::nn::Conv1dOptions(in_channels, out_channels, options.kernel_size())
                              .stride(options.strides()[i])
                              .padding(options.kernel_size() / 2)
                              .bias(false))));
    norms_.push_back(register_module("norm" + std::to_string(i), torch::nn::BatchNorm1d(out_channels)));
    in_channels = out_channels;
  }
}

void EncoderImpl::FreezeLayers(int64_t count) {
  frozen_layers_ = std::min<int64_t>(count, layers());
  for (int64_t i = 0; i < frozen_layers_; ++i) {
    for (auto& parameter : convs_[i]->parameters()) parameter.set_requires_grad(false);
    for (auto& parameter : norms_[i]->parameters()) parameter.set_requires_grad(false);
  }
  train(is_training());
}

void EncoderImpl::train(bool on) {
  torch::nn::Module::train(on);
  for (int64_t i = 0; i < frozen_layers_; ++i) norms_[i]->eval();
}

torch::Tensor EncoderImpl::OutputLengths(const torch::Tensor& lengths) const {
  torch::Tensor out = lengths;
  const int64_t padding = options_.kernel_size() / 2;
  for (int64_t stride : options_.strides())
    out = torch::floor_divide(out + 2 * padding - options_.kernel_size(), stride) + 1;
  return out;
}

torch::Tensor EncoderImpl::MaskedFrames(const torch::Tensor& waveform, const torch::Tensor& lengths) {
  torch::Tensor x = waveform.unsqueeze(1);  // [batch, 1, samples]
  torch::Tensor valid = lengths.to(torch::kLong).to(x.device());
  const int64_t padding = options_.kernel_size() / 2;
  for (size_t i = 0; i < convs_.size(); ++i) {
    x = torch::leaky_relu(norms_[i]->forward(convs_[i]->forward(x)), options_.negative_slope());
    valid = torch::floor_divide(valid + 2 * padding - options_.kernel_size(), options_.strides()[i]) + 1;
    // [batch, 1, frames]: zero past each clip's end, as a lone clip's padding would be.
    const torch::Tensor mask =
        (torch::arange(x.size(2), valid.options()).unsqueeze(0) < valid.unsqueeze(1)).unsqueeze(1).to(x.dtype());
    x = x * mask;
  }
  return x;
}

torch::Tensor EncoderImpl::forward(const torch::Tensor& waveform, const torch::Tensor& lengths) {
  JSQA_CHECK(waveform.dim() == 2, "encoder input must be [batch, samples], got ", waveform.dim(), " dims");
  if (!lengths.defined()) {  // all valid: no masking to do
    torch::Tensor x = waveform.unsqueeze(1);  // [batch, 1, samples]
    for (size_t i = 0; i < convs_.size(); ++i)
      x = torch::leaky_relu(norms_[i]->forward(convs_[i]->forward(x)), options_.negative_slope());
    return x.mean(2);  // [batch, channels]
  }
  const torch::Tensor frames = OutputLengths(lengths.to(torch::kLong)).clamp_min(1).to(waveform.device());
  return MaskedFrames(waveform, lengths).sum(2) / frames.to(waveform.dtype()).unsqueeze(1);  // mean over valid frames
}

torch::Tensor EncoderImpl::LongClipEmbedding(const torch::Tensor& clip, int64_t chunk_samples) {
  JSQA_CHECK(!is_training(), "LongClipEmbedding needs evaluation mode (batch norm from running statistics)");
  const int64_t length = clip.size(0);
  // Total stride S, and the receptive field's reach R in samples on each
  // side of an output frame: every layer adds kernel/2 of its input frames.
  int64_t stride = 1, reach = 0;
  for (int64_t s : options_.strides()) {
    reach += (options_.kernel_size() / 2) * stride;
    stride *= s;
  }
  const auto round_up = [&](int64_t n) { return (n + stride - 1) / stride * stride; };
  const int64_t context = round_up(reach), chunk = round_up(std::max<int64_t>(chunk_samples, stride));
  const int64_t valid_frames = OutputLengths(torch::tensor({length}, torch::kLong)).item<int64_t>();
  torch::Tensor sum = torch::zeros({embedding_size()}, clip.options());
  // Windows start at multiples of S, so their frames line up with the whole
  // clip's; a window reaching the clip's end is masked there as the clip is.
  for (int64_t begin = 0; begin < length; begin += chunk) {
    const int64_t window_begin = std::max<int64_t>(0, begin - context);
    const int64_t window_end = std::min(length, begin + chunk + context);
    const torch::Tensor frames = MaskedFrames(clip.slice(0, window_begin, window_end).unsqueeze(0),
                                              torch::tensor({window_end - window_begin}, torch::kLong))[0];
    const int64_t first = begin / stride, last = std::min(valid_frames, (begin + chunk) / stride);
    if (last > first) sum += frames.slice(1, first - window_begin / stride, last - window_begin / stride).sum(1);
  }
  return sum / static_cast<double>(std::max<int64_t>(valid_frames, 1));
}

double EncoderImpl::MacsPerSecond(int sample_rate) const {
  double frames = sample_rate;
  double macs = 0.0;
  int64_t in_channels = 1;
  for (size_t i = 0; i < options_.channels().size(); ++i) {
    frames /= static_cast<double>(options_.strides()[i]);
    macs += frames * static_cast<double>(in_channels * options_.channels()[i] * options_.kernel_size());
    in_channels = options_.channels()[i];
  }
  return macs;
}

int64_t CountParameters(const torch::nn::Module& module) {
  int64_t count = 0;
  for (const auto& parameter : module.parameters()) count += parameter.numel();
  return count;
}

}  // namespace jsqa
