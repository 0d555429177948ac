#include "model/pretrain.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iomanip>
#include <optional>

#include "pipeline/base/error.h"
#include "model/jsqa_models.h"
#include "model/loss_window.h"
#include "model/nt_xent.h"
#include "pipeline/base/prefetcher.h"
#include "model/training_session.h"
#include "pipeline/base/logging.h"
#include "pipeline/reports/plot.h"
#include "pipeline/reports/smoothing.h"
#include "pipeline/base/progress.h"

namespace jsqa {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::duration duration) { return std::chrono::duration<double>(duration).count(); }

// Where each rank is in its data: epoch and batches taken in it. Stored
// with checkpoints for every rank, so a resumed run reads what it would have.
struct DataPosition {
  int64_t epoch = 0;
  int64_t batch = 0;
};

// This rank's endless stream of batches: pass after pass over the data.
class EpochStream {
 public:
  EpochStream(const PairBatchOpener& open, int64_t batch_size, const RankSlice& slice, DataPosition start)
      : open_(open), batch_size_(batch_size), slice_(slice), position_(start) {}

  void Next(PairBatch& batch) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (!source_) {
        source_ = open_(position_.epoch, batch_size_, slice_);
        source_->Skip(position_.batch);
      }
      if (source_->Next(batch) && batch.size == batch_size_) {
        ++position_.batch;
        return;
      }
      source_.reset();  // a pass ends (a partial last batch is dropped)
      ++position_.epoch;
      position_.batch = 0;
    }
    throw Error("pretrain: rank " + std::to_string(slice_.rank) + " has fewer than " + std::to_string(batch_size_) +
                " pairs in a pass: more data, or a smaller pretrain.batch_size");
  }

  const DataPosition& position() const { return position_; }

 private:
  const PairBatchOpener& open_;
  const int64_t batch_size_;
  const RankSlice slice_;
  DataPosition position_;
  std::unique_ptr<PairBatchSource> source_;
};

// Every rank's data position, gathered (for rank 0's checkpoint).
nlohmann::json GatherPositions(TrainingSession& session, const DataPosition& own) {
  Distributed& distributed = session.distributed();
  torch::Tensor table = torch::zeros({distributed.world(), 2}, torch::dtype(torch::kLong).device(session.device()));
  table[distributed.rank()][0] = own.epoch;
  table[distributed.rank()][1] = own.batch;
  distributed.AllReduceSum(table);
  table = table.cpu();
  nlohmann::json positions = nlohmann::json::array();
  for (int r = 0; r < distributed.world(); ++r)
    positions.push_back({table[r][0].item<int64_t>(), table[r][1].item<int64_t>()});
  return positions;
}

DataPosition SavedPosition(const nlohmann::json& progress, const Distributed& distributed) {
  if (!progress.contains("positions")) return {};
  const auto& positions = progress["positions"];
  if (static_cast<int>(positions.size()) != distributed.world()) {
    // Another split of the data: the ranks' batch counts do not carry over,
    // so every rank starts the pass after the furthest one any rank reached
    // (never replaying a pass's order).
    int64_t reached = 0;
    for (const auto& position : positions) reached = std::max(reached, position.at(0).get<int64_t>());
    JSQA_LOG(kWarn) << "pretrain: checkpoint from " << positions.size() << " ranks, now " << distributed.world()
                    << ": the data restarts at the next pass (" << reached + 1 << ")";
    return {reached + 1, 0};
  }
  return {positions[distributed.rank()][0].get<int64_t>(), positions[distributed.rank()][1].get<int64_t>()};
}

// A batch made ready on the prefetch thread: both views of each pair as
// one [2B, samples] tensor (so batch norm sees them together), in pinned
// memory on CUDA so that the copy to the GPU runs asynchronously; with the
// data position after it, which a checkpoint taken after its step saves.
struct ReadyBatch {
  torch::Tensor waveforms;
  int64_t size = 0;  // B
  DataPosition position;
};

ReadyBatch PrepareBatch(EpochStream& stream, bool pin) {
  PairBatch batch;
  stream.Next(batch);
  ReadyBatch ready;
  ready.size = batch.size;
  ready.waveforms = torch::empty({2 * batch.size, batch.samples}, torch::dtype(torch::kFloat).pinned_memory(pin));
  float* rows = ready.waveforms.data_ptr<float>();
  std::copy(batch.a.begin(), batch.a.end(), rows);
  std::copy(batch.b.begin(), batch.b.end(), rows + batch.a.size());
  ready.position = stream.position();
  return ready;
}

}  // namespace

nlohmann::json RunPretraining(const Config& config, const std::string& out_dir, const PairBatchOpener& open_batches,
                              const DataCheck& check_data) {
  const auto& model_config = config.Get<ModelConfig>("model");
  const auto& pretrain = config.Get<PretrainConfig>("pretrain");
  TrainingSession session(config, pretrain.optimization, out_dir, config.CacheKeyText({"model", "pretrain"}));
  Distributed& distributed = session.distributed();
  const int64_t rank_batch = session.RankBatchSize();
  if (check_data) {  // after the session's rendezvous; no rank reads a batch before every rank's share passed
    std::string failure;
    try {
      check_data(RankSlice{distributed.rank(), distributed.world()});
    } catch (const std::exception& error) {
      failure = error.what();
    }
    // Every rank ends with the line that names what is wrong, not only the
    // rank whose share it was.
    failure = distributed.FirstFailure(failure);
    if (!failure.empty()) throw Error(failure);
  }

  torch::manual_seed(pretrain.optimization.seed);
  PretrainModel model(model_config);
  model->to(session.device());
  model->train();
  session.Start(*model, pretrain.steps, {"epoch", "loss", "learning_rate", "pairs_per_second", "data_wait_fraction"});
  const int64_t parameters = CountParameters(*model->encoder);
  if (session.is_main())
    JSQA_LOG(kInfo) << "pretrain: encoder " << parameters << " parameters, "
                    << std::setprecision(3) << 2e-9 * model->encoder->MacsPerSecond() << std::setprecision(6)
                    << " GFLOP per second of audio (forward); "
                    << pretrain.steps << " steps of " << pretrain.optimization.batch_size << " pairs on "
                    << distributed.world() << " rank(s)";

  EpochStream stream(open_batches, rank_batch, RankSlice{distributed.rank(), distributed.world()},
                     SavedPosition(session.progress(), distributed));
  // Two batches ahead; only the prefetch thread touches the stream.
  Prefetcher<ReadyBatch> batches([&stream, pin = session.device().is_cuda()] { return PrepareBatch(stream, pin); },
                                 /*depth=*/2);
  std::optional<Progress> progress;
  if (session.is_main()) progress.emplace("pretrain", session.total_steps() - session.step(), "steps");
  const bool gather = pretrain.gather_negatives && distributed.world() > 1;
  // Losses stay on the device (LossWindow) and are read once per row; with
  // gathered negatives every rank's loss is already the global batch's.
  const auto read_loss = [&](const torch::Tensor& loss) {
    return gather ? loss.item<double>() : session.MeanOverRanks(loss);
  };
  LossWindow window;
  double window_wait = 0, first_loss = -1;
  torch::Tensor last_loss;
  Clock::time_point window_start = Clock::now();
  const Clock::time_point start = window_start;
  const int64_t start_step = session.step();
  double total_wait = 0;
  while (!session.done()) {
    const Clock::time_point wait_start = Clock::now();
    ReadyBatch batch = batches.Next();
    const double wait = Seconds(Clock::now() - wait_start);
    window_wait += wait;
    total_wait += wait;

    const torch::Tensor waveforms = batch.waveforms.to(session.device(), /*non_blocking=*/true);
    torch::Tensor z;  // [2B, contrastive_size]
    {
      AutocastScope autocast(session.device(), session.autocast());
      z = model(waveforms);
    }
    z = z.to(torch::kFloat);  // the loss in float32 whatever the encoder ran in
    torch::Tensor a = z.narrow(0, 0, batch.size), b = z.narrow(0, batch.size, batch.size);
    if (gather) {  // every rank computes the loss of the whole global batch
      a = distributed.AllGatherWithGrad(a);
      b = distributed.AllGatherWithGrad(b);
    }
    const torch::Tensor loss = NtXentLoss(a, b, pretrain.temperature);
    const double rate = session.learning_rate();
    if (session.CheckpointAfterStep())  // a collective: only when a checkpoint needs it
      session.progress()["positions"] = GatherPositions(session, batch.position);
    session.Step(loss);
    window.Add(loss);
    last_loss = loss.detach();
    if (first_loss < 0) first_loss = read_loss(last_loss);  // once, for the summary
    if (progress) progress->Advance(1);
    if (session.step() % pretrain.optimization.log_every == 0 || session.done()) {
      const int64_t steps = window.steps();
      const double mean_loss = read_loss(window.TakeMean());
      const double elapsed = Seconds(Clock::now() - window_start);
      const double wait_fraction = session.MeanOverRanks(window_wait / std::max(elapsed, 1e-9));
      if (session.is_main())
        session.metrics().Append(session.step(), {{"epoch", double(batch.position.epoch)},
                                                  {"loss", mean_loss},
                                                  {"learning_rate", rate},
                                                  {"pairs_per_second", steps * pretrain.optimization.batch_size / elapsed},
                                                  {"data_wait_fraction", wait_fraction}});
      window_wait = 0;
      window_start = Clock::now();
    }
    session.FinishStep();
  }
  if (progress) progress->Finish();

  const double elapsed = Seconds(Clock::now() - start);
  const int64_t steps_run = session.step() - start_step;
  nlohmann::json summary = {{"steps", session.step()},
                            {"steps_this_run", steps_run},
                            {"ranks", distributed.world()},
                            {"encoder_parameters", parameters},
                            {"encoder_gflops_per_audio_second", 2e-9 * model->encoder->MacsPerSecond()},
                            {"first_loss", first_loss},
                            {"last_loss", last_loss.defined() ? read_loss(last_loss) : -1.0},
                            {"pairs_per_second", steps_run * pretrain.optimization.batch_size / std::max(elapsed, 1e-9)},
                            {"data_wait_fraction", session.MeanOverRanks(total_wait / std::max(elapsed, 1e-9))}};
  if (session.is_main()) {
    SaveEncoderFile((fs::path(out_dir) / "encoder.pt").string(), model->encoder);
    const PlotSeries loss = session.metrics().Series("loss", "NT-Xent loss");
    if (!loss.y.empty()) {
      summary["first_logged_loss"] = loss.y.front();
      summary["last_logged_loss"] = loss.y.back();
    }
    // loss.png and loss.svg: the logged loss thin, its moving average over it.
    WriteLinePlot((fs::path(out_dir) / "loss.png").string(), RawAndSmoothed(loss, 0),
                  PlotOptions{"pretraining loss", {"step"}, {"NT-Xent loss"}});
  }
  summary["model_sha256"] = session.Finish("pretrain");
  return summary;
}

}  // namespace jsqa
