#include "augment/sample_defects.h"

#include <algorithm>
#include <cmath>

namespace jsqa {
namespace {

// Calls run(length) for every maximal run of exact zeros.
template <typename Visit>
void ForEachZeroRun(const std::vector<float>& samples, Visit&& run) {
  int64_t length = 0;
  for (const float x : samples) {
    if (x == 0.0f) {
      ++length;
    } else if (length > 0) {
      run(length);
      length = 0;
    }
  }
  if (length > 0) run(length);
}

}  // namespace

int64_t LongestZeroRun(const std::vector<float>& samples) {
  int64_t longest = 0;
  ForEachZeroRun(samples, [&](int64_t length) { longest = std::max(longest, length); });
  return longest;
}

int64_t ClippedRuns(const std::vector<float>& samples, int64_t min_run) {
  constexpr float kFullScale = 32767.0f / 32768.0f;
  int64_t runs = 0, length = 0;
  for (const float x : samples) {
    length = std::abs(x) >= kFullScale ? length + 1 : 0;
    if (length == min_run) ++runs;
  }
  return runs;
}

double DropoutFraction(const std::vector<float>& samples, int64_t min_run) {
  if (samples.empty()) return 0.0;
  int64_t in_dropouts = 0;
  ForEachZeroRun(samples, [&](int64_t length) {
    if (length >= min_run) in_dropouts += length;
  });
  return static_cast<double>(in_dropouts) / static_cast<double>(samples.size());
}

}  // namespace jsqa
