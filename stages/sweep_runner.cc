#include "stages/sweep_runner.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <numeric>
#include <optional>
#include <sstream>

#include "pipeline/base/error.h"
#include "pipeline/base/csv.h"
#include "pipeline/base/logging.h"
#include "pipeline/base/sha256.h"
#include "pipeline/reports/plot.h"
#include "pipeline/run/run_index.h"
#include "pipeline/base/text_files.h"
#include "stages/builtin_stages.h"
#include "stages/sweep_comparisons.h"

namespace jsqa {
namespace fs = std::filesystem;
namespace {

std::unique_ptr<Config> PointConfig(const SweepOptions& options, const SweepPoint& point) {
  auto config = std::make_unique<Config>();
  AddConfigSections(*config);
  std::vector<std::string> overrides = options.overrides;
  overrides.insert(overrides.end(), point.overrides.begin(), point.overrides.end());
  config->Load(options.config_path, overrides);
  return config;
}

const StageRegistry& Registry() {
  static const StageRegistry registry = [] {
    StageRegistry built;
    RegisterBuiltinStages(built);
    return built;
  }();
  return registry;
}

std::string PointDir(const SweepOptions& options, const SweepPoint& point) {
  return (fs::path(options.sweep_dir) / point.Name()).string();
}

nlohmann::json ReadJsonIfPresent(const std::string& path) {
  return fs::exists(path) ? ReadJsonFile(path) : nlohmann::json::object();
}

std::string Cell(double value, int digits = 3) {
  if (std::isnan(value)) return "";
  std::ostringstream out;
  out.setf(std::ios::fixed);
  out.precision(digits);
  out << value;
  return out.str();
}

using PointResult = SweepPointResult;

constexpr const char* kMetrics[] = {"rmse", "mae", "pcc", "srcc", "rmse_map"};

PointResult ReadPointResult(const SweepOptions& options, const SweepPoint& point, std::vector<std::string>& dbs) {
  PointResult result;
  const nlohmann::json saved = ReadJsonIfPresent((fs::path(PointDir(options, point)) / "result.json").string());
  if (saved.empty()) return result;
  result.status = saved.value("status", "pending");
  result.error = saved.value("error", "");
  double seconds = 0;
  const nlohmann::json stages = saved.value("stages", nlohmann::json::object());
  for (const auto& [stage, folder] : stages.items()) {
    const nlohmann::json summary = ReadJsonIfPresent((fs::path(folder.get<std::string>()) / "summary.json").string());
    seconds += summary.value("seconds", 0.0);
    if (stage == "synth" && summary.contains("totals")) {
      result.values["pairs"] = summary["totals"].value("pairs", 0.0);
      result.values["jnd_acceptance"] = summary["totals"].value("acceptance_rate", 0.0);
    }
    if (stage == "pretrain" && summary.contains("last_logged_loss"))
      result.values["pretrain_loss"] = summary["last_logged_loss"].get<double>();
    if (stage == "evaluate") result.evaluate_dir = folder.get<std::string>();
    if (stage == "evaluate" && summary.contains("mean")) {
      for (const char* metric : kMetrics) result.values[std::string("mean_") + metric] = summary["mean"].value(metric, NAN);
      for (const auto& [db, metrics] : summary["datasets"].items()) {
        if (std::find(dbs.begin(), dbs.end(), db) == dbs.end()) dbs.push_back(db);
        for (const char* metric : kMetrics) result.values[db + "_" + metric] = metrics.value(metric, NAN);
      }
    }
  }
  result.values["seconds"] = seconds;
  return result;
}

// A range axis: two keys "SECTION.NAME_minUNIT:SECTION.NAME_maxUNIT", such as
// the JND Δ "jnd.delta_min_db:jnd.delta_max_db". Its settings read "0–1".
struct RangeName {
  std::string section, quantity, unit;  // "JND", "Δ", "dB"
};

std::optional<RangeName> RangeAxisName(const SweepAxis& axis) {
  if (axis.keys.size() != 2) return std::nullopt;
  const size_t low = axis.keys[0].rfind("_min"), high = axis.keys[1].rfind("_max");
  if (low == std::string::npos || high == std::string::npos || axis.keys[0].substr(0, low) != axis.keys[1].substr(0, high) ||
      axis.keys[0].substr(low + 4) != axis.keys[1].substr(high + 4))
    return std::nullopt;
  const std::string stem = axis.keys[0].substr(0, low);  // "jnd.delta"
  const size_t dot = stem.find('.');
  RangeName name{stem.substr(0, dot), stem.substr(dot + 1), axis.keys[0].substr(low + 4)};
  for (char& c : name.section) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (name.quantity == "delta") name.quantity = "Δ";
  if (name.quantity == "snr") name.quantity = "SNR";
  if (!name.unit.empty() && name.unit[0] == '_') name.unit.erase(0, 1);
  if (name.unit == "db") name.unit = "dB";
  return name;
}

// The x-axis title: "JND Δ range (dB)", else the full keys.
std::string AxisTitle(const SweepAxis& axis) {
  const auto range = RangeAxisName(axis);
  if (!range) return axis.Label();
  return range->section + " " + range->quantity + " range" + (range->unit.empty() ? "" : " (" + range->unit + ")");
}

// A setting as a category tick label: "0–1" for a range, else its values.
std::string SettingText(const SweepAxis& axis, size_t setting) {
  if (RangeAxisName(axis)) return axis.values[setting][0] + "–" + axis.values[setting][1];
  return axis.ValueLabel(setting);
}

// A setting in a legend, whole and distinct: "Δ 0–1 dB" for a range, else
// "model.projection_head = true".
std::string LegendText(const SweepAxis& axis, size_t setting) {
  const auto range = RangeAxisName(axis);
  if (range) return range->quantity + " " + SettingText(axis, setting) + (range->unit.empty() ? "" : " " + range->unit);
  return axis.Label() + " = " + axis.ValueLabel(setting);
}

size_t SettingIndex(const SweepAxis& axis, const std::string& label) {
  size_t setting = 0;
  while (setting + 1 < axis.values.size() && axis.ValueLabel(setting) != label) ++setting;
  return setting;
}

// x positions of an axis: its numbers when every setting is one number,
// else the settings' indices, drawn as categories.
std::vector<double> AxisPositions(const SweepAxis& axis, bool* numeric) {
  std::vector<double> x;
  *numeric = axis.keys.size() == 1;
  for (size_t s = 0; s < axis.values.size() && *numeric; ++s) {
    try {
      size_t used = 0;
      x.push_back(std::stod(axis.values[s][0], &used));
      *numeric = used == axis.values[s][0].size();
    } catch (const std::exception&) {
      *numeric = false;
    }
  }
  if (!*numeric) {
    x.clear();
    for (size_t s = 0; s < axis.values.size(); ++s) x.push_back(double(s));
  }
  return x;
}

// "mean_pcc" → "mean PCC".
std::string MetricTitle(const std::string& metric) {
  std::string title = metric.substr(0, metric.find('_')) + " ";
  for (const char c : metric.substr(metric.find('_') + 1)) title += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return title;
}

// sweep-<metric>-vs-<keys>.png and .svg: the metric against each axis's
// settings, one line per combination of the other axes' settings.
void WritePlots(const SweepOptions& options, const SweepPlan& plan, const std::vector<PointResult>& results) {
  const char* plotted[] = {"mean_pcc", "mean_srcc", "mean_rmse"};
  const bool seeds = std::any_of(options.axes.begin(), options.axes.end(), IsSeedAxis);
  for (size_t a = 0; a < options.axes.size(); ++a) {
    const SweepAxis& axis = options.axes[a];
    if (IsSeedAxis(axis)) continue;
    bool numeric = false;
    const std::vector<double> x = AxisPositions(axis, &numeric);
    PlotOptions plot;
    plot.x.label = AxisTitle(axis);
    if (!numeric)
      for (size_t s = 0; s < axis.values.size(); ++s) plot.x.categories.push_back(SettingText(axis, s));
    for (const char* metric : plotted) {
      // Line name → setting of this axis → the finite values of its points
      // (several when a seed axis replicates them); lines in point order.
      std::vector<std::string> names;
      std::map<std::string, std::map<size_t, std::vector<double>>> pooled;
      for (size_t p = 0; p < plan.points.size(); ++p) {
        const SweepPoint& point = plan.points[p];
        std::string name;
        for (size_t b = 0; b < options.axes.size(); ++b)
          if (b != a && !IsSeedAxis(options.axes[b]))
            name += (name.empty() ? "" : ", ") + LegendText(options.axes[b], SettingIndex(options.axes[b], point.labels[b]));
        if (name.empty()) name = MetricTitle(metric);
        if (!pooled.count(name)) names.push_back(name);
        std::vector<double>& values = pooled[name][SettingIndex(axis, point.labels[a])];
        const auto found = results[p].values.find(metric);
        if (found != results[p].values.end() && std::isfinite(found->second)) values.push_back(found->second);
      }
      std::vector<PlotSeries> series;
      for (const std::string& name : names) {
        PlotSeries line;
        line.name = name;
        for (const auto& [setting, values] : pooled[name]) {
          double mean = NAN, spread = 0;
          if (!values.empty()) mean = std::accumulate(values.begin(), values.end(), 0.0) / values.size();
          for (const double v : values) spread += (v - mean) * (v - mean);
          line.x.push_back(x[setting]);
          line.y.push_back(mean);
          // Sample standard deviation over the seeds (none for one seed).
          if (seeds) line.y_error.push_back(values.size() > 1 ? std::sqrt(spread / (values.size() - 1)) : 0.0);
        }
        series.push_back(std::move(line));
      }
      plot.title = MetricTitle(metric) + " vs " + plot.x.label + (seeds ? " (mean ± s.d. over seeds)" : "");
      plot.y.label = MetricTitle(metric) + " over the test sets";
      std::string file_key = axis.Label();
      for (char& c : file_key)
        if (c == ':') c = '+';
      WriteLinePlot((fs::path(options.sweep_dir) / ("sweep-" + std::string(metric) + "-vs-" + file_key + ".png")).string(),
                    series, plot);
    }
  }
}

}  // namespace

std::vector<SweepAxis> SweepAxes(const std::string& config_path, const std::vector<std::string>& overrides,
                                 std::vector<std::string> grid, int seeds) {
  Config config;
  AddConfigSections(config);
  config.Load(config_path, overrides);
  if (seeds > 0) {
    // Every seed the graph reads moves together: seed k for synthesis,
    // pretraining and fine-tuning alike.
    std::string keys, values;
    for (const char* key : {"synth.seed", "pretrain.seed", "finetune.seed"})
      if (config.HasKey(key)) keys += (keys.empty() ? "" : ":") + std::string(key);
    for (int seed = 1; seed <= seeds; ++seed) {
      std::string value;
      for (size_t k = 0; k < SplitList(keys, ':').size(); ++k) value += (k ? ":" : "") + std::to_string(seed);
      values += (seed > 1 ? "," : "") + value;
    }
    grid.push_back(keys + "=" + values);
  }
  std::vector<SweepAxis> axes;
  for (const auto& [keys, settings] : config.SweepEntries()) axes.push_back(ParseSweepAxis(keys, settings));
  for (const std::string& text : grid) {
    SweepAxis axis = ParseSweepAxis(text);
    auto same = std::find_if(axes.begin(), axes.end(), [&](const SweepAxis& a) { return a.Label() == axis.Label(); });
    if (same != axes.end())
      *same = std::move(axis);
    else
      axes.push_back(std::move(axis));
  }
  if (axes.empty()) throw UsageError("nothing to sweep: give --grid KEY=V1,V2 or a [sweep] section");
  // A misspelled key would make every point fail after the first ran.
  for (const SweepAxis& axis : axes)
    for (const std::string& key : axis.keys)
      if (!config.HasKey(key))
        throw UsageError("sweep axis '" + axis.Label() + "': '" + key + "' is not a config key" +
                         config.Suggestion(key));
  return axes;
}

std::unique_ptr<Config> SweepBaseConfig(const SweepOptions& options) { return PointConfig(options, SweepPoint{}); }

std::string SweepFolder(const SweepOptions& options) {
  std::string definition = SweepBaseConfig(options)->ToIni() + "[sweep axes]\n";
  std::string readable;
  for (const SweepAxis& axis : options.axes) {
    definition += axis.Label() + " =";
    for (size_t s = 0; s < axis.values.size(); ++s) definition += " " + axis.ValueLabel(s);
    definition += "\n";
    for (const std::string& key : axis.keys) readable += (readable.empty() ? "" : "+") + key.substr(key.find('.') + 1);
  }
  Sha256 hash;
  hash.Update(definition.data(), definition.size());
  return (fs::path(options.run_dir) / "sweeps" / (readable + "-" + hash.HexDigest().substr(0, 8))).string();
}

SweepPlan PlanSweep(const SweepOptions& options) {
  SweepPlan plan;
  plan.points = ExpandSweep(options.axes);
  std::map<std::string, int> uses;
  // Planning every point would log each stage's cache verdict: keep quiet.
  const LogLevel level = CurrentLogLevel();
  SetLogLevel(std::max(level, LogLevel::kWarn));
  for (const SweepPoint& point : plan.points) {
    plan.reports.emplace_back();
    plan.errors.emplace_back();
    try {  // a bad value fails its point, not the sweep
      const auto config = PointConfig(options, point);
      const StageGraph graph(config->GraphEntries(), Registry());
      RunOptions run;
      run.run_dir = options.run_dir;
      run.plan_only = true;
      plan.reports.back() = RunGraph(*config, graph, Registry(), run);
    } catch (const std::exception& error) {
      plan.errors.back() = error.what();
    }
    for (const StageReport& stage : plan.reports.back().stages) ++uses[stage.stage + "-" + stage.key];
  }
  SetLogLevel(level);
  for (const auto& [stage_key, count] : uses)
    if (count > 1) plan.shared.insert(stage_key);
  return plan;
}

std::string FormatSweepPlan(const SweepOptions& options, const SweepPlan& plan) {
  std::ostringstream out;
  out << plan.points.size() << " points in " << fs::absolute(options.sweep_dir).string() << " (stages in "
      << fs::absolute(options.run_dir).string() << ")\n";
  std::map<std::string, int> first_point;
  for (size_t p = 0; p < plan.points.size(); ++p) {
    out << "  " << plan.points[p].Name();
    for (size_t a = 0; a < options.axes.size(); ++a) out << "  " << options.axes[a].Label() << "=" << plan.points[p].labels[a];
    out << "\n   ";
    if (!plan.errors[p].empty()) out << " fails: " << plan.errors[p];
    for (const StageReport& stage : plan.reports[p].stages) {
      const std::string stage_key = stage.stage + "-" + stage.key;
      out << " " << stage.stage << ": ";
      if (stage.outcome == StageOutcome::kCached)
        out << "cached";
      else if (first_point.count(stage_key))
        out << "shared with " << plan.points[first_point[stage_key]].Name();
      else
        out << (plan.shared.count(stage_key) ? "runs (shared)" : "runs");
      first_point.emplace(stage_key, static_cast<int>(p));
    }
    out << "\n";
  }
  return out.str();
}

int RunSweepPoints(const SweepOptions& options, const SweepPlan& plan, std::optional<int> only_point, bool shared_only) {
  int failed = 0;
  for (const SweepPoint& point : plan.points) {
    if (only_point && *only_point != point.index) continue;
    const std::string dir = PointDir(options, point);
    nlohmann::json result = {{"point", point.index}, {"status", "failed"}};
    for (size_t a = 0; a < options.axes.size(); ++a) result["values"][options.axes[a].Label()] = point.labels[a];
    if (!plan.errors[point.index].empty()) {
      if (shared_only) continue;
      result["error"] = plan.errors[point.index];
      fs::create_directories(dir);
      WriteFileAtomically((fs::path(dir) / "result.json").string(), result.dump(2) + "\n");
      JSQA_LOG(kWarn) << "sweep: " << point.Name() << " failed: " << plan.errors[point.index];
      ++failed;
      continue;
    }
    const auto config = PointConfig(options, point);
    auto entries = config->GraphEntries();
    if (shared_only) {
      const auto& stages = plan.reports[point.index].stages;
      entries.erase(std::remove_if(entries.begin(), entries.end(),
                                   [&](const auto& entry) {
                                     const auto stage = std::find_if(stages.begin(), stages.end(), [&](const StageReport& r) {
                                       return r.stage == entry.first;
                                     });
                                     return stage == stages.end() || !plan.shared.count(stage->stage + "-" + stage->key);
                                   }),
                    entries.end());
      if (entries.empty()) continue;
    }
    JSQA_LOG(kInfo) << "sweep: " << point.Name() << (shared_only ? " (shared stages)" : "") << ": "
                    << JoinList(point.overrides, " ");
    const StageGraph graph(entries, Registry());
    RunOptions run;
    run.run_dir = options.run_dir;
    run.update_run_links = false;
    const RunReport report = RunGraph(*config, graph, Registry(), run);
    if (shared_only) continue;
    result["status"] = report.ok() ? "ok" : "failed";
    for (const StageReport& stage : report.stages) {
      if (!stage.folder.empty()) result["stages"][stage.stage] = stage.folder;
      if (!stage.error.empty()) result["error"] = stage.stage + ": " + stage.error;
    }
    fs::create_directories(dir);
    WriteFileAtomically((fs::path(dir) / "config.ini").string(), config->ToIni());
    WriteFileAtomically((fs::path(dir) / "result.json").string(), result.dump(2) + "\n");
    if (!report.ok()) {
      ++failed;
      JSQA_LOG(kWarn) << "sweep: " << point.Name() << " failed: " << result.value("error", "");
    }
  }
  return failed;
}

std::string CollectSweep(const SweepOptions& options, const SweepPlan& plan) {
  // The points' stage folders join the run folder's index here, once: the
  // points themselves leave the run's links alone, and points running as
  // separate jobs would race on the file.
  WriteRunIndex(options.run_dir);
  std::vector<std::string> dbs;
  std::vector<PointResult> results;
  for (const SweepPoint& point : plan.points) results.push_back(ReadPointResult(options, point, dbs));

  std::vector<std::string> header{"point"};
  for (const SweepAxis& axis : options.axes) header.push_back(axis.Label());
  header.insert(header.end(), {"status", "pairs", "jnd_acceptance", "pretrain_loss"});
  for (const char* metric : kMetrics) header.push_back(std::string("mean_") + metric);
  for (const std::string& db : dbs)
    for (const char* metric : kMetrics) header.push_back(db + "_" + metric);
  header.insert(header.end(), {"seconds", "error"});
  std::vector<std::vector<std::string>> rows{header};

  std::ostringstream md;
  md << "| point |";
  for (const SweepAxis& axis : options.axes) md << " " << axis.Label() << " |";
  md << " status | pairs | JND acceptance | mean RMSE | mean PCC | mean SRCC |";
  for (const std::string& db : dbs) md << " " << db << " PCC |";
  md << " seconds |\n|---|";
  for (size_t i = 0; i < options.axes.size() + 7 + dbs.size(); ++i) md << "---|";
  md << "\n";
  for (size_t p = 0; p < plan.points.size(); ++p) {
    const PointResult& result = results[p];
    const auto value = [&](const std::string& column) {
      const auto found = result.values.find(column);
      return found == result.values.end() ? NAN : found->second;
    };
    std::vector<std::string> row{plan.points[p].Name()};
    row.insert(row.end(), plan.points[p].labels.begin(), plan.points[p].labels.end());
    for (size_t c = options.axes.size() + 1; c + 2 < header.size(); ++c)
      row.push_back(header[c] == "status" ? result.status : FormatDouble(value(header[c])));
    for (std::string& cell : row)
      if (cell == "nan") cell.clear();
    row.push_back(Cell(value("seconds"), 1));
    row.push_back(result.error);
    rows.push_back(row);
    md << "| " << plan.points[p].Name() << " |";
    for (const std::string& label : plan.points[p].labels) md << " " << label << " |";
    md << " " << result.status << " | " << Cell(value("pairs"), 0) << " | " << Cell(value("jnd_acceptance"))
       << " | " << Cell(value("mean_rmse")) << " | " << Cell(value("mean_pcc")) << " | " << Cell(value("mean_srcc")) << " |";
    for (const std::string& db : dbs) md << " " << Cell(value(db + "_pcc")) << " |";
    md << " " << Cell(value("seconds"), 1) << " |\n";
  }
  WriteCsvFile((fs::path(options.sweep_dir) / "sweep.csv").string(), rows);
  // Points of a seed axis are replicates: the plots pool them (mean ± one
  // standard deviation) and the settings table gives their confidence
  // intervals.
  md << CompareSettings(options.axes, plan.points, results, dbs, options.sweep_dir);
  WriteFileAtomically((fs::path(options.sweep_dir) / "sweep.md").string(), md.str());
  WritePlots(options, plan, results);
  return md.str();
}

}  // namespace jsqa
