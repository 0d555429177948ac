// Training checkpoints: model, optimizer, step, the torch RNG state, the
// resolved config the run started with, and the stage's own bookkeeping
// (JSON: data position per rank, best validation score, ...). One file per
// checkpoint, CHECKPOINT_DIR/step-<8 digits>.pt, written atomically.
#pragma once

#include <torch/torch.h>

#include <nlohmann/json.hpp>
#include <string>

namespace jsqa {

struct CheckpointState {
  int64_t step = 0;  // optimisation steps completed
  std::string config;  // resolved INI text of the stage's sections
  nlohmann::json progress = nlohmann::json::object();
};

std::string CheckpointPath(const std::string& dir, int64_t step);

void SaveCheckpoint(const std::string& path, torch::nn::Module& model, torch::optim::Optimizer& optimizer,
                    const CheckpointState& state);
// Restores model, optimizer and the CPU RNG, their tensors on device (this
// rank's, not the one the file was saved from); throws jsqa::Error naming
// the file when it is unreadable or belongs to another model shape.
CheckpointState LoadCheckpoint(const std::string& path, torch::nn::Module& model, torch::optim::Optimizer& optimizer,
                               const torch::Device& device);

// The checkpoint with the highest step in dir; "" when there is none.
std::string LatestCheckpoint(const std::string& dir);
// Removes all but the newest keep checkpoints.
void PruneCheckpoints(const std::string& dir, int keep);

}  // namespace jsqa
