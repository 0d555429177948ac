#include "tools/cli/inspect_folders.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "pipeline/base/text_files.h"
#include "pipeline/corpus/corpus_report.h"
#include "pipeline/synthesis/synth_report.h"
#include "pipeline/run/artifact_cache.h"
#include "tools/cli/report_tables.h"

namespace jsqa {
namespace fs = std::filesystem;
namespace {

std::vector<fs::path> SortedEntries(const fs::path& folder) {
  std::vector<fs::path> entries;
  for (const auto& entry : fs::directory_iterator(folder)) entries.push_back(entry.path());
  std::sort(entries.begin(), entries.end());
  return entries;
}

bool StartsWith(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

// A sweep point's values ("finetune.learning_rate=0.001, ...").
std::string PointValues(const nlohmann::json& result) {
  std::string text;
  if (result.contains("values"))
    for (const auto& value : result["values"].items())
      text += (text.empty() ? "" : ", ") + value.key() + "=" + value.value().get<std::string>();
  return text;
}

}  // namespace

std::string FormatBytes(uintmax_t bytes) {
  static const char* const kUnits[] = {"B", "kB", "MB", "GB", "TB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1000.0 && unit < 4) {
    value /= 1000.0;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.1f %s", value, kUnits[unit]);
  return text;
}

FolderKind DetectFolderKind(const fs::path& folder) {
  if (fs::exists(folder / "stages.tsv")) return FolderKind::kRun;
  if (fs::exists(folder / "sweep.csv")) return FolderKind::kSweep;
  for (const fs::path& entry : SortedEntries(folder))
    if (StartsWith(entry.filename().string(), "point-") && fs::is_directory(entry)) return FolderKind::kSweep;
  if (fs::exists(folder / "result.json")) return FolderKind::kSweepPoint;
  if (fs::exists(folder / "summary.json") || fs::exists(folder / kCompleteMarker)) return FolderKind::kStage;
  if (fs::exists(folder / "manifest.json")) return FolderKind::kShardSet;
  for (const fs::path& entry : SortedEntries(folder))
    if (StartsWith(entry.filename().string(), "pairs-") && entry.extension() == ".json") return FolderKind::kShardSet;
  return FolderKind::kUnknown;
}

void InspectRunFolder(std::ostream& out, const fs::path& folder) {
  out << folder.string() << ": run folder; config.ini holds the config of its last run\n";
  std::vector<std::vector<std::string>> rows{{"stage", "folder", "status", "differs"}};
  std::istringstream index(ReadTextFile((folder / "stages.tsv").string()));
  std::string line;
  std::getline(index, line);  // header: stage key status differs
  while (std::getline(index, line)) {
    const std::vector<std::string> fields = SplitTabs(line);
    if (fields.size() < 4) continue;
    const std::string name = fields[0] + "-" + fields[1];
    // stages.tsv lists folders as they were when the run ended; one
    // deleted or emptied since is shown as such.
    const std::string status = !fs::exists(folder / name)                     ? "missing"
                               : !fs::exists(folder / name / kCompleteMarker) ? "INCOMPLETE"
                                                                              : fields[2];
    rows.push_back({fields[0], name, status, fields[3]});
  }
  out << "  stages (" << rows.size() - 1 << " folders; current: linked from " << folder.string() << "/<stage>):\n";
  PrintTable(out, rows, "    ");
  for (const fs::path& entry : SortedEntries(folder))
    if (StartsWith(entry.filename().string(), ".tmp."))
      out << "  unfinished: " << entry.filename().string() << " (a run was stopped in it; the next run removes it)\n";
  const fs::path sweeps = folder / "sweeps";
  if (!fs::is_directory(sweeps)) return;
  std::vector<std::vector<std::string>> sweep_rows{{"sweep", "points", "ok", "failed", "not run"}};
  for (const fs::path& sweep : SortedEntries(sweeps)) {
    if (!fs::is_directory(sweep)) continue;
    int points = 0, ok = 0, failed = 0;
    for (const fs::path& point : SortedEntries(sweep)) {
      if (!StartsWith(point.filename().string(), "point-") || !fs::is_directory(point)) continue;
      ++points;
      if (!fs::exists(point / "result.json")) continue;
      (ReadJsonFile((point / "result.json").string()).value("status", "") == "ok" ? ok : failed) += 1;
    }
    sweep_rows.push_back({"sweeps/" + sweep.filename().string(), std::to_string(points), std::to_string(ok),
                          std::to_string(failed), std::to_string(points - ok - failed)});
  }
  out << "  sweeps:\n";
  PrintTable(out, sweep_rows, "    ");
}

void InspectSweepFolder(std::ostream& out, const fs::path& folder) {
  out << folder.string() << ": sweep folder\n";
  std::vector<std::vector<std::string>> rows{{"point", "status", "values"}};
  for (const fs::path& point : SortedEntries(folder)) {
    if (!StartsWith(point.filename().string(), "point-") || !fs::is_directory(point)) continue;
    if (!fs::exists(point / "result.json")) {
      rows.push_back({point.filename().string(), "not run", ""});
      continue;
    }
    const nlohmann::json result = ReadJsonFile((point / "result.json").string());
    std::string status = result.value("status", "?");
    if (result.contains("error")) status += ": " + result["error"].get<std::string>();
    rows.push_back({point.filename().string(), status, PointValues(result)});
  }
  PrintTable(out, rows, "  ");
  if (fs::exists(folder / "sweep.md"))
    out << "  results (sweep.md; every column in sweep.csv):\n" << ReadTextFile((folder / "sweep.md").string());
  for (const fs::path& entry : SortedEntries(folder))
    if (entry.extension() == ".png") out << "  plot: " << entry.filename().string() << "\n";
}

void InspectSweepPoint(std::ostream& out, const fs::path& folder) {
  out << folder.string() << ": sweep point\n";
  PrintJsonReport(out, ReadJsonFile((folder / "result.json").string()));
}

namespace {

void PrintFiles(std::ostream& out, const fs::path& folder) {
  std::vector<std::vector<std::string>> files{{"file", "size"}};
  for (const fs::path& entry : SortedEntries(folder)) {
    if (fs::is_regular_file(entry))
      files.push_back({entry.filename().string(), FormatBytes(fs::file_size(entry))});
    else if (fs::is_directory(entry))
      files.push_back({entry.filename().string() + "/", std::to_string(std::distance(fs::directory_iterator(entry),
                                                                                     fs::directory_iterator{})) +
                                                            " entries"});
  }
  out << "  files:\n";
  PrintTable(out, files, "    ");
}

}  // namespace

void InspectStageFolder(std::ostream& out, const fs::path& folder) {
  const bool complete = fs::exists(folder / kCompleteMarker);
  out << folder.string() << ": stage folder, " << (complete ? "complete" : "INCOMPLETE") << "\n";
  if (fs::exists(folder / "summary.json")) PrintJsonReport(out, ReadJsonFile((folder / "summary.json").string()));
  // A prepare folder: its corpus report, made from its files (so a folder
  // made before reports existed gets one too).
  if (fs::exists(folder / "speech.tsv") || fs::exists(folder / "noise.tsv") || fs::exists(folder / "nisqa.tsv"))
    out << "\n" << CorpusReportMarkdown(folder.string()) << "\n";
  // A synth folder: its synthesis report, likewise.
  if (fs::exists(folder / "manifest.json")) out << "\n" << SynthReportMarkdown(folder.string()) << "\n";
  PrintFiles(out, folder);
}

void InspectShardFolder(std::ostream& out, const fs::path& folder) {
  if (!fs::exists(folder / "manifest.json")) {
    out << folder.string() << ": shard folder, INCOMPLETE (no manifest.json yet: shards of other jobs missing)\n";
  } else {
    // The report says what the manifest does, readably; `inspect
    // manifest.json` tables the manifest itself.
    out << folder.string() << ": shard folder, complete\n\n" << SynthReportMarkdown(folder.string()) << "\n";
  }
  PrintFiles(out, folder);
}

}  // namespace jsqa
