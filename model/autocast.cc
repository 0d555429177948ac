#include "model/autocast.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

namespace jsqa {
namespace {

#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
void SetAutocast(c10::DeviceType type, bool on) {
  if (on) at::autocast::set_autocast_dtype(type, at::kBFloat16);
  at::autocast::set_autocast_enabled(type, on);
}
#else
void SetAutocast(c10::DeviceType type, bool on) {
  if (type == c10::DeviceType::CUDA) {
    if (on) at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
    at::autocast::set_enabled(on);
  } else {
    if (on) at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
    at::autocast::set_cpu_enabled(on);
  }
}
#endif

}  // namespace

AutocastScope::AutocastScope(const torch::Device& device, bool enabled) : type_(device.type()), enabled_(enabled) {
  if (enabled_) SetAutocast(type_, true);
}

AutocastScope::~AutocastScope() {
  if (!enabled_) return;
  SetAutocast(type_, false);
  at::autocast::clear_cache();
}

}  // namespace jsqa
