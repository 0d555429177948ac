// Histograms of one quantity for several groups (subsets, noise
// environments, the A and B side of pairs), drawn with PLplot as step
// outlines so that groups overlay without hiding each other.
#pragma once

#include <string>
#include <vector>

#include "pipeline/reports/plot.h"

namespace jsqa {

struct HistogramGroup {
  std::string name;            // legend entry, followed by the group's count: "train-clean-100 (40)"
  std::vector<double> values;  // non-finite values are left out (and out of the count)
};

// Bins of equal width covering [lo, hi): bin k holds lo + k·width ≤ v <
// lo + (k+1)·width. BinsFor picks lo and hi as multiples of width around
// the finite values of all groups (one bin when there are none).
struct HistogramBins {
  double lo = 0, hi = 1, width = 1;
  size_t count() const;
};
HistogramBins BinsFor(const std::vector<HistogramGroup>& groups, double width);
// Counts per bin; values outside [lo, hi) go to the first or last bin.
std::vector<double> BinCounts(const std::vector<double>& values, const HistogramBins& bins);

// Writes NAME.png and NAME.svg (plot.h): one step outline per group, y the
// number of values per bin. Throws jsqa::Error naming the path for bins
// that are not finite with width > 0 and lo < hi.
void WriteHistogram(const std::string& path, const std::vector<HistogramGroup>& groups, const HistogramBins& bins,
                    const PlotOptions& options);

}  // namespace jsqa
