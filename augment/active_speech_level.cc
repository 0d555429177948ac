#include "augment/active_speech_level.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "pipeline/base/error.h"

namespace jsqa {
namespace {

constexpr int kThresholds = 15;
constexpr double kMarginDb = 15.9;
constexpr double kTimeConstantSeconds = 0.03;
constexpr double kHangoverSeconds = 0.2;

double ThresholdAmplitude(int j) { return std::ldexp(1.0, j - kThresholds); }  // 2^(j−15)

// The Recommendation's envelope q: |x| through two cascaded one-pole
// smoothers with time constant kTimeConstantSeconds.
class Envelope {
 public:
  explicit Envelope(int sample_rate) : g_(std::exp(-1.0 / (kTimeConstantSeconds * sample_rate))) {}
  double Next(double x) {
    p_ = g_ * p_ + (1.0 - g_) * std::abs(x);
    q_ = g_ * q_ + (1.0 - g_) * p_;
    return q_;
  }

 private:
  double g_;
  double p_ = 0.0;
  double q_ = 0.0;
};

int64_t HangoverSamples(int sample_rate) {
  return static_cast<int64_t>(std::ceil(kHangoverSeconds * sample_rate));
}

// How many thresholds q reaches (q ≥ c_j for j < that number): with
// c_j = 2^(j−15), q ≥ c_j ⇔ j ≤ floor(log2 q) + 15, so it is
// floor(log2 q) + 16, clamped to [0, 15].
int ThresholdsReached(double q) {
  if (!(q >= ThresholdAmplitude(0))) return 0;
  // floor(log2 q) of a normal double is its unbiased exponent field (read
  // directly: std::ilogb is a library call, on every sample).
  uint64_t bits = 0;
  std::memcpy(&bits, &q, sizeof bits);
  const int log2_floor = static_cast<int>((bits >> 52) & 0x7ff) - 1023;
  return std::min(kThresholds, log2_floor + kThresholds + 1);
}

// From sample `begin` until the next run's begin, the envelope reaches
// `reached` thresholds.
struct ThresholdRun {
  int64_t begin;
  int reached;
};

// Active samples per threshold over [0, count): a sample is active for
// threshold j while q ≥ c_j and for `hangover` samples after, so each run
// reaching above j makes [begin, end + hangover) active; overlapping
// stretches count once.
std::array<int64_t, kThresholds> ActiveCounts(const std::vector<ThresholdRun>& runs, int64_t count,
                                              int64_t hangover) {
  std::array<int64_t, kThresholds> active{};
  for (int j = 0; j < kThresholds; ++j) {
    int64_t covered_until = 0;  // samples before this are counted
    for (size_t r = 0; r < runs.size(); ++r) {
      if (runs[r].reached <= j) continue;
      const int64_t end = r + 1 < runs.size() ? runs[r + 1].begin : count;
      const int64_t from = std::max(runs[r].begin, covered_until);
      const int64_t until = std::min(count, end + hangover);
      if (until > from) active[j] += until - from;
      covered_until = std::max(covered_until, until);
    }
  }
  return active;
}

}  // namespace

ActiveSpeechLevel MeasureActiveSpeechLevel(const float* samples, size_t count, int sample_rate) {
  JSQA_CHECK(sample_rate > 0, "active speech level: sample rate ", sample_rate, " Hz");
  constexpr double kMinusInfinity = -std::numeric_limits<double>::infinity();
  ActiveSpeechLevel result{kMinusInfinity, 0.0, kMinusInfinity};
  if (count == 0) return result;

  // One pass computes the envelope and, per sample, how many thresholds it
  // reaches; that number changes only when q crosses a power of two, so it
  // is kept as runs (a few hundred per second of speech, not one per
  // sample). Counting each threshold's active samples from the runs gives
  // exactly the per-sample rule's counts at a fraction of its cost.
  Envelope envelope(sample_rate);
  std::vector<ThresholdRun> runs;
  double sum_squares = 0.0;
  for (size_t i = 0; i < count; ++i) {
    const double x = samples[i];
    sum_squares += x * x;
    const int reached = ThresholdsReached(envelope.Next(x));
    if (runs.empty() || runs.back().reached != reached) runs.push_back({static_cast<int64_t>(i), reached});
  }
  const std::array<int64_t, kThresholds> active =
      ActiveCounts(runs, static_cast<int64_t>(count), HangoverSamples(sample_rate));
  std::array<double, kThresholds> threshold;
  for (int j = 0; j < kThresholds; ++j) threshold[j] = ThresholdAmplitude(j);
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

std::vector<unsigned char> ActiveSpeechMask(const float* samples, size_t count, int sample_rate,
                                            double level_db) {
  JSQA_CHECK(sample_rate > 0, "active speech mask: sample rate ", sample_rate, " Hz");
  std::vector<unsigned char> mask(count, 0);
  if (!std::isfinite(level_db)) return mask;
  const double threshold = std::pow(10.0, (level_db - kMarginDb) / 20.0);
  Envelope envelope(sample_rate);
  const int64_t hangover = HangoverSamples(sample_rate);
  int64_t hang = hangover;
  for (size_t i = 0; i < count; ++i) {
    if (envelope.Next(samples[i]) >= threshold) {
      mask[i] = 1;
      hang = 0;
    } else if (hang < hangover) {
      mask[i] = 1;
      ++hang;
    }
  }
  return mask;
}

}  // namespace jsqa
