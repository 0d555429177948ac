// The synthesis output folder: HDF5 shards, one JSON sidecar per shard, and
// manifest.json.
//
//   pairs-00003-of-00016.h5    written as .tmp, renamed when closed
//   pairs-00003-of-00016.json  written after the rename: file, pairs, item
//                              range, size, sha256, counts. A shard is
//                              complete when both exist and the size matches.
//   manifest.json              written once every shard is complete: the
//                              shards with their pair counts and checksums,
//                              and the run's totals
//
// Several jobs may fill one folder (each its own shards); a rerun skips the
// complete shards whose bytes still match their sidecar's SHA-256 (others are
// redone), so a job that died is simply resubmitted.
#pragma once

#include <future>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/synthesis/pair_maker.h"
#include "pipeline/shards/shard_io.h"
#include "pipeline/synthesis/synth_graph.h"
#include "pipeline/synthesis/synth_plan.h"

namespace jsqa {

// The sidecar of a shard file: pairs-00003-of-00016.h5 → pairs-00003-of-00016.json.
std::string ShardSidecarPath(const std::string& shard_path);
// Whether the shard's bytes are the ones its sidecar describes: its size,
// then its SHA-256 (the shard is read in full: about a second per 200 MB).
bool ShardMatchesSidecar(const std::string& shard_path, const nlohmann::json& sidecar);

class ShardSet {
 public:
  // base: the attributes every shard shares (index and range are filled per shard).
  ShardSet(std::string dir, const SynthPlan& plan, const ShardInfo& base);

  const std::string& dir() const { return dir_; }
  std::string ShardPath(int shard) const;
  bool IsComplete(int shard) const;
  // The sidecar of a complete shard (both files present, sizes matching).
  std::optional<nlohmann::json> CompleteSidecar(int shard) const;
  // The shards that are not complete, or whose bytes no longer match their
  // sidecar's SHA-256 (read in full: about a second per 200 MB).
  std::vector<int> Incomplete(const std::vector<int>& shards) const;
  ShardInfo Info(int shard) const;
  // Closes a written shard's bookkeeping: checksum and sidecar.
  void WriteSidecar(int shard, const SynthCounts& counts) const;
  // Totals over the complete shards' sidecars, plus the utterances the plan
  // skipped (too short under short_policy = skip) in skipped_by_reason.
  SynthCounts Totals() const;
  // Writes manifest.json (atomically) when every shard is complete; header
  // goes first in it. Returns whether the set is complete.
  bool WriteManifestIfComplete(const nlohmann::json& header) const;

 private:
  std::string SidecarPath(int shard) const;

  std::string dir_;
  const SynthPlan& plan_;
  ShardInfo base_;
};

// The sink that writes units' pairs into their shards, rotating files at
// shard boundaries. A shard is closed when its last unit has been consumed;
// its checksum and sidecar are then made on another thread, so the serial
// writer goes straight on to the next shard (hashing a shard takes about a
// second per 200 MB). Drain() waits for them.
class ShardSink : public PairSink {
 public:
  ShardSink(const ShardSet& set, const std::vector<SynthUnit>& units);
  ~ShardSink() override;
  void Consume(UnitResult& result) override;
  // Waits until every closed shard has its sidecar; rethrows their errors.
  void Drain();
  // Counts of every shard finished by this sink.
  const SynthCounts& written() const { return written_; }

 private:
  void Finish();

  const ShardSet& set_;
  std::vector<int64_t> units_left_;  // per shard index
  int current_ = -1;
  std::unique_ptr<ShardWriter> writer_;
  SynthCounts counts_;  // of the current shard
  SynthCounts written_;
  std::future<void> sidecar_;  // of the last closed shard
};

}  // namespace jsqa
