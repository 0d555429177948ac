// The mean gradient over ranks, all-reduced in buckets while the backward
// pass is still running, as DDP's reducer does: parameters are grouped (in
// reverse order, the order backward produces their gradients) into buckets
// of about bucket_bytes; a hook on each parameter copies its gradient into
// its bucket, and a full bucket's all-reduce starts at once, overlapping the
// rest of the backward pass. Finish() waits for them and writes the means
// into the parameters' .grad.
//
// Every rank must run the same backward (the same graph), so that buckets
// fill, and their collectives start, in the same order everywhere.
#pragma once

#include <torch/torch.h>

#include <memory>
#include <vector>

#include "model/distributed.h"

namespace jsqa {

class GradientReducer {
 public:
  // bucket_bytes: DDP's default is 25 MB; smaller starts the first
  // all-reduce earlier, larger has fewer of them.
  GradientReducer(Distributed& distributed, const std::vector<torch::Tensor>& parameters,
                  int64_t bucket_bytes = 25 << 20);
  ~GradientReducer();
  GradientReducer(const GradientReducer&) = delete;
  GradientReducer& operator=(const GradientReducer&) = delete;

  // Call before backward(): clears the buckets for a new step.
  void Prepare();
  // Call after backward(): starts the buckets some parameter left unfilled
  // (no gradient this step: zeros), waits for all, sets each .grad to the
  // mean over ranks.
  void Finish();

  int64_t buckets() const;

 private:
  struct State;
  std::shared_ptr<State> state_;  // shared with the hooks, which outlive no step
};

}  // namespace jsqa
