// Agreement between predicted and subjective MOS over a dataset, as NISQA
// reports it in validation: RMSE, MAE, Pearson (PCC), Spearman (SRCC) and the
// RMSE after a first-order mapping (rmse_map, ITU-T P.1401 Sec. 7.6).
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

namespace jsqa {

struct MosMetrics {
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  int64_t count = 0;       // number of (predicted, target) pairs
  double rmse = kNaN;      // MOS units
  double mae = kNaN;       // MOS units
  double pcc = kNaN;       // Pearson correlation, in [-1, 1]
  double srcc = kNaN;      // Spearman rank correlation, in [-1, 1]
  double rmse_map = kNaN;  // MOS units, after target ≈ a + b·predicted
};

// predicted and target must have the same size (throws jsqa::Error naming
// both sizes otherwise). NaN, never a throw, where a metric is undefined:
//   - empty input: every metric (count 0);
//   - a constant vector (zero variance): pcc and srcc;
//   - fewer than 3 pairs: rmse_map (P.1401 divides by N - 2);
//   - any NaN or infinite value: every metric, so that a diverged model
//     reports NaN instead of stopping the run.
MosMetrics ComputeMosMetrics(const std::vector<double>& predicted, const std::vector<double>& target);

// Pearson correlation; NaN when sizes differ, either vector is constant or
// has fewer than 2 values.
double PearsonCorrelation(const std::vector<double>& x, const std::vector<double>& y);

// 1-based ranks; tied values share the average of their ranks:
// {1, 2, 2, 3} -> {1, 2.5, 2.5, 4}. Values must be finite.
std::vector<double> AverageRanks(const std::vector<double>& values);

}  // namespace jsqa
