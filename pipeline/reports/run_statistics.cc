#include "pipeline/reports/run_statistics.h"

#include <boost/math/distributions/students_t.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

#include "pipeline/base/error.h"

namespace jsqa {
namespace {

// A group's clips as index lists into the clip vector.
std::map<std::string, std::vector<size_t>> ClipsByGroup(const std::vector<PairedClip>& clips) {
  std::map<std::string, std::vector<size_t>> groups;
  for (size_t i = 0; i < clips.size(); ++i) groups[clips[i].group].push_back(i);
  return groups;
}

// metric(A) − metric(B), each averaged over the groups, on the clips that
// `chosen` lists per group (with repeats in a resample).
double Difference(const std::vector<PairedClip>& clips, const std::vector<std::vector<size_t>>& chosen,
                  double MosMetrics::*metric) {
  double a_sum = 0.0, b_sum = 0.0;
  for (const std::vector<size_t>& group : chosen) {
    std::vector<double> target, a, b;
    for (const size_t i : group) {
      target.push_back(clips[i].target);
      a.push_back(clips[i].predicted_a);
      b.push_back(clips[i].predicted_b);
    }
    a_sum += ComputeMosMetrics(a, target).*metric;
    b_sum += ComputeMosMetrics(b, target).*metric;
  }
  return (a_sum - b_sum) / static_cast<double>(chosen.size());
}

double Percentile(std::vector<double> values, double fraction) {
  std::sort(values.begin(), values.end());
  const double position = fraction * static_cast<double>(values.size() - 1);
  const size_t below = static_cast<size_t>(std::floor(position));
  const size_t above = std::min(below + 1, values.size() - 1);
  return values[below] + (position - below) * (values[above] - values[below]);
}

}  // namespace

MeanInterval MeanWithInterval(const std::vector<double>& values) {
  std::vector<double> finite;
  for (const double value : values)
    if (std::isfinite(value)) finite.push_back(value);
  MeanInterval interval;
  interval.count = static_cast<int>(finite.size());
  if (finite.empty()) return interval;
  double sum = 0.0;
  for (const double value : finite) sum += value;
  interval.mean = sum / finite.size();
  if (finite.size() < 2) return interval;
  double squares = 0.0;
  for (const double value : finite) squares += (value - interval.mean) * (value - interval.mean);
  const double n = static_cast<double>(finite.size());
  const boost::math::students_t t(n - 1.0);
  interval.half_width = boost::math::quantile(t, 0.975) * std::sqrt(squares / (n - 1.0)) / std::sqrt(n);
  return interval;
}

PairedDifference PairedBootstrap(const std::vector<PairedClip>& clips, double MosMetrics::*metric, int resamples,
                                 uint64_t seed) {
  JSQA_CHECK(resamples >= 100, "a paired bootstrap needs at least 100 resamples, got ", resamples);
  PairedDifference result;
  if (clips.empty()) return result;
  std::vector<std::vector<size_t>> groups;
  for (auto& [unused, members] : ClipsByGroup(clips)) groups.push_back(std::move(members));
  result.difference = Difference(clips, groups, metric);

  // std::mt19937_64's sequence is fixed by the standard; the index is drawn
  // from its bits directly (the standard distributions differ between
  // libraries).
  std::mt19937_64 generator(seed);
  std::vector<double> differences;
  std::vector<std::vector<size_t>> drawn(groups.size());
  for (int r = 0; r < resamples; ++r) {
    for (size_t g = 0; g < groups.size(); ++g) {
      drawn[g].resize(groups[g].size());
      for (size_t& index : drawn[g]) index = groups[g][generator() % groups[g].size()];
    }
    const double difference = Difference(clips, drawn, metric);
    if (std::isfinite(difference)) differences.push_back(difference);
  }
  if (differences.size() < static_cast<size_t>(resamples) / 2) return result;  // mostly undefined: no verdict
  result.low = Percentile(differences, 0.025);
  result.high = Percentile(differences, 0.975);
  result.significant = result.low > 0.0 || result.high < 0.0;
  return result;
}

}  // namespace jsqa
