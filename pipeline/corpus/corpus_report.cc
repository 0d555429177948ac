#include "pipeline/corpus/corpus_report.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <sstream>
#include <vector>

#include "pipeline/base/progress.h"
#include "pipeline/base/text_files.h"
#include "pipeline/corpus/file_signal.h"
#include "pipeline/corpus/item_manifest.h"
#include "pipeline/reports/histogram.h"

namespace jsqa {
namespace fs = std::filesystem;
namespace {

constexpr const char* kKinds[] = {"speech", "noise", "nisqa"};
// A mean over 1 % of full scale (−40 dBFS) is an offset in the recording
// chain large enough to matter (it takes headroom and is amplified with the
// speech). Smaller ones are common and harmless: the demo's speaker 1001
// has 0.007, most files a few 1e-5.
constexpr double kDcOffsetLimit = 0.01;
// jnd.max_noise_dropout_ms's default: a run of exact zeros this long is a
// digital dropout.
constexpr double kDropoutSeconds = 0.05;
constexpr size_t kExtremeFiles = 5;  // quietest and loudest files listed per kind

// The group a file is reported under: its LibriSpeech subset, noise
// environment (CHiME-3's, or the folder of a plain file), NISQA database.
std::string GroupOf(const ManifestItem& entry) {
  for (const char* tag : {"subset", "env", "db"})
    if (const std::string* value = entry.item.Tag(tag)) return *value;
  return "other";
}

const char* GroupTitle(const std::string& kind) {
  if (kind == "speech") return "subset";
  if (kind == "noise") return "environment";
  return "database";
}

// A statistic of no files (NaN) shows as a dash.
std::string Fixed(double value, int decimals) { return std::isnan(value) ? "–" : FormatFixed(value, decimals); }

// Linear interpolation between order statistics; q in [0, 1]. NaN when empty.
double Quantile(std::vector<double> values, double q) {
  if (values.empty()) return std::nan("");
  std::sort(values.begin(), values.end());
  const double at = q * static_cast<double>(values.size() - 1);
  const size_t below = static_cast<size_t>(std::floor(at));
  const size_t above = std::min(below + 1, values.size() - 1);
  return values[below] + (at - static_cast<double>(below)) * (values[above] - values[below]);
}

// "16000 (40), 48000 (2)": each value with its number of files.
template <typename T>
std::string Tally(const std::map<T, int64_t>& counts) {
  std::string text;
  for (const auto& [value, count] : counts)
    text += (text.empty() ? "" : ", ") + std::to_string(value) + " (" + std::to_string(count) + ")";
  return text;
}

std::string Row(const std::vector<std::string>& cells) {
  std::string row = "|";
  for (const std::string& cell : cells) row += " " + cell + " |";
  return row + "\n";
}

std::string Header(const std::vector<std::string>& cells) {
  std::string rule = "|";
  for (size_t i = 0; i < cells.size(); ++i) rule += i == 0 ? "---|" : "--:|";
  return Row(cells) + rule + "\n";
}

struct File {
  const ManifestItem* entry;
  const FileSignal* signal;  // null without signal.tsv
  std::string group;
};

struct KindFiles {
  std::string kind;
  std::vector<ManifestItem> items;
  std::map<std::string, FileSignal> signals;  // by id
  std::vector<File> files;                    // items with their group and signal, in manifest order

  bool measured() const { return !signals.empty(); }
  // Groups by name, then "all" when there are several.
  std::vector<std::pair<std::string, std::vector<const File*>>> Groups() const {
    std::map<std::string, std::vector<const File*>> by_group;
    std::vector<const File*> all;
    for (const File& file : files) {
      by_group[file.group].push_back(&file);
      all.push_back(&file);
    }
    std::vector<std::pair<std::string, std::vector<const File*>>> groups(by_group.begin(), by_group.end());
    if (groups.size() > 1) groups.emplace_back("all", all);
    return groups;
  }
};

std::vector<KindFiles> ReadKinds(const fs::path& folder) {
  std::vector<FileSignalRow> rows;
  if (fs::exists(folder / "signal.tsv")) rows = ReadFileSignals((folder / "signal.tsv").string());
  std::vector<KindFiles> kinds;
  for (const char* kind : kKinds) {
    const fs::path manifest = folder / (std::string(kind) + ".tsv");
    if (!fs::exists(manifest)) continue;
    KindFiles files{kind, ReadItemManifest(manifest.string()), {}, {}};
    for (const FileSignalRow& row : rows)
      if (row.kind == kind) files.signals.emplace(row.id, row.signal);
    kinds.push_back(std::move(files));
  }
  // Pointers into items and signals, taken once the vector no longer moves.
  for (KindFiles& files : kinds)
    for (const ManifestItem& entry : files.items) {
      const auto signal = files.signals.find(entry.item.id);
      files.files.push_back({&entry, signal == files.signals.end() ? nullptr : &signal->second, GroupOf(entry)});
    }
  return kinds;
}

std::string FilesTable(const KindFiles& kind) {
  std::string text = Header({GroupTitle(kind.kind), "files", "audio", "sample rates (Hz)", "channels",
                             "duration (s): min / median / max"});
  for (const auto& [group, files] : kind.Groups()) {
    double seconds = 0;
    std::map<int, int64_t> rates, channels;
    std::vector<double> durations;
    for (const File* file : files) {
      seconds += file->entry->DurationSeconds();
      ++rates[file->entry->sample_rate];
      ++channels[file->entry->channels];
      durations.push_back(file->entry->DurationSeconds());
    }
    text += Row({group, std::to_string(files.size()), FormatSeconds(seconds), Tally(rates), Tally(channels),
                 Fixed(Quantile(durations, 0), 1) + " / " + Fixed(Quantile(durations, 0.5), 1) + " / " +
                     Fixed(Quantile(durations, 1), 1)});
  }
  return text;
}

std::string SignalTable(const KindFiles& kind) {
  std::string text = Header({GroupTitle(kind.kind), "active level (dBov): 5 % / median / 95 %",
                             "activity: min / median", "no activity", "clipped", "DC offset", "dropouts"});
  for (const auto& [group, files] : kind.Groups()) {
    std::vector<double> levels, activities;
    int64_t silent = 0, clipped = 0, offset = 0, dropouts = 0;
    for (const File* file : files) {
      const FileSignal* s = file->signal;
      if (!s) continue;
      if (std::isfinite(s->active_level_db))
        levels.push_back(s->active_level_db);
      else
        ++silent;
      activities.push_back(s->activity);
      clipped += s->clipped_runs > 0;
      offset += std::abs(s->dc_offset) >= kDcOffsetLimit;
      dropouts += s->longest_zero_run_s >= kDropoutSeconds;
    }
    text += Row({group,
                 Fixed(Quantile(levels, 0.05), 1) + " / " + Fixed(Quantile(levels, 0.5), 1) + " / " +
                     Fixed(Quantile(levels, 0.95), 1),
                 Fixed(Quantile(activities, 0), 2) + " / " + Fixed(Quantile(activities, 0.5), 2),
                 std::to_string(silent), std::to_string(clipped), std::to_string(offset), std::to_string(dropouts)});
  }
  return text;
}

// The kExtremeFiles quietest (no activity first) or loudest files by
// active speech level, ties by id.
std::string ExtremeFiles(const KindFiles& kind, bool loudest) {
  std::vector<const File*> files;
  for (const File& file : kind.files)
    if (file.signal) files.push_back(&file);
  std::sort(files.begin(), files.end(), [&](const File* a, const File* b) {
    const double la = a->signal->active_level_db, lb = b->signal->active_level_db;
    if (la != lb) return loudest ? la > lb : la < lb;
    return a->entry->item.id < b->entry->item.id;
  });
  files.resize(std::min(files.size(), kExtremeFiles));
  std::string text = Header({"file", GroupTitle(kind.kind), "active level (dBov)", "activity", "long-term (dBov)",
                             "peak (dBFS)"});
  for (const File* file : files)
    text += Row({"`" + file->entry->item.id + "`", file->group, Fixed(file->signal->active_level_db, 1),
                 Fixed(file->signal->activity, 2), Fixed(file->signal->long_term_db, 1),
                 Fixed(file->signal->peak_db, 1)});
  return text;
}

std::string PlotName(const std::string& kind, const std::string& quantity) {
  return "report-" + kind + "-" + quantity;
}

// 1, 2 or 5 times a power of ten: about span / 25, so a histogram has 10–25 bins.
double NiceWidth(double span) {
  if (!(span > 0)) return 1.0;
  const double raw = span / 25.0;
  const double decade = std::pow(10.0, std::floor(std::log10(raw)));
  for (const double step : {1.0, 2.0, 5.0})
    if (raw <= step * decade) return step * decade;
  return 10.0 * decade;
}

struct Histogram {
  std::string quantity, title, axis;
  std::vector<HistogramGroup> groups;
  double width;
};

// The histograms of kind: duration always; level and activity when measured.
std::vector<Histogram> Histograms(const KindFiles& kind) {
  std::map<std::string, HistogramGroup> durations, levels, activities;
  double longest = 0;
  for (const File& file : kind.files) {
    durations[file.group].values.push_back(file.entry->DurationSeconds());
    longest = std::max(longest, file.entry->DurationSeconds());
    if (!file.signal) continue;
    levels[file.group].values.push_back(file.signal->active_level_db);
    activities[file.group].values.push_back(file.signal->activity);
  }
  const auto groups = [](std::map<std::string, HistogramGroup>& by_name) {
    std::vector<HistogramGroup> list;
    for (auto& [name, group] : by_name) {
      group.name = name;
      list.push_back(std::move(group));
    }
    return list;
  };
  std::vector<Histogram> histograms;
  histograms.push_back({"duration", kind.kind + ": file durations", "duration (s)", groups(durations), NiceWidth(longest)});
  if (kind.measured()) {
    histograms.push_back({"level", kind.kind + ": ITU-T P.56 active speech level per file", "active speech level (dBov)",
                          groups(levels), 2.0});
    histograms.push_back({"activity", kind.kind + ": P.56 activity per file", "active fraction", groups(activities), 0.05});
  }
  return histograms;
}

std::string KindSection(const KindFiles& kind) {
  double seconds = 0;
  for (const ManifestItem& entry : kind.items) seconds += entry.DurationSeconds();
  std::ostringstream text;
  text << "## " << kind.kind << ": " << kind.items.size() << " files, " << FormatSeconds(seconds) << "\n\n";
  if (kind.items.empty()) return text.str();
  text << FilesTable(kind) << "\n";
  if (kind.measured()) {
    text << SignalTable(kind) << "\n"
         << "Quietest files:\n\n" << ExtremeFiles(kind, false) << "\nLoudest files:\n\n"
         << ExtremeFiles(kind, true) << "\n";
  }
  for (const Histogram& histogram : Histograms(kind))
    text << "![" << histogram.title << "](" << PlotName(kind.kind, histogram.quantity) << ".png)\n";
  return text.str() + "\n";
}

// skipped.tsv's lines counted by kind ("speech: PATH") and code.
std::string SkippedSection(const fs::path& folder) {
  std::map<std::pair<std::string, std::string>, int64_t> counts;
  int64_t total = 0;
  if (fs::exists(folder / "skipped.tsv")) {
    std::istringstream in(ReadTextFile((folder / "skipped.tsv").string()));
    std::string line;
    std::getline(in, line);  // header: where code reason
    while (std::getline(in, line)) {
      const std::vector<std::string> fields = SplitTabs(line);
      if (fields.size() < 2) continue;
      const size_t colon = fields[0].find(": ");
      ++counts[{colon == std::string::npos ? "?" : fields[0].substr(0, colon), fields[1]}];
      ++total;
    }
  }
  std::string text = "## Passed over: " + std::to_string(total) + " files (each with its reason in skipped.tsv)\n\n";
  if (counts.empty()) return text;
  text += Header({"kind", "code", "files"});
  for (const auto& [key, count] : counts) text += Row({key.first, "`" + key.second + "`", std::to_string(count)});
  return text + "\n";
}

std::string Markdown(const std::vector<KindFiles>& kinds, const fs::path& folder) {
  std::ostringstream text;
  text << "# Corpus report\n\n";
  const bool measured = std::any_of(kinds.begin(), kinds.end(), [](const KindFiles& k) { return k.measured(); });
  if (measured)
    text << "Every file was decoded (prepare.check = decode). Levels are ITU-T P.56 active speech levels of the "
            "file as later stages read it (mono), in dBov; activity is P.56's active fraction. Counted per "
            "file: no activity (nothing above P.56's lowest threshold: silence or dither), clipped (runs of 3+ "
            "full-scale samples), DC offset (mean beyond ±"
         << Fixed(kDcOffsetLimit, 2) << " of full scale), dropouts (a run of exact zeros of "
         << Fixed(kDropoutSeconds * 1000, 0) << " ms or more). Per file in signal.tsv.\n\n";
  else
    text << "Headers only (prepare.check = header): set prepare.check = decode for active speech levels, "
            "activity, clipping, DC offset and dropouts.\n\n";
  for (const KindFiles& kind : kinds) text << KindSection(kind);
  text << SkippedSection(folder);
  return text.str();
}

}  // namespace

std::string CorpusReportMarkdown(const std::string& folder) { return Markdown(ReadKinds(folder), folder); }

void WriteCorpusReport(const std::string& folder) {
  const std::vector<KindFiles> kinds = ReadKinds(folder);
  for (const KindFiles& kind : kinds) {
    if (kind.items.empty()) continue;
    for (const Histogram& histogram : Histograms(kind)) {
      PlotOptions options;
      options.title = histogram.title;
      options.x.label = histogram.axis;
      options.y.label = "files";
      // Room for a legend of many groups (NISQA has 7 databases) under the chart.
      options.height = std::max(500, 340 + 30 * static_cast<int>(histogram.groups.size()));
      WriteHistogram((fs::path(folder) / PlotName(kind.kind, histogram.quantity)).string(), histogram.groups,
                     BinsFor(histogram.groups, histogram.width), options);
    }
  }
  WriteFileAtomically((fs::path(folder) / "report.md").string(), Markdown(kinds, folder));
}

}  // namespace jsqa
