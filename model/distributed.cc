#include "model/distributed.h"

#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#ifdef USE_C10D_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include <c10/core/impl/DeviceGuardImplInterface.h>
#include <torch/version.h>

#include <cstdlib>
#include <mutex>

#include "pipeline/base/error.h"

namespace jsqa {
namespace {

// libtorch 2.x: the Gloo and NCCL groups are c10d::Backends (a ProcessGroup
// there wraps one backend per device type); 1.13: they are ProcessGroups.
// Both offer the collectives used here with the same signatures.
#if TORCH_VERSION_MAJOR >= 2
using CollectiveGroup = c10d::Backend;
#else
using CollectiveGroup = c10d::ProcessGroup;
#endif

// Work handles of c10d collectives, waited on with the group's timeout.
void Wait(const c10::intrusive_ptr<c10d::Work>& work, const char* what) {
  try {
    work->wait();
  } catch (const std::exception& error) {
    throw Error(std::string("distributed ") + what + " failed (another rank died or timed out?): " +
                std::string(error.what()).substr(0, 300));
  }
}

}  // namespace

struct Distributed::Group {
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<CollectiveGroup> group;
  std::mutex pending_mutex;
  std::vector<c10::intrusive_ptr<c10d::Work>> pending;  // started by StartAllReduce
};

Distributed::Distributed(const DistributedEnv& env, const torch::Device& device, std::chrono::seconds timeout)
    : env_(env), device_(device) {
  if (env.world == 1) return;
  group_ = std::make_unique<Group>();
  c10d::TCPStoreOptions store_options;
  store_options.port = static_cast<uint16_t>(env.master_port);
  store_options.isServer = env.rank == 0;
  store_options.numWorkers = env.world;
  store_options.timeout = timeout;
  try {
    group_->store = c10::make_intrusive<c10d::TCPStore>(env.master_addr, store_options);
  } catch (const std::exception& error) {
    throw Error("rendezvous at " + env.master_addr + ":" + std::to_string(env.master_port) + " as rank " +
                std::to_string(env.rank) + " of " + std::to_string(env.world) + " failed within " +
                std::to_string(timeout.count()) + " s: " + std::string(error.what()).substr(0, 300));
  }
  if (device.is_cuda()) {
#ifdef USE_C10D_NCCL
    // NCCL applies the collective timeout only in its watchdog, and only
    // tears the process down on it with async error handling; without it a
    // stalled rank holds the job until its wall-time limit. 1 = abort the
    // communicator and end the process (the user's own setting wins).
    setenv("TORCH_NCCL_ASYNC_ERROR_HANDLING", "1", 0);  // libtorch 2.x
    setenv("NCCL_ASYNC_ERROR_HANDLING", "1", 0);        // 1.13
    auto options = c10d::ProcessGroupNCCL::Options::create();
    options->timeout = timeout;
    group_->group = c10::make_intrusive<c10d::ProcessGroupNCCL>(group_->store, env.rank, env.world, options);
    return;
#else
    throw UsageError("device " + device.str() + " with several ranks needs a libtorch built with NCCL");
#endif
  }
  auto options = c10d::ProcessGroupGloo::Options::create(timeout);
  // The interface that reaches the master; loopback when it is this host.
  const bool local = env.master_addr == "127.0.0.1" || env.master_addr == "localhost";
  options->devices.push_back(local ? c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1")
                                   : c10d::ProcessGroupGloo::createDefaultDevice());
  group_->group = c10::make_intrusive<c10d::ProcessGroupGloo>(group_->store, env.rank, env.world, options);
}

Distributed::~Distributed() = default;

void Distributed::AllReduceSum(torch::Tensor& tensor) {
  if (!group_) return;
  std::vector<torch::Tensor> one{tensor};
  Wait(group_->group->allreduce(one), "all-reduce");
}

void Distributed::StartAllReduce(const torch::Tensor& tensor) {
  if (!group_) return;
  ++all_reduces_started_;
  std::vector<torch::Tensor> one{tensor};
  auto work = group_->group->allreduce(one);
  std::lock_guard<std::mutex> lock(group_->pending_mutex);
  group_->pending.push_back(std::move(work));
}

void Distributed::WaitAllReduces() {
  if (!group_) return;
  std::vector<c10::intrusive_ptr<c10d::Work>> pending;
  {
    std::lock_guard<std::mutex> lock(group_->pending_mutex);
    pending.swap(group_->pending);
  }
  for (const auto& work : pending) Wait(work, "all-reduce");
}

void Distributed::Broadcast(const std::vector<torch::Tensor>& tensors) {
  if (!group_) return;
  torch::NoGradGuard no_grad;
  for (const auto& tensor : tensors) {
    std::vector<torch::Tensor> one{tensor};
    Wait(group_->group->broadcast(one), "broadcast");
  }
}

void Distributed::Barrier() {
  if (!group_) return;
  Wait(group_->group->barrier(), "barrier");
}

std::string Distributed::FirstFailure(const std::string& failure) {
  if (!group_) return failure;
  // Who failed travels in a collective; what each said, through the store
  // (a message of any length), written before the collective so that it is
  // there when the others look.
  const std::string key = "first_failure/" + std::to_string(agreements_++) + "/";
  try {
    if (!failure.empty())
      group_->store->set(key + std::to_string(env_.rank), std::vector<uint8_t>(failure.begin(), failure.end()));
  } catch (const std::exception& error) {
    throw Error("distributed store failed: " + std::string(error.what()).substr(0, 300));
  }
  std::vector<int32_t> mine(env_.world, 0);
  mine[env_.rank] = failure.empty() ? 0 : 1;
  torch::Tensor failed = torch::tensor(mine, torch::kInt).to(device_);
  AllReduceSum(failed);
  failed = failed.cpu();
  const int32_t* failed_by_rank = failed.data_ptr<int32_t>();
  for (int rank = 0; rank < env_.world; ++rank) {
    if (failed_by_rank[rank] == 0) continue;
    if (rank == env_.rank) return failure;
    try {
      const std::vector<uint8_t> message = group_->store->get(key + std::to_string(rank));
      return std::string(message.begin(), message.end());
    } catch (const std::exception& error) {
      throw Error("distributed store failed (rank " + std::to_string(rank) + " died?): " +
                  std::string(error.what()).substr(0, 300));
    }
  }
  return "";
}

namespace {

// all_gather forward; backward all-reduces the gradient and keeps this
// rank's rows, so each rank's encoder gets the gradient of the whole loss.
class GatherWithGrad : public torch::autograd::Function<GatherWithGrad> {
 public:
  static torch::Tensor forward(torch::autograd::AutogradContext* context, torch::Tensor local,
                               CollectiveGroup* group, int64_t rank, int64_t world) {
    context->saved_data["group"] = reinterpret_cast<int64_t>(group);
    context->saved_data["rank"] = rank;
    context->saved_data["rows"] = local.size(0);
    std::vector<std::vector<torch::Tensor>> outputs(1);
    for (int64_t r = 0; r < world; ++r) outputs[0].push_back(torch::empty_like(local));
    std::vector<torch::Tensor> inputs{local.contiguous()};
    Wait(group->allgather(outputs, inputs), "all-gather");
    return torch::cat(outputs[0], 0);
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* context,
                                                 torch::autograd::variable_list grads) {
    auto* group = reinterpret_cast<CollectiveGroup*>(context->saved_data["group"].toInt());
    const int64_t rank = context->saved_data["rank"].toInt();
    const int64_t rows = context->saved_data["rows"].toInt();
    std::vector<torch::Tensor> summed{grads[0].contiguous().clone()};
    Wait(group->allreduce(summed), "all-reduce");
    return {summed[0].narrow(0, rank * rows, rows), torch::Tensor(), torch::Tensor(), torch::Tensor()};
  }
};

}  // namespace

torch::Tensor Distributed::AllGatherWithGrad(const torch::Tensor& local) {
  if (!group_) return local;
  return GatherWithGrad::apply(local, group_->group.get(), static_cast<int64_t>(env_.rank),
                               static_cast<int64_t>(env_.world));
}

torch::Device ResolveDevice(const std::string& device, int local_rank) {
  if (device == "cpu") return torch::kCPU;
  // Checked before CUDA is looked for, so a CPU machine shows it too.
  if (device != "cuda" && local_rank > 0)
    throw UsageError("runtime.device = " + device + " with several ranks on this node (this one is local rank " +
                     std::to_string(local_rank) + "): every rank would use that one GPU; set runtime.device = cuda "
                     "(each rank takes the GPU of its local rank)");
  if (!torch::cuda::is_available())
    throw UsageError("runtime.device = " + device + ": this libtorch has no CUDA device; allowed here: cpu");
  const int64_t visible = static_cast<int64_t>(torch::cuda::device_count());
  // A rank that sees one GPU (srun --gpus-per-task=1 sets each task's
  // CUDA_VISIBLE_DEVICES) uses it; one that sees the node's uses its local rank's.
  const int64_t index = visible == 1 ? 0 : local_rank;
  const torch::Device chosen =
      device == "cuda" ? torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(index)) : torch::Device(device);
  if (chosen.index() >= visible)
    throw UsageError("runtime.device = " + device + ": GPU " + std::to_string(chosen.index()) + " wanted (local rank " +
                     std::to_string(local_rank) + "), " + std::to_string(visible) +
                     " visible: start at most one rank per GPU (check CUDA_VISIBLE_DEVICES and --gpus-per-node)");
  // The current device is where kernels launch, the caching allocator
  // allocates and NCCL builds its communicator; left alone it is GPU 0 on
  // every rank of the node.
  c10::impl::getDeviceGuardImpl(c10::DeviceType::CUDA)->setDevice(chosen);
  return chosen;
}

}  // namespace jsqa
