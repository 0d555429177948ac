// One training process per device (see pipeline/run/distributed_env.h for how each
// finds its rank), joined over torch's c10d: Gloo on CPU, NCCL on CUDA
// builds. With a world of one nothing is set up and every collective is a
// no-op.
#pragma once

#include <torch/torch.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/run/distributed_env.h"

namespace jsqa {

class Distributed {
 public:
  // Rendezvous through a TCPStore on the master (rank 0 serves it); throws
  // jsqa::Error naming the master and the timeout if the others never come.
  Distributed(const DistributedEnv& env, const torch::Device& device, std::chrono::seconds timeout);
  ~Distributed();

  int rank() const { return env_.rank; }
  int world() const { return env_.world; }
  bool is_main() const { return env_.rank == 0; }

  void AllReduceSum(torch::Tensor& tensor);
  // A sum all-reduce of tensor in place that runs while the caller goes on
  // (the gradient buckets during backward); WaitAllReduces() waits for every
  // one started. Thread-safe: autograd's hooks may start them.
  void StartAllReduce(const torch::Tensor& tensor);
  void WaitAllReduces();
  // How many StartAllReduce calls so far (tests show they overlap backward).
  int64_t all_reduces_started() const { return all_reduces_started_.load(); }
  // Rank 0's values everywhere (parameters at start, batch-norm statistics).
  void Broadcast(const std::vector<torch::Tensor>& tensors);
  // [n, D] from every rank → [world·n, D] in rank order, differentiable: the
  // backward pass sums the gradients of all ranks and keeps this rank's rows.
  torch::Tensor AllGatherWithGrad(const torch::Tensor& local);
  void Barrier();
  // One step every rank took apart (checking its share of the data): each
  // gives its own failure ("" for none) and all get the lowest failing
  // rank's message, "" when none failed. A collective: every rank calls it,
  // so a failure stops all ranks with the same line.
  std::string FirstFailure(const std::string& failure);

 private:
  struct Group;
  DistributedEnv env_;
  torch::Device device_;  // where collectives' tensors live (NCCL needs CUDA ones)
  std::unique_ptr<Group> group_;
  int64_t agreements_ = 0;  // FirstFailure calls so far: each its own store keys
  std::atomic<int64_t> all_reduces_started_{0};
};

// The device of this process, made CUDA's current device: cpu, or cuda[:N]
// (cuda alone picks the local rank's GPU). Throws UsageError when CUDA is
// asked for but absent, when the local rank has no GPU of its own, and for
// an explicit cuda:N on a rank other than its node's first (several ranks
// would share one GPU).
torch::Device ResolveDevice(const std::string& device, int local_rank);

}  // namespace jsqa
