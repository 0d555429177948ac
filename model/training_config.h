// Config sections of the model and its training stages (no torch here, so
// config tools and tests stay cheap to build):
//   [model]     encoder and heads
//   [pretrain]  contrastive pretraining on JND pairs
//   [finetune]  MOS regression on NISQA
//   [evaluate]  metrics on the NISQA test sets
//   [runtime]   device, threads, collective timeout, mixed precision
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pipeline/base/config.h"

namespace jsqa {

struct ModelConfig : ConfigSection {
  // One entry per Conv1d layer (kernel 15, batch norm, LeakyReLU). The
  // default: 16 layers, about 25.6 M parameters, 256× shorter in time.
  std::string channels = "32,32,64,64,128,128,256,256,256,256,512,512,512,512,512,512";
  std::string strides = "2,2,2,2,2,2,2,2,1,1,1,1,1,1,1,1";
  int kernel_size = 15;
  bool projection_head = false;  // the paper's best: off (see model/heads.h)
  int contrastive_size = 256;    // what NT-Xent sees

  void Declare(KeyDeclarations& keys) override;
  void ValidateTogether(const std::string& prefix) const override;

  std::vector<int64_t> Channels() const;
  std::vector<int64_t> Strides() const;
};

// The optimisation keys shared by [pretrain] and [finetune].
struct OptimizerSettings {
  int64_t batch_size = 32;  // per step, over all ranks together
  enum class Optimizer { kAdam, kAdamW, kSgd };  // SGD with momentum 0.9
  Optimizer optimizer = Optimizer::kAdam;
  double learning_rate = 1e-4;
  double weight_decay = 0.0;
  // After warm-up: constant, or decaying to 0 at the last step.
  enum class Schedule { kConstant, kCosine, kLinear };
  Schedule schedule = Schedule::kConstant;
  int64_t warmup_steps = 0;           // linear ramp from 0 before the schedule
  uint64_t seed = 1;                  // initialisation and data order
  int64_t checkpoint_every = 200;     // steps; the last step always checkpoints
  int64_t log_every = 10;             // steps between metrics.csv rows

  // Declares the keys into the parent section; batch_size >= min_batch_size.
  void Declare(KeyDeclarations& keys, int min_batch_size);
  // The learning rate at step (0-based) of total_steps.
  double LearningRateAt(int64_t step, int64_t total_steps) const;
};

struct PretrainConfig : ConfigSection {
  enum class Source { kShards, kOnTheFly };
  Source source = Source::kShards;
  // The synth stage's folder (manifest.json); under `run` the graph's synth input.
  std::string shards;
  int64_t steps = 1000;
  double temperature = 0.1;
  // With several ranks, each anchor also sees the other ranks' pairs as negatives.
  bool gather_negatives = true;
  OptimizerSettings optimization;

  void Declare(KeyDeclarations& keys) override;
};

struct FinetuneConfig : ConfigSection {
  // A pretrain folder or its encoder.pt; empty: from scratch (the baseline).
  // Under `run`, the graph's pretrain input when there is one.
  std::string pretrained;
  // pretrained (the default: from the pretrained encoder when there is one)
  // or scratch (ignore it: the baseline, also in a graph that pretrains).
  enum class Init { kPretrained, kScratch };
  Init init = Init::kPretrained;
  std::string train_dbs = "NISQA_TRAIN_SIM,NISQA_TRAIN_LIVE";
  std::string val_dbs = "NISQA_VAL_SIM,NISQA_VAL_LIVE";
  enum class EncoderTraining { kTrained, kFrozen, kPartial };
  EncoderTraining encoder = EncoderTraining::kTrained;
  int trainable_layers = 4;         // with encoder = partial: the last N conv layers train
  int64_t epochs = 20;
  double segment_seconds = 4.0;     // random training crops; validation uses full clips
  enum class Select { kBest, kLast };  // best: lowest validation RMSE
  Select select = Select::kBest;
  OptimizerSettings optimization;

  void Declare(KeyDeclarations& keys) override;
  void ValidateTogether(const std::string& prefix) const override;

  std::vector<std::string> TrainDbs() const { return SplitList(train_dbs); }
  std::vector<std::string> ValDbs() const { return SplitList(val_dbs); }
};

struct EvaluateConfig : ConfigSection {
  // A finetune folder or its model.pt; under `run` the graph's finetune input.
  std::string model;
  std::string dbs = "NISQA_TEST_FOR,NISQA_TEST_P501,NISQA_TEST_LIVETALK";
  int batch_size = 8;  // clips per forward pass (padded to the longest)

  void Declare(KeyDeclarations& keys) override;

  std::vector<std::string> Dbs() const { return SplitList(dbs); }
};

struct RuntimeConfig : ConfigSection {
  std::string device = "cpu";   // cpu | cuda | cuda:N
  std::string threads = "auto";  // torch intra-op threads per process
  // On CUDA: autocast to bfloat16 for convolutions and matmuls.
  enum class MixedPrecision { kOff, kBf16 };
  MixedPrecision mixed_precision = MixedPrecision::kOff;
  int timeout_seconds = 600;  // a collective waiting longer (a dead rank) fails the run

  void Declare(KeyDeclarations& keys) override;
};

// Throws UsageError naming runtime.device when this libtorch or machine has
// no such device (cuda on a CPU-only build), before any work is done.
void RequireDeviceAvailable(const RuntimeConfig& runtime);

// "NISQA_TEST_FOR" and "TEST_FOR" name the same db.
std::string CanonicalDbName(const std::string& db);

}  // namespace jsqa
