// What a complete synthesis folder holds, read back for its report: the
// manifest, the run's totals, and per pair the realised figures its shards
// store (no audio is read).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "pipeline/corpus/item_manifest.h"
#include "pipeline/synthesis/synth_counts.h"

namespace jsqa {

// One stored pair's figures, in dB unless said otherwise.
struct PairFigures {
  std::string group;  // the noise environment; the noise id when the folder records no environments
  double snr_a_db = 0, snr_b_db = 0;
  double delta_db = 0;  // |snr_a − snr_b|
  double gain_a_db = 0, gain_b_db = 0;  // 20·log10 of the linear output gains
  double p_same = 0;  // the SVM's P(heard as the same)
  int32_t draws = 1;
  std::string dimension;  // what the pair differs in ("snr", ...)
  std::string chain;      // its base chain ("noise", "noise>amr_wb>packet_loss", ...)
};

struct SynthFolderFigures {
  nlohmann::json manifest;
  SynthCounts totals;
  // Whether manifest.json maps noise recordings to environments
  // ("noise_environments"); folders made before it group pairs by noise id.
  bool environments_recorded = false;
  std::vector<PairFigures> pairs;  // shard by shard, in file order
};

// manifest.json's "noise_environments": environment → the ids of its noise
// recordings (sorted), as the noise bank counts them (NoiseEnvironment), so
// that a pair's environment is known from its noise_id alone.
nlohmann::json NoiseEnvironmentsJson(const std::vector<ManifestItem>& noise);

// Reads folder/manifest.json and every shard it lists. Throws jsqa::Error
// naming the folder when it has no manifest.json (not complete), or naming
// the shard or noise id that cannot be read or placed.
SynthFolderFigures ReadSynthFolder(const std::string& folder);

}  // namespace jsqa
