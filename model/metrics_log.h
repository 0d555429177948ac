// metrics.csv of a training stage: one row per logged step, a fixed set of
// columns, "step" first. Rewritten whole (atomically) on every append: the
// file is small, and a kill never leaves a torn row. Resuming from a
// checkpoint at step S keeps the rows up to S, so the history continues
// without duplicates.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "pipeline/reports/plot.h"

namespace jsqa {

class MetricsLog {
 public:
  // Reads an existing file at path (rows past resume_step are dropped);
  // columns excludes "step". A file with other columns starts afresh.
  MetricsLog(std::string path, std::vector<std::string> columns, int64_t resume_step);

  // Values by column name; missing ones stay empty (e.g. validation columns
  // on steps without validation).
  void Append(int64_t step, const std::map<std::string, double>& values);

  // One column against step, empty cells skipped, named for a plot legend.
  PlotSeries Series(const std::string& column, const std::string& name) const;

 private:
  void Write() const;

  std::string path_;
  std::vector<std::string> columns_;
  std::vector<std::vector<std::string>> rows_;  // without the header
};

}  // namespace jsqa
