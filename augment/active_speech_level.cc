#include "augment/active_speech_level.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>

#include "pipeline/base/error.h"

namespace jsqa {
namespace {

constexpr int kThresholds = 15;
constexpr double kMarginDb = 15.9;
constexpr double kTimeConstantSeconds = 0.03;
constexpr double kHangoverSeconds = 0.2;

double ThresholdAmplitude(int j) { return std::ldexp(1.0, j - kThresholds); }  // 2^(j−15)

}  // namespace

ActiveSpeechLevel MeasureActiveSpeechLevel(const float* samples, size_t count, int sample_rate) {
  JSQA_CHECK(sample_rate > 0, "active speech level: sample rate ", sample_rate, " Hz");
  constexpr double kMinusInfinity = -std::numeric_limits<double>::infinity();
  ActiveSpeechLevel result{kMinusInfinity, 0.0, kMinusInfinity};
  if (count == 0) return result;

  const double g = std::exp(-1.0 / (kTimeConstantSeconds * sample_rate));
  const int64_t hangover = static_cast<int64_t>(std::ceil(kHangoverSeconds * sample_rate));
  std::array<int64_t, kThresholds> active{};
  std::array<int64_t, kThresholds> hang;
  hang.fill(hangover);  // nothing before the first sample was active
  std::array<double, kThresholds> threshold;
  for (int j = 0; j < kThresholds; ++j) threshold[j] = ThresholdAmplitude(j);

  double p = 0.0, q = 0.0, sum_squares = 0.0;
  for (size_t i = 0; i < count; ++i) {
    const double x = samples[i];
    sum_squares += x * x;
    p = g * p + (1.0 - g) * std::abs(x);
    q = g * q + (1.0 - g) * p;
    for (int j = 0; j < kThresholds; ++j) {
      if (q >= threshold[j]) {
        ++active[j];
        hang[j] = 0;
      } else if (hang[j] < hangover) {
        ++active[j];
        ++hang[j];
      }
    }
  }
  if (sum_squares == 0.0) return result;
  result.long_term_db = 10.0 * std::log10(sum_squares / static_cast<double>(count));

  // A_j − C_j falls as the threshold rises; the first threshold at which it
  // is within the margin brackets the crossing with the one below it.
  double previous_level = 0.0, previous_difference = 0.0;
  for (int j = 0; j < kThresholds && active[j] > 0; ++j) {
    const double level = 10.0 * std::log10(sum_squares / static_cast<double>(active[j]));
    const double difference = level - 20.0 * std::log10(threshold[j]);
    if (difference <= kMarginDb) {
      if (j == 0) {
        result.level_db = level;  // active from the lowest threshold up
      } else {
        const double t = (previous_difference - kMarginDb) / (previous_difference - difference);
        result.level_db = previous_level + t * (level - previous_level);
      }
      break;
    }
    previous_level = level;
    previous_difference = difference;
    result.level_db = level;  // if no threshold reaches the margin: the highest active one
  }
  if (std::isfinite(result.level_db))
    result.activity = std::min(1.0, sum_squares / (static_cast<double>(count) * std::pow(10.0, result.level_db / 10.0)));
  return result;
}

}  // namespace jsqa
