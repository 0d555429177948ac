// What a sweep's points say together: per setting (the points that differ
// only in a seed axis), each metric's mean with its 95 % confidence interval
// over the seeds; and between every two settings, a paired bootstrap over
// the test clips of the difference in mean PCC and mean RMSE, saying which
// differences are significant. Both are Markdown for sweep.md and CSV
// (sweep-settings.csv, sweep-paired.csv).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "pipeline/run/sweep_grid.h"

namespace jsqa {

// One point as its stages left it.
struct SweepPointResult {
  std::string status = "pending";
  std::string error;
  std::map<std::string, double> values;  // column → number ("mean_pcc", "NISQA_TEST_FOR_pcc", ...)
  std::string evaluate_dir;              // its evaluate stage's folder (predictions.csv), "" if none
};

// An axis of seeds ("synth.seed", "pretrain.seed", ...) holds replicates,
// not settings.
bool IsSeedAxis(const SweepAxis& axis);

// Resamples of the paired bootstrap, and its generator's seed.
inline constexpr int kBootstrapResamples = 2000;
inline constexpr uint64_t kBootstrapSeed = 20150701;

// The settings table (only when an axis is a seed axis) and the paired
// comparisons (when two or more settings have predictions), as Markdown
// sections; writes sweep-settings.csv and sweep-paired.csv into sweep_dir
// beside them. dbs: the test sets, for per-set columns.
std::string CompareSettings(const std::vector<SweepAxis>& axes, const std::vector<SweepPoint>& points,
                            const std::vector<SweepPointResult>& results, const std::vector<std::string>& dbs,
                            const std::string& sweep_dir);

}  // namespace jsqa
