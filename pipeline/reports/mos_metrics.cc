#include "pipeline/reports/mos_metrics.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "pipeline/base/error.h"

namespace jsqa {
namespace {

double Mean(const std::vector<double>& values) {
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

// Compared exactly rather than through a variance, which rounding can leave
// slightly above zero for constant input (e.g. {0.1, 0.1, 0.1}).
bool IsConstant(const std::vector<double>& values) {
  const auto [low, high] = std::minmax_element(values.begin(), values.end());
  return *low == *high;
}

bool AllFinite(const std::vector<double>& values) {
  return std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); });
}

// P.1401 Eq. 7-29: RMSE of the residual after the least-squares line
// target ≈ a + b·predicted, divided by N - d with d = 2 fitted parameters.
// Constant predictions leave b undetermined; b = 0 (a = mean target) is the
// least-squares fit numpy.polyfit returns then, as in NISQA.
double MappedRmse(const std::vector<double>& predicted, const std::vector<double>& target) {
  constexpr size_t kMappingParameters = 2;
  const size_t n = predicted.size();
  if (n < kMappingParameters + 1) return MosMetrics::kNaN;
  const double mean_p = Mean(predicted);
  const double mean_t = Mean(target);
  double sxx = 0, sxy = 0;
  for (size_t i = 0; i < n; ++i) {
    sxx += (predicted[i] - mean_p) * (predicted[i] - mean_p);
    sxy += (predicted[i] - mean_p) * (target[i] - mean_t);
  }
  const double slope = IsConstant(predicted) ? 0.0 : sxy / sxx;
  const double intercept = mean_t - slope * mean_p;
  double squared_error = 0;
  for (size_t i = 0; i < n; ++i) {
    const double residual = target[i] - (intercept + slope * predicted[i]);
    squared_error += residual * residual;
  }
  return std::sqrt(squared_error / static_cast<double>(n - kMappingParameters));
}

}  // namespace

double PearsonCorrelation(const std::vector<double>& x, const std::vector<double>& y) {
  if (x.size() != y.size() || x.size() < 2 || IsConstant(x) || IsConstant(y)) return MosMetrics::kNaN;
  const double mean_x = Mean(x);
  const double mean_y = Mean(y);
  double sxx = 0, syy = 0, sxy = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    sxx += (x[i] - mean_x) * (x[i] - mean_x);
    syy += (y[i] - mean_y) * (y[i] - mean_y);
    sxy += (x[i] - mean_x) * (y[i] - mean_y);
  }
  // Rounding can push |r| a hair past 1 for perfectly linear data.
  return std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0);
}

std::vector<double> AverageRanks(const std::vector<double>& values) {
  std::vector<size_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return values[a] < values[b]; });
  std::vector<double> ranks(values.size());
  for (size_t first = 0; first < order.size();) {
    size_t last = first;  // [first, last] is one run of equal values
    while (last + 1 < order.size() && values[order[last + 1]] == values[order[first]]) ++last;
    // Positions first..last hold ranks first+1..last+1; ties share their mean.
    const double rank = 0.5 * static_cast<double>(first + last) + 1.0;
    for (size_t k = first; k <= last; ++k) ranks[order[k]] = rank;
    first = last + 1;
  }
  return ranks;
}

MosMetrics ComputeMosMetrics(const std::vector<double>& predicted, const std::vector<double>& target) {
  JSQA_CHECK(predicted.size() == target.size(), "MOS metrics need as many predictions as targets, got ",
             predicted.size(), " predicted and ", target.size(), " target values");
  MosMetrics metrics;
  metrics.count = static_cast<int64_t>(predicted.size());
  if (predicted.empty() || !AllFinite(predicted) || !AllFinite(target)) return metrics;
  double squared_error = 0, absolute_error = 0;
  for (size_t i = 0; i < predicted.size(); ++i) {
    const double error = predicted[i] - target[i];
    squared_error += error * error;
    absolute_error += std::abs(error);
  }
  const auto n = static_cast<double>(predicted.size());
  metrics.rmse = std::sqrt(squared_error / n);
  metrics.mae = absolute_error / n;
  metrics.pcc = PearsonCorrelation(predicted, target);
  metrics.srcc = PearsonCorrelation(AverageRanks(predicted), AverageRanks(target));
  metrics.rmse_map = MappedRmse(predicted, target);
  return metrics;
}

}  // namespace jsqa
