#include "pipeline/synthesis/synth_folder_figures.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>

#include "pipeline/base/error.h"
#include "pipeline/base/text_files.h"
#include "pipeline/shards/shard_io.h"
#include "pipeline/synthesis/noise_bank.h"

namespace jsqa {
namespace fs = std::filesystem;

nlohmann::json NoiseEnvironmentsJson(const std::vector<ManifestItem>& noise) {
  std::map<std::string, std::vector<std::string>> ids;
  for (const ManifestItem& item : noise) ids[NoiseEnvironment(item)].push_back(item.item.id);
  for (auto& [unused, list] : ids) std::sort(list.begin(), list.end());
  return ids;
}

SynthFolderFigures ReadSynthFolder(const std::string& folder) {
  const fs::path manifest_path = fs::path(folder) / "manifest.json";
  if (!fs::exists(manifest_path))
    throw Error(folder + ": no manifest.json: not a complete synthesis folder (shards of other jobs missing?)");
  SynthFolderFigures figures;
  figures.manifest = ReadJsonFile(manifest_path.string());
  figures.totals = SynthCounts::FromJson(figures.manifest.at("totals"));
  std::map<std::string, std::string> environment_of;  // noise id → environment
  if (const auto recorded = figures.manifest.find("noise_environments"); recorded != figures.manifest.end()) {
    figures.environments_recorded = true;
    for (const auto& [environment, ids] : recorded->items())
      for (const nlohmann::json& id : ids) environment_of[id.get<std::string>()] = environment;
  }
  for (const nlohmann::json& shard : figures.manifest.at("shards")) {
    const std::string path = (fs::path(folder) / shard.at("file").get<std::string>()).string();
    const ShardReader reader(path);
    for (const JndPair& pair : reader.PairMetadata()) {
      PairFigures row;
      if (!figures.environments_recorded) {
        row.group = pair.noise_id;
      } else {
        const auto found = environment_of.find(pair.noise_id);
        JSQA_CHECK(found != environment_of.end(), path, ": noise '", pair.noise_id,
                   "' of pair ", pair.item_index, " is not in manifest.json's noise_environments");
        row.group = found->second;
      }
      row.snr_a_db = pair.snr_a_db;
      row.snr_b_db = pair.snr_b_db;
      row.delta_db = std::abs(pair.snr_a_db - pair.snr_b_db);
      row.gain_a_db = 20 * std::log10(pair.gain_a);
      row.gain_b_db = 20 * std::log10(pair.gain_b);
      row.p_same = pair.jnd_probability;
      row.draws = pair.draws;
      row.dimension = pair.dimension;
      row.chain = pair.chain;
      figures.pairs.push_back(std::move(row));
    }
  }
  return figures;
}

}  // namespace jsqa
