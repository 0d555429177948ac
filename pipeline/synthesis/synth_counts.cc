#include "pipeline/synthesis/synth_counts.h"

namespace jsqa {
namespace {

void AddAll(std::map<std::string, int64_t>& into, const std::map<std::string, int64_t>& from) {
  for (const auto& [key, value] : from) into[key] += value;
}

int64_t Sum(const std::map<std::string, int64_t>& counts) {
  int64_t total = 0;
  for (const auto& [unused, value] : counts) total += value;
  return total;
}

}  // namespace

int64_t CountOf(const std::map<std::string, int64_t>& counts, const std::string& key) {
  const auto found = counts.find(key);
  return found == counts.end() ? 0 : found->second;
}

void SynthCounts::Add(const SynthCounts& other) {
  segments += other.segments;
  pairs += other.pairs;
  dropped += other.dropped;
  AddAll(draws_by_environment, other.draws_by_environment);
  AddAll(accepted_by_environment, other.accepted_by_environment);
  AddAll(draws_by_dimension, other.draws_by_dimension);
  AddAll(accepted_by_dimension, other.accepted_by_dimension);
  AddAll(unjudged_by_dimension, other.unjudged_by_dimension);
  AddAll(failed_by_dimension, other.failed_by_dimension);
  AddAll(skipped_by_reason, other.skipped_by_reason);
  clipped_speech_files += other.clipped_speech_files;
}

double SynthCounts::AcceptanceRate() const {
  const int64_t draws = Sum(draws_by_environment);
  return draws > 0 ? static_cast<double>(Sum(accepted_by_environment)) / draws : 0.0;
}

nlohmann::json SynthCounts::ToJson() const {
  nlohmann::json by_environment = nlohmann::json::object();
  for (const auto& [environment, draws] : draws_by_environment) {
    const int64_t accepted = CountOf(accepted_by_environment, environment);
    by_environment[environment] = {{"draws", draws},
                                   {"accepted", accepted},
                                   {"acceptance_rate", draws ? double(accepted) / draws : 0.0}};
  }
  nlohmann::json by_dimension = nlohmann::json::object();
  for (const auto& [dimension, draws] : draws_by_dimension) {
    const int64_t accepted = CountOf(accepted_by_dimension, dimension);
    by_dimension[dimension] = {{"draws", draws},
                               {"accepted", accepted},
                               {"unjudged", CountOf(unjudged_by_dimension, dimension)},
                               {"failed", CountOf(failed_by_dimension, dimension)},
                               {"acceptance_rate", draws ? double(accepted) / draws : 0.0}};
  }
  return {{"segments", segments},
          {"pairs", pairs},
          {"dropped_after_max_draws", dropped},
          {"draws", Sum(draws_by_environment)},
          {"accepted", Sum(accepted_by_environment)},
          {"acceptance_rate", AcceptanceRate()},
          {"by_environment", by_environment},
          {"by_dimension", by_dimension},
          {"skipped_by_reason", skipped_by_reason},
          {"clipped_speech_files", clipped_speech_files}};
}

SynthCounts SynthCounts::FromJson(const nlohmann::json& json) {
  SynthCounts counts;
  counts.segments = json.at("segments").get<int64_t>();
  counts.pairs = json.at("pairs").get<int64_t>();
  counts.dropped = json.at("dropped_after_max_draws").get<int64_t>();
  for (const auto& [environment, entry] : json.at("by_environment").items()) {
    counts.draws_by_environment[environment] = entry.at("draws").get<int64_t>();
    counts.accepted_by_environment[environment] = entry.at("accepted").get<int64_t>();
  }
  if (json.contains("by_dimension")) {  // absent in older sidecars
    for (const auto& [dimension, entry] : json.at("by_dimension").items()) {
      counts.draws_by_dimension[dimension] = entry.at("draws").get<int64_t>();
      counts.accepted_by_dimension[dimension] = entry.at("accepted").get<int64_t>();
      counts.unjudged_by_dimension[dimension] = entry.at("unjudged").get<int64_t>();
      counts.failed_by_dimension[dimension] = entry.at("failed").get<int64_t>();
    }
  }
  counts.skipped_by_reason = json.at("skipped_by_reason").get<std::map<std::string, int64_t>>();
  counts.clipped_speech_files = json.value("clipped_speech_files", int64_t{0});  // absent in older sidecars
  return counts;
}

}  // namespace jsqa
