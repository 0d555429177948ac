#include "model/finetune.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <future>
#include <iomanip>
#include <limits>
#include <numeric>
#include <optional>

#include "augment/counter_rng.h"
#include "pipeline/base/error.h"
#include "model/jsqa_models.h"
#include "model/loss_window.h"
#include "model/mos_predictor.h"
#include "model/training_session.h"
#include "pipeline/synthesis/audio_config.h"
#include "pipeline/base/logging.h"
#include "pipeline/reports/mos_metrics.h"
#include "pipeline/reports/plot.h"
#include "pipeline/reports/smoothing.h"
#include "pipeline/base/progress.h"

namespace jsqa {
namespace fs = std::filesystem;
namespace {

// One rank's training batch: crops zero-padded to the segment length.
struct CropBatch {
  torch::Tensor waveforms;  // [B, segment samples]
  torch::Tensor lengths;    // [B] valid samples (shorter clips are padded)
  torch::Tensor mos;        // [B]
};

// Which clips train at each step: a permutation of the training set per
// epoch, drawn from (seed, epoch); global batch k of the epoch is rows
// [k·G, (k+1)·G) and this rank's part rows [rank·B, (rank+1)·B) of it.
// Everything follows from the step number, so resuming needs no state.
class CropBatches {
 public:
  CropBatches(const std::vector<MosClip>& clips, const AudioConfig& audio, const FinetuneConfig& settings,
              int64_t rank_batch, int rank, int world)
      : clips_(clips),
        audio_(audio),
        seed_(settings.optimization.seed),
        segment_(std::llround(settings.segment_seconds * audio.sample_rate)),
        rank_batch_(rank_batch),
        rank_(rank),
        world_(world),
        steps_per_epoch_(static_cast<int64_t>(clips.size()) / (rank_batch * world)) {
    if (steps_per_epoch_ < 1)
      throw UsageError("finetune.batch_size = " + std::to_string(rank_batch * world) + " but only " +
                       std::to_string(clips.size()) + " training clips: allowed: at most the number of clips");
  }

  int64_t steps_per_epoch() const { return steps_per_epoch_; }

  CropBatch Load(int64_t step) const {
    const int64_t epoch = step / steps_per_epoch_;
    const std::vector<size_t> order = Permutation(epoch);
    const int64_t first = ((step % steps_per_epoch_) * world_ + rank_) * rank_batch_;
    CropBatch batch{torch::zeros({rank_batch_, segment_}), torch::empty({rank_batch_}, torch::kLong),
                    torch::empty({rank_batch_}, torch::kFloat)};
    tbb::parallel_for(int64_t{0}, rank_batch_, [&](int64_t row) {
      const MosClip& clip = clips_[order[first + row]];
      std::vector<float> samples = audio_.LoadMono(clip.path);
      int64_t offset = 0, length = static_cast<int64_t>(samples.size());
      if (length > segment_) {
        CounterRng rng(seed_, MixKeys(StableHash64(clip.id), static_cast<uint64_t>(epoch)));
        offset = static_cast<int64_t>(rng.UniformInt(static_cast<uint64_t>(length - segment_ + 1)));
        length = segment_;
      }
      batch.waveforms[row].narrow(0, 0, length).copy_(torch::from_blob(samples.data() + offset, {length}));
      batch.lengths[row] = length;
      batch.mos[row] = static_cast<float>(clip.mos);
    });
    return batch;
  }

 private:
  std::vector<size_t> Permutation(int64_t epoch) const {
    std::vector<size_t> order(clips_.size());
    std::iota(order.begin(), order.end(), 0);
    CounterRng rng(seed_, MixKeys(StableHash64("finetune-order"), static_cast<uint64_t>(epoch)));
    for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.UniformInt(i)]);
    return order;
  }

  const std::vector<MosClip>& clips_;
  const AudioConfig& audio_;
  const uint64_t seed_;
  const int64_t segment_, rank_batch_;
  const int rank_, world_;
  const int64_t steps_per_epoch_;
};

// Scores of the validation clips, split over the ranks and summed back.
std::vector<double> PredictOnAllRanks(MosModel& model, TrainingSession& session, const std::vector<MosClip>& clips,
                                      const AudioConfig& audio) {
  Distributed& distributed = session.distributed();
  std::vector<std::string> paths;
  std::vector<size_t> mine;
  for (size_t i = distributed.rank(); i < clips.size(); i += distributed.world()) {
    paths.push_back(clips[i].path);
    mine.push_back(i);
  }
  MosPredictor predictor(model, session.device(), 8);
  const auto scores = ScoreFiles(predictor, paths, audio);
  model->train();
  torch::Tensor all = torch::zeros({static_cast<int64_t>(clips.size())}, torch::kDouble);
  for (size_t k = 0; k < mine.size(); ++k) {
    if (!scores[k].error.empty()) JSQA_LOG(kWarn) << "finetune: validation skips " << scores[k].error;
    all[static_cast<int64_t>(mine[k])] = scores[k].mos;  // NaN when unreadable
  }
  all = all.to(session.device());
  distributed.AllReduceSum(all);
  all = all.cpu();
  return std::vector<double>(all.data_ptr<double>(), all.data_ptr<double>() + all.numel());
}

nlohmann::json MetricsJson(const MosMetrics& metrics) {
  return {{"count", metrics.count}, {"rmse", metrics.rmse}, {"mae", metrics.mae},
          {"pcc", metrics.pcc},     {"srcc", metrics.srcc}, {"rmse_map", metrics.rmse_map}};
}

}  // namespace

nlohmann::json RunFinetuning(const Config& config, const std::string& out_dir, const std::vector<MosClip>& train,
                             const std::vector<MosClip>& validation, const std::string& pretrained) {
  const auto& model_config = config.Get<ModelConfig>("model");
  const auto& settings = config.Get<FinetuneConfig>("finetune");
  const auto& audio = config.Get<AudioConfig>("audio");
  TrainingSession session(config, settings.optimization, out_dir,
                          config.CacheKeyText({"model", "finetune", "audio"}) + "pretrained encoder: " + pretrained);
  Distributed& distributed = session.distributed();
  const CropBatches batches(train, audio, settings, session.RankBatchSize(), distributed.rank(), distributed.world());
  const int64_t total_steps = settings.epochs * batches.steps_per_epoch();

  torch::manual_seed(settings.optimization.seed);
  const EncoderOptions encoder_options = EncoderOptionsFrom(model_config);
  MosModel model(encoder_options);
  if (!pretrained.empty()) LoadEncoderFile(pretrained, model->encoder);
  switch (settings.encoder) {
    case FinetuneConfig::EncoderTraining::kTrained:
      break;
    case FinetuneConfig::EncoderTraining::kFrozen:
      model->encoder->FreezeLayers(model->encoder->layers());
      break;
    case FinetuneConfig::EncoderTraining::kPartial:
      model->encoder->FreezeLayers(std::max<int64_t>(0, model->encoder->layers() - settings.trainable_layers));
      break;
  }
  model->to(session.device());
  model->train();
  session.Start(*model, total_steps, {"epoch", "loss", "learning_rate", "val_rmse", "val_pcc", "val_srcc"});
  nlohmann::json& progress_state = session.progress();
  if (session.is_main())
    JSQA_LOG(kInfo) << "finetune: " << train.size() << " training clips, " << validation.size() << " validation; "
                    << settings.epochs << " epochs of " << batches.steps_per_epoch() << " steps; encoder "
                    << (pretrained.empty() ? "from scratch" : "from " + pretrained) << ", " << settings.Text("encoder");

  const std::string model_path = (fs::path(out_dir) / "model.pt").string();
  std::optional<Progress> progress;
  if (session.is_main()) progress.emplace("finetune", total_steps - session.step(), "steps");
  LossWindow window;
  // The next batch is decoded on a background thread while this one trains;
  // on CUDA into pinned memory, so that its copy to the GPU is asynchronous.
  const bool pin = session.device().is_cuda();
  const auto load = [&](int64_t step) {
    CropBatch loaded = batches.Load(step);
    if (pin) loaded.waveforms = loaded.waveforms.pin_memory();
    return loaded;
  };
  std::future<CropBatch> next = std::async(std::launch::async, load, session.step());
  while (!session.done()) {
    CropBatch batch = next.get();
    if (session.step() + 1 < total_steps) next = std::async(std::launch::async, load, session.step() + 1);
    torch::Tensor predicted;
    {
      AutocastScope autocast(session.device(), session.autocast());
      predicted = model(batch.waveforms.to(session.device(), /*non_blocking=*/true),
                        batch.lengths.to(session.device()));
    }
    const torch::Tensor loss = torch::mse_loss(predicted.to(torch::kFloat), batch.mos.to(session.device()));
    const double rate = session.learning_rate();
    const bool epoch_ends = (session.step() + 1) % batches.steps_per_epoch() == 0;
    session.Step(loss);
    window.Add(loss);
    if (progress) progress->Advance(1);
    std::map<std::string, double> row;
    if (epoch_ends && !validation.empty()) {
      session.SyncBuffers();  // evaluation mode reads the running statistics
      const std::vector<double> scores = PredictOnAllRanks(model, session, validation, audio);
      std::vector<double> scored, target;  // the readable clips
      for (size_t i = 0; i < validation.size(); ++i) {
        if (std::isnan(scores[i])) continue;
        scored.push_back(scores[i]);
        target.push_back(validation[i].mos);
      }
      const MosMetrics metrics = ComputeMosMetrics(scored, target);
      row = {{"val_rmse", metrics.rmse}, {"val_pcc", metrics.pcc}, {"val_srcc", metrics.srcc}};
      const int64_t epoch = session.step() / batches.steps_per_epoch();
      const bool best = !progress_state.contains("best_val_rmse") ||
                        metrics.rmse < progress_state["best_val_rmse"].get<double>();
      if (best) {
        progress_state["best_val_rmse"] = metrics.rmse;
        progress_state["best_epoch"] = epoch;
        progress_state["best_validation"] = MetricsJson(metrics);
      }
      progress_state["last_validation"] = MetricsJson(metrics);
      if (session.is_main()) {
        JSQA_LOG(kInfo) << "finetune: epoch " << epoch << std::setprecision(4) << " validation RMSE " << metrics.rmse
                        << ", PCC " << metrics.pcc << (best ? " (best so far)" : "");
        if (best && settings.select == FinetuneConfig::Select::kBest) SaveMosModelFile(model_path, model, encoder_options);
      }
    }
    if (session.step() % settings.optimization.log_every == 0 || epoch_ends || session.done()) {
      const double mean_loss = session.MeanOverRanks(window.TakeMean());  // the window's one host read
      if (session.is_main()) {
        row["epoch"] = double(session.step()) / batches.steps_per_epoch();
        row["loss"] = mean_loss;
        row["learning_rate"] = rate;
        session.metrics().Append(session.step(), row);
      }
    }
    // After the row: the checkpoint of an epoch's last step holds the
    // validation verdict and its row.
    session.FinishStep(epoch_ends && !validation.empty());
  }
  if (progress) progress->Finish();

  nlohmann::json summary = {{"steps", session.step()},
                            {"epochs", settings.epochs},
                            {"train_clips", train.size()},
                            {"validation_clips", validation.size()},
                            {"pretrained", pretrained.empty() ? "none (scratch)" : pretrained},
                            {"encoder", settings.Text("encoder")},
                            {"select", settings.Text("select")}};
  for (const char* key : {"best_epoch", "best_validation", "last_validation"})
    if (progress_state.contains(key)) summary[key] = progress_state[key];
  if (session.is_main()) {
    if (settings.select == FinetuneConfig::Select::kLast || !fs::exists(model_path)) SaveMosModelFile(model_path, model, encoder_options);
    const PlotSeries loss = session.metrics().Series("loss", "training MSE");
    if (!loss.y.empty()) summary["last_logged_loss"] = loss.y.back();
    // curves.png and curves.svg: training MSE raw and smoothed, validation
    // RMSE once per epoch.
    std::vector<PlotSeries> curves = RawAndSmoothed(loss, 0);
    curves.push_back(session.metrics().Series("val_rmse", "validation RMSE"));
    curves.back().color = 1;
    WriteLinePlot((fs::path(out_dir) / "curves.png").string(), curves,
                  PlotOptions{"fine-tuning", {"step"}, {"MSE / RMSE"}});
  }
  summary["model_sha256"] = session.Finish("finetune");
  return summary;
}

}  // namespace jsqa
