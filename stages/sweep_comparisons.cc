#include "stages/sweep_comparisons.h"

#include <filesystem>
#include <sstream>

#include "pipeline/base/config_keys.h"
#include "pipeline/base/csv.h"
#include "pipeline/base/text_files.h"
#include "pipeline/reports/run_statistics.h"

namespace jsqa {
namespace fs = std::filesystem;
namespace {

// The points of one setting: the same labels on every axis but the seeds'.
struct Setting {
  std::string label;           // "jnd.delta_max_db=3, model.projection_head=false"
  std::vector<size_t> points;  // indices into the sweep's points
};

std::vector<Setting> Settings(const std::vector<SweepAxis>& axes, const std::vector<SweepPoint>& points) {
  std::vector<Setting> settings;
  for (size_t p = 0; p < points.size(); ++p) {
    std::string label;
    for (size_t a = 0; a < axes.size(); ++a)
      if (!IsSeedAxis(axes[a])) label += (label.empty() ? "" : ", ") + axes[a].Label() + "=" + points[p].labels[a];
    if (label.empty()) label = "all";
    auto same = std::find_if(settings.begin(), settings.end(), [&](const Setting& s) { return s.label == label; });
    if (same == settings.end()) same = settings.insert(settings.end(), Setting{label, {}});
    same->points.push_back(p);
  }
  return settings;
}

std::string Interval(const MeanInterval& interval, int decimals = 3) {
  if (interval.count == 0) return "";
  if (interval.count == 1) return FormatFixed(interval.mean, decimals);
  return FormatFixed(interval.mean, decimals) + " ± " + FormatFixed(interval.half_width, decimals);
}

MeanInterval OverPoints(const Setting& setting, const std::vector<SweepPointResult>& results,
                        const std::string& column) {
  std::vector<double> values;
  for (const size_t p : setting.points) {
    const auto found = results[p].values.find(column);
    if (found != results[p].values.end()) values.push_back(found->second);
  }
  return MeanWithInterval(values);
}

std::string SettingsTable(const std::vector<Setting>& settings, const std::vector<SweepPointResult>& results,
                          const std::vector<std::string>& dbs, const std::string& sweep_dir) {
  std::vector<std::string> columns = {"mean_pcc", "mean_srcc", "mean_rmse"};
  for (const std::string& db : dbs) columns.push_back(db + "_pcc");
  std::vector<std::vector<std::string>> rows{{"setting", "seeds"}};
  for (const std::string& column : columns) rows[0].insert(rows[0].end(), {column, column + "_ci95"});
  std::ostringstream md;
  md << "\n## Settings: mean ± 95 % confidence interval over seeds\n\nStudent's t interval over the seeds that "
        "finished (mean ± t(0.975, n − 1)·s/√n).\n\n| setting | seeds |";
  for (const std::string& column : columns) md << " " << column << " |";
  md << "\n|---|--:|";
  for (size_t i = 0; i < columns.size(); ++i) md << "--:|";
  md << "\n";
  for (const Setting& setting : settings) {
    const int seeds = OverPoints(setting, results, "mean_pcc").count;
    std::vector<std::string> row{setting.label, std::to_string(seeds)};
    md << "| " << setting.label << " | " << seeds << " |";
    for (const std::string& column : columns) {
      const MeanInterval interval = OverPoints(setting, results, column);
      row.push_back(interval.count ? FormatDouble(interval.mean) : "");
      row.push_back(interval.count > 1 ? FormatDouble(interval.half_width) : "");
      md << " " << Interval(interval) << " |";
    }
    md << "\n";
    rows.push_back(row);
  }
  WriteCsvFile((fs::path(sweep_dir) / "sweep-settings.csv").string(), rows);
  return md.str();
}

// Clip (set, id) → subjective MOS and the predictions, averaged over the
// setting's seeds that have them.
struct ClipScores {
  std::string db;
  double target = 0.0;
  double predicted_sum = 0.0;
  int predictions = 0;
};
std::map<std::string, ClipScores> SettingPredictions(const Setting& setting,
                                                     const std::vector<SweepPointResult>& results) {
  std::map<std::string, ClipScores> clips;
  for (const size_t p : setting.points) {
    const fs::path file = fs::path(results[p].evaluate_dir) / "predictions.csv";
    if (results[p].evaluate_dir.empty() || !fs::exists(file)) continue;
    const std::vector<CsvRow> rows = ReadCsvFile(file.string());
    for (size_t r = 1; r < rows.size(); ++r) {  // db, id, path, mos, predicted
      const std::vector<std::string>& fields = rows[r].fields;
      if (fields.size() < 5) continue;
      ClipScores& clip = clips[fields[0] + "/" + fields[1]];
      clip.db = fields[0];
      clip.target = std::stod(fields[3]);
      clip.predicted_sum += std::stod(fields[4]);
      ++clip.predictions;
    }
  }
  return clips;
}

std::string PairedTable(const std::vector<Setting>& settings, const std::vector<SweepPointResult>& results,
                        const std::string& sweep_dir) {
  std::vector<std::map<std::string, ClipScores>> scored;
  for (const Setting& setting : settings) scored.push_back(SettingPredictions(setting, results));
  std::vector<std::vector<std::string>> rows{{"a", "b", "clips", "delta_mean_pcc", "pcc_ci_low", "pcc_ci_high",
                                              "pcc_significant", "delta_mean_rmse", "rmse_ci_low", "rmse_ci_high",
                                              "rmse_significant"}};
  std::ostringstream md;
  md << "\n## Paired comparisons\n\nA − B over the test clips both scored (predictions averaged over each "
        "setting's seeds), with a 95 % interval from a paired bootstrap of "
     << kBootstrapResamples
     << " resamples of each test set's clips; significant when the interval excludes 0.\n\n"
        "| A | B | clips | Δ mean PCC [95 % CI] | | Δ mean RMSE [95 % CI] | |\n|---|---|--:|--:|---|--:|---|\n";
  int compared = 0;
  for (size_t i = 0; i < settings.size(); ++i)
    for (size_t j = i + 1; j < settings.size(); ++j) {
      std::vector<PairedClip> clips;
      for (const auto& [key, a] : scored[i]) {
        const auto b = scored[j].find(key);
        if (b == scored[j].end()) continue;
        clips.push_back({a.db, a.target, a.predicted_sum / a.predictions,
                         b->second.predicted_sum / b->second.predictions});
      }
      if (clips.empty()) continue;
      ++compared;
      const PairedDifference pcc = PairedBootstrap(clips, &MosMetrics::pcc, kBootstrapResamples, kBootstrapSeed);
      const PairedDifference rmse = PairedBootstrap(clips, &MosMetrics::rmse, kBootstrapResamples, kBootstrapSeed);
      const auto cell = [](const PairedDifference& d) {
        if (!std::isfinite(d.low)) return FormatFixed(d.difference, 3) + " [–]";
        return FormatFixed(d.difference, 3) + " [" + FormatFixed(d.low, 3) + ", " + FormatFixed(d.high, 3) + "]";
      };
      const auto verdict = [](const PairedDifference& d) { return d.significant ? "significant" : "not significant"; };
      md << "| " << settings[i].label << " | " << settings[j].label << " | " << clips.size() << " | " << cell(pcc)
         << " | " << verdict(pcc) << " | " << cell(rmse) << " | " << verdict(rmse) << " |\n";
      rows.push_back({settings[i].label, settings[j].label, std::to_string(clips.size()), FormatDouble(pcc.difference),
                      FormatDouble(pcc.low), FormatDouble(pcc.high), pcc.significant ? "true" : "false",
                      FormatDouble(rmse.difference), FormatDouble(rmse.low), FormatDouble(rmse.high),
                      rmse.significant ? "true" : "false"});
    }
  if (compared == 0) return "";
  WriteCsvFile((fs::path(sweep_dir) / "sweep-paired.csv").string(), rows);
  return md.str();
}

}  // namespace

bool IsSeedAxis(const SweepAxis& axis) {
  for (const std::string& key : axis.keys)
    if (key.substr(key.find('.') + 1) != "seed") return false;
  return true;
}

std::string CompareSettings(const std::vector<SweepAxis>& axes, const std::vector<SweepPoint>& points,
                            const std::vector<SweepPointResult>& results, const std::vector<std::string>& dbs,
                            const std::string& sweep_dir) {
  const std::vector<Setting> settings = Settings(axes, points);
  std::string text;
  if (std::any_of(axes.begin(), axes.end(), IsSeedAxis)) text += SettingsTable(settings, results, dbs, sweep_dir);
  if (settings.size() > 1) text += PairedTable(settings, results, sweep_dir);
  return text;
}

}  // namespace jsqa
