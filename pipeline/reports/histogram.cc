#include "pipeline/reports/histogram.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "pipeline/base/error.h"

namespace jsqa {
namespace {

// More bins than this make a step outline unreadable at 800 pixels.
constexpr size_t kMaxBins = 400;

void CheckBins(const std::string& path, const HistogramBins& bins) {
  JSQA_CHECK(std::isfinite(bins.lo) && std::isfinite(bins.hi) && std::isfinite(bins.width) && bins.width > 0 &&
                 bins.lo < bins.hi,
             path, ": histogram bins [", bins.lo, ", ", bins.hi, ") of width ", bins.width, " are not usable");
  JSQA_CHECK(bins.count() <= kMaxBins, path, ": ", bins.count(), " histogram bins, more than ", kMaxBins);
}

}  // namespace

size_t HistogramBins::count() const {
  return static_cast<size_t>(std::max(1.0, std::ceil((hi - lo) / width - 1e-9)));
}

HistogramBins BinsFor(const std::vector<HistogramGroup>& groups, double width) {
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const HistogramGroup& group : groups)
    for (const double v : group.values)
      if (std::isfinite(v)) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
  if (lo > hi) return {0, width, width};
  const double first = std::floor(lo / width) * width;
  // The top value needs a bin of its own edge: [hi, hi + width) when hi sits on one.
  const double last = (std::floor(hi / width) + 1) * width;
  return {first, last, width};
}

std::vector<double> BinCounts(const std::vector<double>& values, const HistogramBins& bins) {
  std::vector<double> counts(bins.count(), 0.0);
  for (const double v : values) {
    if (!std::isfinite(v)) continue;
    const double k = std::floor((v - bins.lo) / bins.width);
    counts[static_cast<size_t>(std::clamp(k, 0.0, static_cast<double>(counts.size() - 1)))] += 1;
  }
  return counts;
}

void WriteHistogram(const std::string& path, const std::vector<HistogramGroup>& groups, const HistogramBins& bins,
                    const PlotOptions& options) {
  CheckBins(path, bins);
  std::vector<PlotSeries> series;
  for (const HistogramGroup& group : groups) {
    const std::vector<double> counts = BinCounts(group.values, bins);
    const auto finite = std::count_if(group.values.begin(), group.values.end(), [](double v) { return std::isfinite(v); });
    PlotSeries outline;
    outline.name = group.name + " (" + std::to_string(finite) + ")";
    outline.markers = false;
    // A step outline from the baseline at lo to the baseline at hi: each
    // bin is a flat top between its two edges.
    outline.x.push_back(bins.lo);
    outline.y.push_back(0);
    for (size_t k = 0; k < counts.size(); ++k) {
      const double left = bins.lo + static_cast<double>(k) * bins.width;
      outline.x.insert(outline.x.end(), {left, left + bins.width});
      outline.y.insert(outline.y.end(), {counts[k], counts[k]});
    }
    outline.x.push_back(bins.lo + static_cast<double>(counts.size()) * bins.width);
    outline.y.push_back(0);
    series.push_back(std::move(outline));
  }
  PlotOptions drawn = options;
  if (drawn.y.label.empty()) drawn.y.label = "count";
  WriteLinePlot(path, series, drawn);
}

}  // namespace jsqa
