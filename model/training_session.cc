#include "model/training_session.h"

#include <filesystem>

#include "pipeline/base/error.h"
#include "model/checkpoint.h"
#include "pipeline/base/logging.h"
#include "pipeline/base/sha256.h"

namespace jsqa {
namespace fs = std::filesystem;
namespace {

constexpr int kCheckpointsKept = 2;

std::unique_ptr<torch::optim::Optimizer> MakeOptimizer(const OptimizerSettings& settings,
                                                       const std::vector<torch::Tensor>& parameters) {
  using Optimizer = OptimizerSettings::Optimizer;
  switch (settings.optimizer) {
    case Optimizer::kSgd:
      return std::make_unique<torch::optim::SGD>(
          parameters,
          torch::optim::SGDOptions(settings.learning_rate).momentum(0.9).weight_decay(settings.weight_decay));
    case Optimizer::kAdamW:
      return std::make_unique<torch::optim::AdamW>(
          parameters, torch::optim::AdamWOptions(settings.learning_rate).weight_decay(settings.weight_decay));
    case Optimizer::kAdam:
      return std::make_unique<torch::optim::Adam>(
          parameters, torch::optim::AdamOptions(settings.learning_rate).weight_decay(settings.weight_decay));
  }
  throw Error("unknown optimizer");
}

}  // namespace

TrainingSession::TrainingSession(const Config& config, const OptimizerSettings& settings, std::string out_dir,
                                 std::string settings_text)
    : settings_(settings),
      out_dir_(std::move(out_dir)),
      checkpoint_dir_((fs::path(out_dir_) / "checkpoints").string()),
      settings_text_(std::move(settings_text)) {
  const auto& runtime = config.Get<RuntimeConfig>("runtime");
  const DistributedEnv env = DistributedEnv::FromEnvironment();
  device_ = ResolveDevice(runtime.device, env.local_rank);
  const bool bf16 = runtime.mixed_precision == RuntimeConfig::MixedPrecision::kBf16;
  autocast_ = bf16 && device_.is_cuda();
  if (bf16 && !device_.is_cuda())
    JSQA_LOG(kWarn) << "runtime.mixed_precision = bf16 applies to CUDA only; training in float32 on " << device_.str();
  torch::set_num_threads(ParseThreadCount("runtime.threads", runtime.threads));
  distributed_ = std::make_unique<Distributed>(env, device_, std::chrono::seconds(runtime.timeout_seconds));
  if (env.world > 1)
    JSQA_LOG(kInfo) << "rank " << env.rank << " of " << env.world << " on " << device_.str() << ", master "
                    << env.master_addr << ":" << env.master_port;
}

int64_t TrainingSession::RankBatchSize() const {
  const int world = distributed_->world();
  if (settings_.batch_size % world != 0)
    throw UsageError("batch_size = " + std::to_string(settings_.batch_size) + " over " + std::to_string(world) +
                     " ranks: allowed: a multiple of the number of ranks");
  return settings_.batch_size / world;
}

void TrainingSession::Start(torch::nn::Module& model, int64_t total_steps,
                            const std::vector<std::string>& metric_columns) {
  model_ = &model;
  total_steps_ = total_steps;
  for (const auto& parameter : model.parameters())
    if (parameter.requires_grad()) parameters_.push_back(parameter);
  buffers_ = model.buffers();
  // Every rank starts from rank 0's weights, whatever its RNG did.
  std::vector<torch::Tensor> state = model.parameters();
  state.insert(state.end(), buffers_.begin(), buffers_.end());
  distributed_->Broadcast(state);
  optimizer_ = MakeOptimizer(settings_, parameters_);
  reducer_ = std::make_unique<GradientReducer>(*distributed_, parameters_);

  const std::string latest = LatestCheckpoint(checkpoint_dir_);
  if (!latest.empty()) {
    const CheckpointState saved = LoadCheckpoint(latest, model, *optimizer_, device_);
    if (saved.config != settings_text_)
      throw Error(latest + ": made with other settings; remove " + checkpoint_dir_ + " or use another output folder");
    step_ = saved.step;
    progress_ = saved.progress;
    JSQA_LOG(kInfo) << "resuming from " << latest << " at step " << step_ << " of " << total_steps_;
  }
  if (is_main()) {
    fs::create_directories(checkpoint_dir_);
    metrics_ = std::make_unique<MetricsLog>((fs::path(out_dir_) / "metrics.csv").string(), metric_columns, step_);
  }
}

bool TrainingSession::CheckpointAfterStep() const {
  return (step_ + 1) % settings_.checkpoint_every == 0 || step_ + 1 >= total_steps_;
}

double TrainingSession::learning_rate() const { return settings_.LearningRateAt(step_, total_steps_); }

void TrainingSession::Step(const torch::Tensor& loss) {
  const double rate = learning_rate();
  for (auto& group : optimizer_->param_groups()) group.options().set_lr(rate);
  optimizer_->zero_grad();
  reducer_->Prepare();
  loss.backward();  // the gradient buckets' all-reduces start as they fill
  reducer_->Finish();
  optimizer_->step();
  checkpoint_due_ = CheckpointAfterStep();
  ++step_;
}

void TrainingSession::FinishStep(bool force_checkpoint) {
  if (checkpoint_due_ || force_checkpoint) {
    SyncBuffers();  // every rank, so a resumed run's ranks hold what these hold
    Checkpoint();
  }
  checkpoint_due_ = false;
}

void TrainingSession::SyncBuffers() { distributed_->Broadcast(buffers_); }

void TrainingSession::Checkpoint() {
  if (!is_main()) return;
  CheckpointState state;
  state.step = step_;
  state.config = settings_text_;
  state.progress = progress_;
  SaveCheckpoint(CheckpointPath(checkpoint_dir_, step_), *model_, *optimizer_, state);
  PruneCheckpoints(checkpoint_dir_, kCheckpointsKept);
}

double TrainingSession::MeanOverRanks(double value) {
  return MeanOverRanks(torch::tensor({value}, torch::dtype(torch::kDouble)));
}

double TrainingSession::MeanOverRanks(const torch::Tensor& value) {
  torch::Tensor sum = value.detach().to(device_, torch::kDouble).reshape({1});
  distributed_->AllReduceSum(sum);
  return sum.item<double>() / distributed_->world();
}

std::string TrainingSession::Finish(const std::string& stage) {
  SyncBuffers();
  Sha256 digest;
  std::vector<torch::Tensor> state = model_->parameters();
  for (const auto& buffer : model_->buffers()) state.push_back(buffer);
  for (const auto& tensor : state) {
    const torch::Tensor bytes = tensor.detach().cpu().contiguous();
    digest.Update(bytes.data_ptr(), bytes.numel() * bytes.element_size());
  }
  const std::string hex = digest.HexDigest();
  JSQA_LOG(kInfo) << stage << ": rank " << distributed_->rank() << " of " << distributed_->world()
                  << " ends with model sha256 " << hex;
  distributed_->Barrier();
  return hex;
}

}  // namespace jsqa
