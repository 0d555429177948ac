// What a synthesis run did, counted: draws and acceptances per noise
// environment, dropped segments, skipped segments by reason. Counts add up
// across units, shards and jobs, so any split reports the same totals.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace jsqa {

// counts[key], 0 when the key is absent.
int64_t CountOf(const std::map<std::string, int64_t>& counts, const std::string& key);

struct SynthCounts {
  int64_t segments = 0;  // items attempted
  int64_t pairs = 0;     // pairs written
  int64_t dropped = 0;   // segments whose every draw the SVM rejected
  std::map<std::string, int64_t> draws_by_environment;
  std::map<std::string, int64_t> accepted_by_environment;
  // The same by JND dimension (chain_plan.h); unjudged: accepted with no
  // SVM for the dimension; failed: draws a chain step failed on.
  std::map<std::string, int64_t> draws_by_dimension;
  std::map<std::string, int64_t> accepted_by_dimension;
  std::map<std::string, int64_t> unjudged_by_dimension;
  std::map<std::string, int64_t> failed_by_dimension;
  std::map<std::string, int64_t> skipped_by_reason;  // segments lost to bad input, by SkipReasonCode
  int64_t clipped_speech_files = 0;  // speech files clipped at the source (augment/sample_defects.h)

  void Add(const SynthCounts& other);
  // Accepted draws / all draws, the paper's "pairs within the JND" figure.
  double AcceptanceRate() const;
  nlohmann::json ToJson() const;
  static SynthCounts FromJson(const nlohmann::json& json);
};

}  // namespace jsqa
