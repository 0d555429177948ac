// What pretraining and fine-tuning share: the device and the process group,
// the optimizer and its learning-rate schedule, gradient all-reduce,
// checkpoints and resume, and metrics.csv. Rank 0 alone writes files.
//
// Resume: Start() loads OUT_DIR/checkpoints' latest checkpoint when there
// is one, after checking it was made with the same settings, and the
// training loop continues from its step with the saved progress.
#pragma once

#include <torch/torch.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/autocast.h"
#include "model/distributed.h"
#include "model/gradient_reducer.h"
#include "model/metrics_log.h"
#include "model/training_config.h"
#include "pipeline/base/config.h"

namespace jsqa {

class TrainingSession {
 public:
  // settings_text: the resolved INI of the stage's sections, stored in
  // checkpoints and compared on resume.
  TrainingSession(const Config& config, const OptimizerSettings& settings, std::string out_dir,
                  std::string settings_text);

  const torch::Device& device() const { return device_; }
  Distributed& distributed() { return *distributed_; }
  bool is_main() const { return distributed_->is_main(); }
  bool autocast() const { return autocast_; }
  // optimizer.batch_size split over the ranks; throws UsageError unless it divides.
  int64_t RankBatchSize() const;

  // Makes the optimizer over parameters (those requiring gradients), syncs
  // rank 0's model to all ranks, resumes from the latest checkpoint, and
  // opens metrics.csv with columns (besides step).
  void Start(torch::nn::Module& model, int64_t total_steps, const std::vector<std::string>& metric_columns);
  int64_t step() const { return step_; }
  int64_t total_steps() const { return total_steps_; }
  bool done() const { return step_ >= total_steps_; }
  // Bookkeeping saved with each checkpoint (restored by Start).
  nlohmann::json& progress() { return progress_; }

  // One optimisation step on loss (this rank's part of the global mean):
  // backward with the mean gradient over ranks all-reduced in buckets as it
  // runs, then the optimizer step at the scheduled learning rate. No host
  // synchronisation: the caller reads the loss when it logs.
  void Step(const torch::Tensor& loss);
  // Rank 0's batch-norm statistics to every rank. Training in train() mode
  // never reads them (batch norm uses the batch's own), so they may drift
  // apart per rank between the points that do read them: validation (call
  // this first), checkpoints and the end (FinishStep and Finish call it).
  void SyncBuffers();
  // Whether the coming step ends with a checkpoint (the same on every rank),
  // so that state for it is gathered only then.
  bool CheckpointAfterStep() const;
  // Ends the step after its metrics row is written: checkpoints when due
  // (or when force, e.g. at an epoch's validation). A checkpoint made before
  // its step's row would lose that row to a kill in between: the resumed
  // run starts after the checkpoint's step.
  void FinishStep(bool force_checkpoint = false);
  double learning_rate() const;
  MetricsLog& metrics() { return *metrics_; }
  // Mean of a per-rank scalar over the ranks (a collective: every rank
  // calls it at the same point). The tensor form reads the device once.
  double MeanOverRanks(double value);
  double MeanOverRanks(const torch::Tensor& value);
  // Ends training on every rank: logs the SHA-256 of the model's parameters
  // and buffers ("<stage>: rank R of N ends with model sha256 ..."; equal
  // digests show the ranks ended with identical models), waits for the
  // others, and returns the digest.
  std::string Finish(const std::string& stage);

 private:
  void Checkpoint();

  const OptimizerSettings& settings_;
  const std::string out_dir_, checkpoint_dir_, settings_text_;
  torch::Device device_{torch::kCPU};
  bool autocast_ = false;
  std::unique_ptr<Distributed> distributed_;
  torch::nn::Module* model_ = nullptr;
  std::vector<torch::Tensor> parameters_, buffers_;
  std::unique_ptr<torch::optim::Optimizer> optimizer_;
  std::unique_ptr<GradientReducer> reducer_;
  std::unique_ptr<MetricsLog> metrics_;
  int64_t step_ = 0, total_steps_ = 0;
  bool checkpoint_due_ = false;  // set by Step, done by FinishStep
  nlohmann::json progress_ = nlohmann::json::object();
};

}  // namespace jsqa
