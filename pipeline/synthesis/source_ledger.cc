#include "pipeline/synthesis/source_ledger.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "pipeline/base/error.h"
#include "pipeline/base/sha256.h"

namespace jsqa {
namespace fs = std::filesystem;
namespace {

constexpr const char kSpeechPrefix[] = "speech: ";
constexpr const char kNoisePrefix[] = "noise: ";

bool StartsWith(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

void HashItems(Sha256& hash, const char* kind, const std::vector<ManifestItem>& items) {
  for (const ManifestItem& item : items) {
    // Fields never hold tabs or newlines (such paths are skipped as bad_path).
    std::string line = std::string(kind) + '\t' + item.item.id + '\t' + item.item.path + '\t' +
                       std::to_string(item.sample_rate) + '\t' + std::to_string(item.frames) + '\t' +
                       std::to_string(item.channels);
    for (const auto& [key, value] : item.item.tags) line += '\t' + key + '=' + value;
    line += '\n';
    hash.Update(line.data(), line.size());
  }
}

nlohmann::json KindJson(int64_t items, int64_t dropped, const std::vector<SkippedEntry>& skipped) {
  std::map<std::string, int64_t> by_reason;
  for (const SkippedEntry& entry : skipped) ++by_reason[SkipReasonCode(entry.code)];
  const int64_t used = items - dropped;
  const auto count = static_cast<int64_t>(skipped.size());
  return {{"input_files", used + count},
          {"used", used},
          {"skipped", count},
          {"skipped_by_reason", nlohmann::json(by_reason)}};
}

}  // namespace

SourceLedger::SourceLedger(const SynthInputs& inputs, const std::vector<ManifestItem>& speech,
                           const std::vector<ManifestItem>& noise, const std::vector<SkippedEntry>& plan_skipped)
    : indexed_by_(inputs.indexed_by),
      speech_items_(static_cast<int64_t>(speech.size())),
      noise_items_(static_cast<int64_t>(noise.size())) {
  Sha256 hash;
  HashItems(hash, "speech", speech);
  HashItems(hash, "noise", noise);
  items_sha256_ = hash.HexDigest();
  for (const SkippedEntry& entry : inputs.skipped) {
    if (StartsWith(entry.where, kSpeechPrefix))
      speech_skipped_.push_back({entry.where.substr(sizeof kSpeechPrefix - 1), entry.code, entry.reason});
    else if (StartsWith(entry.where, kNoisePrefix))
      noise_skipped_.push_back({entry.where.substr(sizeof kNoisePrefix - 1), entry.code, entry.reason});
  }
  speech_skipped_.insert(speech_skipped_.end(), plan_skipped.begin(), plan_skipped.end());
  speech_dropped_ = static_cast<int64_t>(plan_skipped.size());
  JSQA_CHECK(speech_dropped_ <= speech_items_, "the plan skipped more utterances than it was given");
}

void SourceLedger::AddNoiseSkipped(const std::vector<SkippedEntry>& entries) {
  std::set<std::string> listed;
  for (auto it = noise_skipped_.end() - noise_dropped_; it != noise_skipped_.end(); ++it) listed.insert(it->where);
  for (const SkippedEntry& entry : entries) {
    if (!listed.insert(entry.where).second) continue;
    noise_skipped_.push_back(entry);
    ++noise_dropped_;
  }
  JSQA_CHECK(noise_dropped_ <= noise_items_, "more noise recordings left out than listed: ", noise_dropped_, " of ",
             noise_items_);
}

std::vector<SkippedEntry> SourceLedger::Skipped() const {
  std::vector<SkippedEntry> all;
  for (const SkippedEntry& entry : speech_skipped_)
    all.push_back({kSpeechPrefix + entry.where, entry.code, entry.reason});
  for (const SkippedEntry& entry : noise_skipped_)
    all.push_back({kNoisePrefix + entry.where, entry.code, entry.reason});
  return all;
}

nlohmann::json SourceLedger::ToJson() const {
  nlohmann::json speech = KindJson(speech_items_, speech_dropped_, speech_skipped_);
  nlohmann::json noise = KindJson(noise_items_, noise_dropped_, noise_skipped_);
  std::map<std::string, int64_t> by_reason;
  for (const nlohmann::json* kind : {&speech, &noise})
    for (const auto& [code, count] : (*kind)["skipped_by_reason"].items()) by_reason[code] += count.get<int64_t>();
  nlohmann::json json = {
      {"indexed_by", indexed_by_.empty() ? nlohmann::json() : nlohmann::json(indexed_by_)},
      {"items_sha256", items_sha256_},
      {"skipped_list", kSkippedListName},
      {"input_files", speech["input_files"].get<int64_t>() + noise["input_files"].get<int64_t>()},
      {"used", speech["used"].get<int64_t>() + noise["used"].get<int64_t>()},
      {"skipped", speech["skipped"].get<int64_t>() + noise["skipped"].get<int64_t>()},
      {"skipped_by_reason", nlohmann::json(by_reason)},
      {"speech", speech},
      {"noise", noise}};
  return json;
}

void SourceLedger::WriteSkippedList(const std::string& dir) const {
  const fs::path path = fs::path(dir) / kSkippedListName;
  // Not WriteFileAtomically's fixed ".tmp": the jobs of an array start
  // together, and each writes this file.
  const fs::path temporary = path.string() + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(temporary, std::ios::binary);
    out << SkippedListText(Skipped());
    out.flush();
    JSQA_CHECK(out.good(), temporary.string(), ": cannot write (disk full?)");
  }
  std::error_code error;
  fs::rename(temporary, path, error);
  if (error) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    throw Error(path.string() + ": cannot replace: " + error.message());
  }
}

}  // namespace jsqa
