// Statistics that compare runs: a metric's mean over replicates (seeds)
// with its 95 % confidence interval, and a paired bootstrap over test clips
// saying whether two settings' scores differ by more than the clips'
// sampling would explain.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pipeline/reports/mos_metrics.h"

namespace jsqa {

struct MeanInterval {
  double mean = MosMetrics::kNaN;
  // Half the width of the 95 % interval, mean ± t(0.975, n − 1) · s / √n
  // (Student's t, from Boost.Math); NaN for fewer than 2 values.
  double half_width = MosMetrics::kNaN;
  int count = 0;  // finite values used
};

// Over the finite values; NaN ones (a failed or diverged run) are left out.
MeanInterval MeanWithInterval(const std::vector<double>& values);

// One test clip scored under two settings.
struct PairedClip {
  std::string group;  // its test set: metrics are computed per set, then averaged
  double target = 0.0;
  double predicted_a = 0.0;
  double predicted_b = 0.0;
};

struct PairedDifference {
  double difference = MosMetrics::kNaN;  // metric(A) − metric(B) on the clips as they are
  double low = MosMetrics::kNaN;         // 2.5 % and 97.5 % percentiles over the resamples
  double high = MosMetrics::kNaN;
  bool significant = false;              // the interval excludes 0
};

// The metric (a field of MosMetrics, e.g. &MosMetrics::pcc) of A minus B,
// each the mean over groups of the per-group metric, as NISQA averages test
// sets. Each resample draws every group's clips with replacement (the same
// draw for A and B: the pairing); `resamples` of them from a fixed
// generator seeded by `seed`, so the result is the same every time.
PairedDifference PairedBootstrap(const std::vector<PairedClip>& clips, double MosMetrics::*metric, int resamples,
                                 uint64_t seed);

}  // namespace jsqa
