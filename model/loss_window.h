// The training loss between two metrics rows, summed on the device step by
// step and read on the host only when a row is written: reading it every
// step (loss.item()) would make the CPU wait for the GPU's queue to drain
// once per step.
#pragma once

#include <torch/torch.h>

#include <cstdint>

namespace jsqa {

class LossWindow {
 public:
  // No host synchronisation: a device op appended to the queue.
  void Add(const torch::Tensor& loss) {
    sum_ = sum_.defined() ? sum_ + loss.detach() : loss.detach().clone();
    ++steps_;
  }
  int64_t steps() const { return steps_; }
  // The mean over the window, still on the device ([] float); empties it.
  torch::Tensor TakeMean() {
    torch::Tensor mean = sum_ / static_cast<double>(steps_);
    sum_ = torch::Tensor();
    steps_ = 0;
    return mean;
  }

 private:
  torch::Tensor sum_;
  int64_t steps_ = 0;
};

}  // namespace jsqa
