// Mixed precision (runtime.mixed_precision = bf16): autocast to bfloat16
// for convolutions and matmuls, through the API of the libtorch built
// against (1.13: set_enabled / set_cpu_enabled; 2.4 and later:
// set_autocast_enabled(device type, on), the older calls being deprecated
// and warning on every step).
#pragma once

#include <torch/torch.h>

namespace jsqa {

// Autocast to bfloat16 on device's type for the scope's lifetime; nothing
// when !enabled. Training enables it on CUDA only; tests enable it on CPU.
class AutocastScope {
 public:
  AutocastScope(const torch::Device& device, bool enabled);
  ~AutocastScope();
  AutocastScope(const AutocastScope&) = delete;
  AutocastScope& operator=(const AutocastScope&) = delete;

 private:
  c10::DeviceType type_;
  bool enabled_;
};

}  // namespace jsqa
