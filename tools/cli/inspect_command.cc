#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>

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

namespace jsqa {
namespace fs = std::filesystem;
namespace {

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

void InspectStageFolder(const fs::path& folder) {
  const bool complete = fs::exists(folder / kCompleteMarker);
  std::cout << folder.string() << ": stage folder, " << (complete ? "complete" : "INCOMPLETE") << "\n";
  if (fs::exists(folder / "summary.json")) std::cout << ReadJsonFile((folder / "summary.json").string()).dump(2) << "\n";
  for (const auto& entry : fs::directory_iterator(folder))
    if (entry.is_regular_file())
      std::cout << "  " << entry.path().filename().string() << "  " << entry.file_size() << " bytes\n";
}

void InspectManifest(const std::string& path) {
  const auto items = ReadItemManifest(path);
  double seconds = 0.0;
  for (const ManifestItem& item : items) seconds += item.DurationSeconds();
  std::cout << path << ": item manifest, " << items.size() << " files, " << seconds / 3600.0 << " h\n";
}

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
                        "audio file, config (.ini), manifest (.tsv), HDF5 shard (.h5) or stage folder (positional)")(
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
    if (!fs::exists(path / "summary.json") && !fs::exists(path / kCompleteMarker))
      throw UsageError(path.string() + ": not a stage folder (no summary.json)");
    InspectStageFolder(path);
  } else if (HasExtension(path, ".ini")) {
    InspectConfig(path.string(), values.count("set") ? values["set"].as<std::vector<std::string>>()
                                                      : std::vector<std::string>{});
  } else if (HasExtension(path, ".h5")) {
    InspectShard(path.string());
  } else if (HasExtension(path, ".tsv")) {
    InspectManifest(path.string());
  } else {
    InspectAudio(path.string());
  }
  return 0;
}

}  // namespace jsqa
