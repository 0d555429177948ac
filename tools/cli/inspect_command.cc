#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <sstream>

#include "augment/audio_io.h"
#include "pipeline/base/error.h"
#include "augment/mix.h"
#include "pipeline/run/artifact_cache.h"
#include "pipeline/corpus/item_manifest.h"
#include "pipeline/shards/shard_io.h"
#include "pipeline/run/stage_graph.h"
#include "pipeline/base/text_files.h"
#include "stages/builtin_stages.h"
#include "tools/cli/cli_options.h"
#include "tools/cli/command.h"
#include "pipeline/base/logging.h"
#include "pipeline/synthesis/shard_set.h"
#include "pipeline/base/progress.h"
#include "tools/cli/inspect_folders.h"
#include "tools/cli/report_tables.h"
#ifdef JSQA_WITH_TORCH
#include "model/model_file_info.h"
#endif

namespace jsqa {
namespace fs = std::filesystem;
namespace {

bool StartsWith(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

bool HasExtension(const fs::path& path, const std::string& extension) {
  std::string actual = path.extension().string();
  for (char& c : actual) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return actual == extension;
}

void InspectConfig(const std::string& path, const std::vector<std::string>& overrides) {
  Config config;
  LoadConfig(config, path, overrides);
  StageRegistry registry;
  RegisterBuiltinStages(registry);
  const StageGraph graph(config.GraphEntries(), registry);
  std::cout << "# " << path << ": valid; resolved config\n" << config.ToIni() << "\n# stages in run order\n";
  for (const GraphNode& node : graph.Ordered()) {
    const Stage& stage = registry.Get(node.stage);
    std::cout << "#   " << node.stage << " <- [" << JoinList(node.inputs, ", ") << "]  "
              << stage.Description() << "; settings: " << JoinList(stage.ConfigSections(), ", ") << "\n";
  }
}

void InspectManifest(const std::string& path) {
  const auto items = ReadItemManifest(path);
  double seconds = 0.0;
  for (const ManifestItem& item : items) seconds += item.DurationSeconds();
  std::cout << path << ": item manifest, " << items.size() << " files, " << FormatSeconds(seconds) << " of audio\n";
}

// skipped.tsv (prepare's and synth's): counts per code, then the entries.
void InspectSkippedList(const std::string& path) {
  std::istringstream lines(ReadTextFile(path));
  std::string line;
  std::getline(lines, line);  // header: where code reason
  std::vector<std::vector<std::string>> entries{{"code", "where", "reason"}};
  std::map<std::string, int> counts;
  while (std::getline(lines, line)) {
    const std::vector<std::string> fields = SplitTabs(line);
    if (fields.size() < 3)
      throw Error(path + ": line " + std::to_string(entries.size() + 1) + " has " + std::to_string(fields.size()) +
                  " fields, skipped.tsv has 3");
    ++counts[fields[1]];
    entries.push_back({fields[1], fields[0], fields[2]});
  }
  std::cout << path << ": skipped inputs, " << entries.size() - 1 << " in all\n";
  if (entries.size() == 1) return;
  std::vector<std::vector<std::string>> count_rows{{"code", "count"}};
  for (const auto& [code, count] : counts) count_rows.push_back({code, std::to_string(count)});
  PrintTable(std::cout, count_rows, "  ");
  PrintTable(std::cout, entries, "  ");
}

void InspectTsv(const fs::path& path) {
  std::istringstream lines(ReadTextFile(path.string()));
  std::string header;
  std::getline(lines, header);
  if (StartsWith(header, "where\tcode\treason"))
    InspectSkippedList(path.string());
  else if (StartsWith(header, "stage\tkey\tstatus"))
    InspectRunFolder(std::cout, path.parent_path());
  else
    InspectManifest(path.string());
}

// synth's manifest.json, a shard's sidecar, summary.json, result.json.
void InspectJson(const fs::path& path) {
  const nlohmann::json report = ReadJsonFile(path.string());
  const std::string what = report.contains("generator_version")                          ? "shard set manifest"
                           : report.contains("sha256") && report.contains("item_begin") ? "shard sidecar"
                           : report.contains("stage") && report.contains("key")         ? "stage summary"
                           : report.contains("point") && report.contains("stages")      ? "sweep point result"
                                                                                         : "JSON file";
  std::cout << path.string() << ": " << what << "\n";
  PrintJsonReport(std::cout, report);
}

#ifdef JSQA_WITH_TORCH
std::string JoinNumbers(const std::vector<int64_t>& numbers) {
  std::string text;
  for (int64_t number : numbers) text += (text.empty() ? "" : ",") + std::to_string(number);
  return text;
}

// encoder.pt / model.pt: the network, then what trained it (the summary of
// the stage folder the file sits in, when it still sits there).
void InspectModelFile(const fs::path& path) {
  const ModelFileInfo info = ReadModelFileInfo(path.string());
  std::cout << path.string() << ": " << info.kind << ", " << info.parameters << " parameters";
  if (info.kind != "encoder") std::cout << " (encoder " << info.encoder_parameters << ")";
  std::cout << "\n  " << info.channels.size() << " Conv1d layers, kernel " << info.kernel_size << ", channels "
            << JoinNumbers(info.channels) << "\n";
  if (info.architecture_recorded) {
    char gflops[32];
    std::snprintf(gflops, sizeof gflops, "%.3g", info.gflops_per_audio_second);
    std::cout << "  strides " << JoinNumbers(info.strides) << "; " << gflops
              << " GFLOP per second of audio (forward)\n";
  } else {
    std::cout << "  strides not recorded in this file (written by an older build): see config.ini beside it\n";
  }
  const fs::path folder = fs::canonical(path).parent_path();
  if (fs::exists(folder / "summary.json")) {
    std::cout << "trained by " << folder.string() << " (its summary.json; settings in its config.ini):\n";
    PrintJsonReport(std::cout, ReadJsonFile((folder / "summary.json").string()));
  } else {
    std::cout << "  no summary.json beside it: what trained it is not known here\n";
  }
}
#endif

// A damaged shard can hang or crash libhdf5, so its bytes are checked
// against the sidecar synth wrote before the library opens it. A shard
// without one (copied alone, or written by another tool) is read with a
// warning: nothing to check it against, and reading it is what inspect is for.
void CheckShardSidecar(const std::string& path) {
  const std::string sidecar = ShardSidecarPath(path);
  if (!fs::exists(sidecar)) {
    JSQA_LOG(kWarn) << path << ": no sidecar " << fs::path(sidecar).filename().string()
                    << " beside it: its SHA-256 is not checked";
    return;
  }
  if (!ShardMatchesSidecar(path, ReadJsonFile(sidecar)))
    throw Error(path + ": size or SHA-256 differs from its sidecar " + fs::path(sidecar).filename().string() +
                " (damaged or changed since synth wrote it); rerun synth into its folder to redo it");
}

void InspectShard(const std::string& path) {
  CheckShardSidecar(path);
  const ShardReader reader(path);
  const ShardInfo& info = reader.info();
  std::cout << path << ": JND-pair shard " << info.shard_index << " of " << info.shard_count << ", "
            << reader.pairs() << " pairs of " << info.segment_samples << " samples at " << info.sample_rate
            << " Hz (" << (info.sample_format == ShardSampleFormat::kInt16 ? "int16" : "float32")
            << (info.store_components ? ", with components" : "") << "), items [" << info.item_begin << ", "
            << info.item_end << "), seed " << info.seed << "\n";
  double delta_min = 1e300, delta_max = -1e300, snr_min = 1e300, snr_max = -1e300, probability = 0.0;
  for (int64_t i = 0; i < reader.pairs(); ++i) {
    const JndPair pair = reader.Read(i);
    const double delta = std::abs(pair.snr_b_db - pair.snr_a_db);
    delta_min = std::min(delta_min, delta);
    delta_max = std::max(delta_max, delta);
    snr_min = std::min({snr_min, pair.snr_a_db, pair.snr_b_db});
    snr_max = std::max({snr_max, pair.snr_a_db, pair.snr_b_db});
    probability += pair.jnd_probability;
    if (i < 3)
      std::cout << "  pair " << i << ": " << pair.utterance_id << " segment " << pair.segment << ", noise "
                << pair.noise_id << " @" << pair.noise_offset << ", snr_a " << pair.snr_a_db << " dB, snr_b "
                << pair.snr_b_db << " dB, P(same) " << pair.jnd_probability << "\n";
  }
  if (reader.pairs() > 0)
    std::cout << "  SNR " << snr_min << " .. " << snr_max << " dB, delta " << delta_min << " .. " << delta_max
              << " dB, mean P(same) " << probability / reader.pairs() << "\n";
}

void InspectAudio(const std::string& path) {
  const AudioInfo info = ProbeAudio(path);
  const Audio audio = ReadAudio(path);
  std::cout << path << ": " << info.container << " " << info.encoding << ", " << info.channels
            << " channel(s), " << info.sample_rate << " Hz, " << info.frames << " frames ("
            << info.DurationSeconds() << " s)\n"
            << "  mono mix: peak " << Peak(audio.samples) << " (linear), RMS " << RmsDbfs(audio.samples)
            << " dBFS\n";
}

}  // namespace

int InspectCommandMain(const std::vector<std::string>& args) {
  po::options_description options("inspect options");
  options.add_options()("path", po::value<std::string>()->required(),
                        "what to describe (positional): an audio file, a config (.ini), an HDF5 shard (.h5), a TSV the tool "
                        "wrote (items, skipped.tsv, stages.tsv), a JSON it wrote (summary, manifest, sidecar, result), "
                        "encoder.pt / model.pt, or a run, sweep, sweep point, stage or shard (synth --out) folder")(
      "set", po::value<std::vector<std::string>>()->composing(),
      "with a config: override a key, --set section.key=value (repeatable)");
  AddCommonOptions(options);
  po::positional_options_description positional;
  positional.add("path", 1);
  po::variables_map values;
  if (!ParseCommandLine("usage: jsqa-pipeline inspect PATH", args, options, positional, values)) return 0;

  const fs::path path = values["path"].as<std::string>();
  if (!fs::exists(path)) throw UsageError(path.string() + ": no such file or folder");
  if (fs::is_directory(path)) {
    switch (DetectFolderKind(path)) {
      case FolderKind::kRun: InspectRunFolder(std::cout, path); break;
      case FolderKind::kSweep: InspectSweepFolder(std::cout, path); break;
      case FolderKind::kSweepPoint: InspectSweepPoint(std::cout, path); break;
      case FolderKind::kStage: InspectStageFolder(std::cout, path); break;
      case FolderKind::kShardSet: InspectShardFolder(std::cout, path); break;
      case FolderKind::kUnknown:
        throw UsageError(path.string() +
                         ": not a folder the tool writes (no stages.tsv, sweep.csv, result.json, summary.json or "
                         "manifest.json)");
    }
  } else if (HasExtension(path, ".ini")) {
    InspectConfig(path.string(), values.count("set") ? values["set"].as<std::vector<std::string>>()
                                                      : std::vector<std::string>{});
  } else if (HasExtension(path, ".h5")) {
    InspectShard(path.string());
  } else if (HasExtension(path, ".tsv")) {
    InspectTsv(path);
  } else if (HasExtension(path, ".json")) {
    InspectJson(path);
  } else if (HasExtension(path, ".pt")) {
#ifdef JSQA_WITH_TORCH
    InspectModelFile(path);
#else
    throw UsageError(path.string() + ": this build has no torch (JSQA_WITH_TORCH=OFF) to read .pt files");
#endif
  } else {
    InspectAudio(path.string());
  }
  return 0;
}

}  // namespace jsqa
