#include "model/metrics_log.h"

#include <filesystem>

#include "pipeline/base/config.h"
#include "pipeline/base/csv.h"
#include "pipeline/base/text_files.h"

namespace jsqa {

MetricsLog::MetricsLog(std::string path, std::vector<std::string> columns, int64_t resume_step)
    : path_(std::move(path)), columns_(std::move(columns)) {
  columns_.insert(columns_.begin(), "step");
  if (!std::filesystem::exists(path_)) return;
  const auto rows = ReadCsvFile(path_);
  if (rows.empty() || rows[0].fields != columns_) return;
  for (size_t i = 1; i < rows.size(); ++i)
    if (rows[i].fields.size() == columns_.size() && std::stoll(rows[i].fields[0]) <= resume_step)
      rows_.push_back(rows[i].fields);
}

void MetricsLog::Append(int64_t step, const std::map<std::string, double>& values) {
  std::vector<std::string> row{std::to_string(step)};
  for (size_t i = 1; i < columns_.size(); ++i) {
    const auto found = values.find(columns_[i]);
    row.push_back(found == values.end() ? "" : FormatDouble(found->second));
  }
  rows_.push_back(std::move(row));
  Write();
}

PlotSeries MetricsLog::Series(const std::string& column, const std::string& name) const {
  PlotSeries series;
  series.name = name;
  for (size_t c = 1; c < columns_.size(); ++c) {
    if (columns_[c] != column) continue;
    for (const auto& row : rows_) {
      if (row[c].empty()) continue;
      series.x.push_back(std::stod(row[0]));
      series.y.push_back(std::stod(row[c]));
    }
  }
  return series;
}

void MetricsLog::Write() const {
  std::string text = FormatCsvRow(columns_);
  for (const auto& row : rows_) text += FormatCsvRow(row);
  WriteFileAtomically(path_, text);
}

}  // namespace jsqa
