#include "model/gradient_reducer.h"

#include <algorithm>
#include <mutex>

namespace jsqa {

struct GradientReducer::State {
  struct Slot {
    torch::Tensor parameter;
    size_t bucket = 0;
    int64_t offset = 0;  // elements into the bucket's flat buffer
  };
  struct Bucket {
    torch::Tensor flat;   // [elements] on the parameters' device and dtype
    size_t slots = 0;     // parameters in the bucket
    size_t filled = 0;    // of them with this step's gradient
    bool started = false;
  };

  Distributed* distributed = nullptr;
  std::vector<Slot> slots;
  std::vector<char> slot_filled;  // this step; a parameter can go without a gradient
  std::vector<Bucket> buckets;
  std::mutex mutex;  // hooks of a CUDA backward run on the device's autograd thread

  void Fill(size_t index, const torch::Tensor& gradient) {
    const Slot& slot = slots[index];
    Bucket& bucket = buckets[slot.bucket];
    bucket.flat.narrow(0, slot.offset, gradient.numel()).copy_(gradient.reshape(-1));
    std::lock_guard<std::mutex> lock(mutex);
    slot_filled[index] = 1;
    if (++bucket.filled == bucket.slots) Start(bucket);
  }

  void Start(Bucket& bucket) {
    bucket.started = true;
    distributed->StartAllReduce(bucket.flat);
  }
};

GradientReducer::GradientReducer(Distributed& distributed, const std::vector<torch::Tensor>& parameters,
                                 int64_t bucket_bytes)
    : state_(std::make_shared<State>()) {
  state_->distributed = &distributed;
  if (distributed.world() == 1) return;
  // Reverse registration order ≈ the order backward produces gradients.
  int64_t bucket_elements = 0;
  for (auto it = parameters.rbegin(); it != parameters.rend(); ++it) {
    const torch::Tensor& parameter = *it;
    const int64_t bytes = parameter.numel() * parameter.element_size();
    const bool fits = !state_->buckets.empty() &&
                      (bucket_elements * parameter.element_size() + bytes <= bucket_bytes) &&
                      state_->buckets.back().flat.scalar_type() == parameter.scalar_type();
    if (!fits) {
      if (!state_->buckets.empty())
        state_->buckets.back().flat = torch::zeros({bucket_elements}, state_->buckets.back().flat.options());
      state_->buckets.push_back({torch::empty({0}, parameter.options()), 0, 0, false});
      bucket_elements = 0;
    }
    state_->slots.push_back({parameter, state_->buckets.size() - 1, bucket_elements});
    ++state_->buckets.back().slots;
    bucket_elements += parameter.numel();
  }
  if (!state_->buckets.empty())
    state_->buckets.back().flat = torch::zeros({bucket_elements}, state_->buckets.back().flat.options());
  state_->slot_filled.assign(state_->slots.size(), 0);

  std::weak_ptr<State> weak = state_;
  for (size_t i = 0; i < state_->slots.size(); ++i)
    state_->slots[i].parameter.register_hook([weak, i](torch::Tensor gradient) {
      if (auto state = weak.lock()) state->Fill(i, gradient);
      return gradient;
    });
}

GradientReducer::~GradientReducer() = default;

int64_t GradientReducer::buckets() const { return static_cast<int64_t>(state_->buckets.size()); }

void GradientReducer::Prepare() {
  std::fill(state_->slot_filled.begin(), state_->slot_filled.end(), 0);
  for (auto& bucket : state_->buckets) {
    bucket.filled = 0;
    bucket.started = false;
  }
}

void GradientReducer::Finish() {
  Distributed& distributed = *state_->distributed;
  if (distributed.world() == 1) return;
  torch::NoGradGuard no_grad;
  // A parameter without a gradient this step (a branch not taken) takes
  // part with zeros, so that every bucket starts, in bucket order: the same
  // on every rank.
  for (size_t i = 0; i < state_->slots.size(); ++i) {
    if (state_->slot_filled[i]) continue;
    const auto& slot = state_->slots[i];
    auto& bucket = state_->buckets[slot.bucket];
    bucket.flat.narrow(0, slot.offset, slot.parameter.numel()).zero_();
    state_->slot_filled[i] = 1;
    if (++bucket.filled == bucket.slots) state_->Start(bucket);
  }
  distributed.WaitAllReduces();
  for (const auto& slot : state_->slots) {
    const torch::Tensor mean =
        state_->buckets[slot.bucket].flat.narrow(0, slot.offset, slot.parameter.numel()).view_as(slot.parameter);
    if (slot.parameter.grad().defined())
      slot.parameter.mutable_grad().copy_(mean).div_(distributed.world());
    else
      slot.parameter.mutable_grad() = mean.div(distributed.world());
  }
}

}  // namespace jsqa
