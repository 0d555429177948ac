#include "pipeline/synthesis/shard_set.h"

#include <filesystem>

#include "pipeline/base/error.h"
#include "pipeline/base/logging.h"
#include "pipeline/base/sha256.h"
#include "pipeline/synthesis/synth_counts.h"
#include "pipeline/base/text_files.h"

namespace jsqa {
namespace fs = std::filesystem;
namespace {

// Utterances the plan leaves out (shorter than a segment under
// synth.short_policy = skip) are in no shard: they are counted here, by
// reason, one segment each (the padded one they would have made).
SynthCounts PlanSkipped(const SynthPlan& plan) {
  SynthCounts counts;
  for (const SkippedEntry& entry : plan.skipped()) ++counts.skipped_by_reason[SkipReasonCode(entry.code)];
  return counts;
}

// A code read back from a sidecar; one this build does not know (a newer
// build's) counts as "other". kOther is the enum's last value.
SkipReason SkipReasonFromCode(const std::string& code) {
  for (int value = 0;; ++value) {
    const auto reason = static_cast<SkipReason>(value);
    if (code == SkipReasonCode(reason) || reason == SkipReason::kOther) return reason;
  }
}

nlohmann::json SkippedJson(const std::vector<SkippedEntry>& entries) {
  nlohmann::json list = nlohmann::json::array();
  for (const SkippedEntry& entry : entries)
    list.push_back({{"where", entry.where}, {"code", SkipReasonCode(entry.code)}, {"reason", entry.reason}});
  return list;
}

std::vector<SkippedEntry> SkippedFromJson(const nlohmann::json& list) {
  std::vector<SkippedEntry> entries;
  for (const nlohmann::json& entry : list)
    entries.push_back({entry.at("where").get<std::string>(), SkipReasonFromCode(entry.at("code").get<std::string>()),
                       entry.at("reason").get<std::string>()});
  return entries;
}

}  // namespace

std::string ShardSidecarPath(const std::string& shard_path) {
  return fs::path(shard_path).replace_extension(".json").string();
}

bool ShardMatchesSidecar(const std::string& shard_path, const nlohmann::json& sidecar) {
  std::error_code error;
  const uintmax_t bytes = fs::file_size(shard_path, error);
  if (error || !sidecar.is_object() || sidecar.value("bytes", uintmax_t{0}) != bytes) return false;
  return sidecar.value("sha256", "") == Sha256File(shard_path);
}

ShardSet::ShardSet(std::string dir, const SynthPlan& plan, const ShardInfo& base)
    : dir_(std::move(dir)), plan_(plan), base_(base) {
  std::error_code error;
  fs::create_directories(dir_, error);
  JSQA_CHECK(!error && fs::is_directory(dir_), dir_, ": cannot create output folder: ", error.message());
}

std::string ShardSet::ShardPath(int shard) const {
  return (fs::path(dir_) / ShardFileName(shard, plan_.shard_count())).string();
}

std::string ShardSet::SidecarPath(int shard) const { return ShardSidecarPath(ShardPath(shard)); }

ShardInfo ShardSet::Info(int shard) const {
  ShardInfo info = base_;
  info.shard_index = shard;
  info.shard_count = plan_.shard_count();
  info.item_begin = plan_.shard(shard).item_begin;
  info.item_end = plan_.shard(shard).item_end;
  return info;
}

std::optional<nlohmann::json> ShardSet::CompleteSidecar(int shard) const {
  std::error_code error;
  if (!fs::exists(SidecarPath(shard), error) || !fs::exists(ShardPath(shard), error)) return std::nullopt;
  try {
    nlohmann::json sidecar = ReadJsonFile(SidecarPath(shard));
    if (sidecar.at("bytes").get<uintmax_t>() == fs::file_size(ShardPath(shard))) return sidecar;
    return std::nullopt;
  } catch (const std::exception& e) {
    JSQA_LOG(kWarn) << "shard " << ShardPath(shard) << " will be rewritten: " << e.what();
    return std::nullopt;
  }
}

bool ShardSet::IsComplete(int shard) const { return CompleteSidecar(shard).has_value(); }

std::vector<int> ShardSet::Incomplete(const std::vector<int>& shards) const {
  std::vector<int> incomplete;
  for (int shard : shards) {
    const std::optional<nlohmann::json> sidecar = CompleteSidecar(shard);
    if (!sidecar) {
      incomplete.push_back(shard);
      continue;
    }
    // A finished shard is trusted only while its bytes are the ones its
    // sidecar hashed: one damaged or edited since (same size, e.g. a flipped
    // chunk or a rewritten attribute) is redone, its sidecar removed first so
    // that it never counts as complete meanwhile.
    if (!ShardMatchesSidecar(ShardPath(shard), *sidecar)) {
      JSQA_LOG(kWarn) << "synth: " << ShardPath(shard)
                      << ": SHA-256 differs from its sidecar's (damaged or changed since written); redoing it";
      std::error_code ignored;
      fs::remove(SidecarPath(shard), ignored);
      incomplete.push_back(shard);
    }
  }
  return incomplete;
}

void ShardSet::RecordSources(std::string items_sha256, std::vector<SkippedEntry> noise_skipped) {
  items_sha256_ = std::move(items_sha256);
  noise_skipped_ = std::move(noise_skipped);
}

void ShardSet::WriteSidecar(int shard, const SynthCounts& counts) const {
  const std::string path = ShardPath(shard);
  nlohmann::json sidecar = {{"file", fs::path(path).filename().string()},
                            {"pairs", counts.pairs},
                            {"item_begin", plan_.shard(shard).item_begin},
                            {"item_end", plan_.shard(shard).item_end},
                            {"bytes", fs::file_size(path)},
                            {"sha256", Sha256File(path)},
                            {"counts", counts.ToJson()}};
  if (!items_sha256_.empty()) {
    sidecar["items_sha256"] = items_sha256_;
    sidecar["noise_skipped"] = SkippedJson(noise_skipped_);
  }
  WriteFileAtomically(SidecarPath(shard), sidecar.dump(2) + "\n");
}

void ShardSet::AddRecordedNoiseSkips(SourceLedger& sources) const {
  for (int shard = 0; shard < plan_.shard_count(); ++shard)
    if (const auto sidecar = CompleteSidecar(shard))
      if (sidecar->contains("noise_skipped")) sources.AddNoiseSkipped(SkippedFromJson(sidecar->at("noise_skipped")));
}

SynthCounts ShardSet::Totals() const {
  SynthCounts totals = PlanSkipped(plan_);
  for (int shard = 0; shard < plan_.shard_count(); ++shard)
    if (const auto sidecar = CompleteSidecar(shard)) totals.Add(SynthCounts::FromJson(sidecar->at("counts")));
  return totals;
}

bool ShardSet::WriteManifestIfComplete(const nlohmann::json& header, const SourceLedger& sources) const {
  nlohmann::json shards = nlohmann::json::array();
  SynthCounts totals = PlanSkipped(plan_);
  SourceLedger accounted = sources;
  for (int shard = 0; shard < plan_.shard_count(); ++shard) {
    std::optional<nlohmann::json> sidecar = CompleteSidecar(shard);
    if (!sidecar) return false;
    // One manifest claims one corpus: a shard whose job was given other
    // items (the corpus changed between jobs, or another prepare folder)
    // does not belong with these. Sidecars of older builds hold no digest.
    const std::string made_from = sidecar->value("items_sha256", "");
    if (!made_from.empty() && made_from != sources.items_sha256())
      throw Error(ShardPath(shard) + ": made from other speech or noise items than this job's (items_sha256 " +
                  made_from.substr(0, 12) + "... in its sidecar, " + sources.items_sha256().substr(0, 12) +
                  "... here): the corpus or its manifests changed between jobs; synthesise into a new folder, or "
                  "remove the shards made from the old items and rerun their jobs");
    if (sidecar->contains("noise_skipped")) accounted.AddNoiseSkipped(SkippedFromJson(sidecar->at("noise_skipped")));
    totals.Add(SynthCounts::FromJson(sidecar->at("counts")));
    // The manifest lists each shard's file, pairs and checksum; what the
    // shards share is said once, in "totals" and "sources".
    for (const char* key : {"counts", "items_sha256", "noise_skipped"}) sidecar->erase(key);
    shards.push_back(std::move(*sidecar));
  }
  accounted.WriteSkippedList(dir_);
  nlohmann::json manifest = header;
  manifest["shard_count"] = plan_.shard_count();
  manifest["items"] = plan_.items();
  manifest["pairs"] = totals.pairs;
  manifest["totals"] = totals.ToJson();
  manifest["sources"] = accounted.ToJson();
  manifest["shards"] = shards;
  WriteFileAtomically((fs::path(dir_) / "manifest.json").string(), manifest.dump(2) + "\n");
  return true;
}

ShardSink::ShardSink(const ShardSet& set, const std::vector<SynthUnit>& units) : set_(set) {
  for (const SynthUnit& unit : units) {
    if (unit.shard >= static_cast<int>(units_left_.size())) units_left_.resize(unit.shard + 1, 0);
    ++units_left_[unit.shard];
  }
}

// Without Finish() the writer's destructor removes its temporary file: an
// interrupted shard never looks complete.
ShardSink::~ShardSink() {
  if (sidecar_.valid()) sidecar_.wait();
}

void ShardSink::Drain() {
  if (sidecar_.valid()) sidecar_.get();
}

void ShardSink::Prepare(UnitResult& result) const {
  const std::string path = set_.ShardPath(result.shard);
  const ShardInfo info = set_.Info(result.shard);
  try {
    for (const JndPair& pair : result.pairs) result.encoded.push_back(EncodePair(pair, info, path));
  } catch (const Error&) {
    // A pair the shard cannot hold (a bug upstream) fails in Consume, in
    // unit order, after the units before it were written, as without Prepare.
    result.encoded.clear();
  }
}

void ShardSink::Consume(UnitResult& result) {
  if (result.shard != current_) {
    JSQA_CHECK(!writer_, "shard ", current_, " left unfinished before shard ", result.shard);
    current_ = result.shard;
    counts_ = SynthCounts();
    writer_ = std::make_unique<ShardWriter>(set_.ShardPath(current_), set_.Info(current_));
  }
  if (result.encoded.size() == result.pairs.size()) {
    for (const EncodedPair& pair : result.encoded) writer_->Append(pair);
  } else {  // Prepare refused a pair: Append throws the same error in its turn
    for (const JndPair& pair : result.pairs) writer_->Append(pair);
  }
  counts_.Add(result.counts);
  if (--units_left_[current_] == 0) Finish();
}

void ShardSink::Finish() {
  writer_->Close();
  writer_.reset();
  // One sidecar in flight at a time: bounds the threads, and an error
  // surfaces at the next shard.
  Drain();
  sidecar_ = std::async(std::launch::async, [this, shard = current_, counts = counts_] {
    set_.WriteSidecar(shard, counts);
  });
  written_.Add(counts_);
  // The name alone: under `run` the folder is a temporary one, renamed when
  // the stage finishes (the runner logs the final folder).
  JSQA_LOG(kInfo) << "synth: wrote " << std::filesystem::path(set_.ShardPath(current_)).filename().string() << " ("
                  << counts_.pairs << " pairs)";
}

}  // namespace jsqa
