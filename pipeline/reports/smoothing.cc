#include "pipeline/reports/smoothing.h"

#include <algorithm>
#include <cmath>

namespace jsqa {

namespace {

double AutomaticSpan(size_t points) { return std::max(1.0, std::round(points / 20.0)); }

}  // namespace

PlotSeries ExponentialMovingAverage(const PlotSeries& raw, std::string name, double span) {
  if (!(span > 0)) span = AutomaticSpan(raw.y.size());
  const double alpha = 2.0 / (span + 1.0);
  PlotSeries smoothed;
  smoothed.name = std::move(name);
  smoothed.x = raw.x;
  smoothed.y.reserve(raw.y.size());
  double state = NAN;
  for (const double value : raw.y) {
    if (!std::isfinite(value)) {
      smoothed.y.push_back(NAN);
      continue;
    }
    state = std::isnan(state) ? value : state + alpha * (value - state);
    smoothed.y.push_back(state);
  }
  return smoothed;
}

std::vector<PlotSeries> RawAndSmoothed(const PlotSeries& raw, int color) {
  const double span = AutomaticSpan(raw.y.size());
  PlotSeries thin = raw;
  thin.name = raw.name + ", raw";
  thin.thin = true;
  thin.color = color;
  PlotSeries smoothed =
      ExponentialMovingAverage(raw, raw.name + ", EMA over " + std::to_string(static_cast<int>(span)) + " points", span);
  smoothed.color = color;
  return {thin, smoothed};
}

}  // namespace jsqa
