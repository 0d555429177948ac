#include "listen/headphone_check.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "augment/counter_rng.h"
#include "pipeline/base/error.h"

namespace jsqa {
namespace {

constexpr int kMinSampleRate = 8000;    // Hz
constexpr int kMaxSampleRate = 384000;  // Hz

}  // namespace

std::vector<float> HeadphoneCheckTone(HeadphoneTone tone, int sample_rate, double level_dbfs) {
  if (sample_rate < kMinSampleRate || sample_rate > kMaxSampleRate) {
    throw UsageError("headphone check: sample_rate = " + std::to_string(sample_rate) +
                     " Hz; must lie in [8000, 384000]");
  }
  if (!(std::isfinite(level_dbfs) && level_dbfs <= 0.0)) {
    throw UsageError(detail::Concat("headphone check: level_dbfs = ", level_dbfs,
                                    "; must be finite and <= 0 (full scale = 1.0)"));
  }
  const int frames = static_cast<int>(std::lround(sample_rate * kHeadphoneToneSeconds));
  const int ramp = static_cast<int>(std::lround(sample_rate * kHeadphoneRampSeconds));
  const double gain = (tone == HeadphoneTone::kQuieter ? kHeadphoneQuieterGain : 1.0) *
                      std::pow(10.0, level_dbfs / 20.0);
  const double right_sign = tone == HeadphoneTone::kAntiphase ? -1.0 : 1.0;
  const double pi = std::acos(-1.0);
  const double radians_per_frame = 2.0 * pi * kHeadphoneToneHz / sample_rate;
  std::vector<float> out(2 * static_cast<size_t>(frames));
  for (int i = 0; i < frames; ++i) {
    const int from_edge = std::min(i, frames - 1 - i);
    const double envelope = from_edge < ramp ? 0.5 * (1.0 - std::cos(pi * from_edge / ramp)) : 1.0;
    const float left = static_cast<float>(gain * envelope * std::sin(radians_per_frame * i));
    out[2 * static_cast<size_t>(i)] = left;
    // Negating a float is exact, so left + right is exactly 0 in antiphase.
    out[2 * static_cast<size_t>(i) + 1] = static_cast<float>(right_sign) * left;
  }
  return out;
}

std::array<HeadphoneTone, 3> HeadphoneTrialOrder(uint64_t seed, uint64_t listener_key, int trial) {
  if (trial < 0) {
    throw UsageError("headphone check: trial = " + std::to_string(trial) + "; must be >= 0");
  }
  std::array<HeadphoneTone, 3> order = {HeadphoneTone::kInPhase, HeadphoneTone::kQuieter,
                                        HeadphoneTone::kAntiphase};
  CounterRng rng(seed, MixKeys(listener_key, static_cast<uint64_t>(trial)));
  for (size_t i = order.size() - 1; i > 0; --i) std::swap(order[i], order[rng.UniformInt(i + 1)]);
  return order;
}

int HeadphoneCorrectChoice(const std::array<HeadphoneTone, 3>& order) {
  int position = -1;
  int count = 0;
  for (int i = 0; i < 3; ++i) {
    if (order[i] == HeadphoneTone::kQuieter) {
      position = i;
      ++count;
    }
  }
  JSQA_CHECK(count == 1, "headphone check: a trial order holds the quieter tone ", count,
             " times; it must hold it once");
  return position;
}

}  // namespace jsqa
