// The synthesis output folder: HDF5 shards, one JSON sidecar per shard, and
// manifest.json.
//
//   pairs-00003-of-00016.h5    written as .tmp, renamed when closed
//   pairs-00003-of-00016.json  written after the rename: file, pairs, item
//                              range, size, sha256, counts, and what its job
//                              made it from (items_sha256, the noise
//                              recordings its noise bank left out). A shard is
//                              complete when both exist and the size matches.
//   skipped.tsv                the input files passed over, with their codes
//                              (source_ledger.h): written by the first job if
//                              absent, rewritten with the manifest
//   manifest.json              written once every shard is complete: the
//                              shards with their pair counts and checksums,
//                              the run's totals, and "sources" (input files
//                              = used + skipped, by reason)
//
// Several jobs may fill one folder (each its own shards); a rerun skips the
// complete shards whose bytes still match their sidecar's SHA-256 (others are
// redone), so a job that died is simply resubmitted. Nothing is counted per
// job: the manifest reads the sidecars, and the jobs' sources are one list.
#pragma once

#include <future>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/synthesis/pair_maker.h"
#include "pipeline/shards/shard_io.h"
#include "pipeline/synthesis/source_ledger.h"
#include "pipeline/synthesis/synth_graph.h"
#include "pipeline/synthesis/synth_plan.h"

namespace jsqa {

// The sidecar of a shard file: pairs-00003-of-00016.h5 → pairs-00003-of-00016.json.
std::string ShardSidecarPath(const std::string& shard_path);
// Whether the shard's bytes are the ones its sidecar describes: its size,
// then its SHA-256 (the shard is read in full: about 0.2 CPU-seconds per 256 MB).
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
  // sidecar's SHA-256 (read in full: about 0.2 CPU-seconds per 256 MB).
  std::vector<int> Incomplete(const std::vector<int>& shards) const;
  ShardInfo Info(int shard) const;
  // What the sidecars this set writes record of the job: the items_sha256
  // of its sources, and the noise recordings its noise bank left out.
  void RecordSources(std::string items_sha256, std::vector<SkippedEntry> noise_skipped);
  // Closes a written shard's bookkeeping: checksum and sidecar.
  void WriteSidecar(int shard, const SynthCounts& counts) const;
  // Adds the noise recordings the complete shards' sidecars list as left out
  // (by the jobs that made them) to sources: a job that made no shard never
  // decoded the noise itself.
  void AddRecordedNoiseSkips(SourceLedger& sources) const;
  // Totals over the complete shards' sidecars, plus the utterances the plan
  // skipped (too short under short_policy = skip) in skipped_by_reason.
  SynthCounts Totals() const;
  // When every shard is complete: writes skipped.tsv, then manifest.json
  // (atomically), with header's fields and sources' counts. Throws
  // jsqa::Error naming the shard when a sidecar's items_sha256 differs from
  // sources' (its job was given other speech or noise items). Returns
  // whether the set is complete.
  bool WriteManifestIfComplete(const nlohmann::json& header, const SourceLedger& sources) const;

 private:
  std::string SidecarPath(int shard) const;

  std::string dir_;
  const SynthPlan& plan_;
  ShardInfo base_;
  std::string items_sha256_;
  std::vector<SkippedEntry> noise_skipped_;
};

// The sink that writes units' pairs into their shards, rotating files at
// shard boundaries. A shard is closed when its last unit has been consumed;
// its checksum and sidecar are then made on another thread, so the serial
// writer goes straight on to the next shard (hashing a shard takes about
// 0.2 CPU-seconds per 256 MB). Drain() waits for them. The checksum reads
// the closed file once, from the page cache, rather than hashing bytes as
// they are written: HDF5 writes at offsets of its choosing and rewrites
// its superblock and metadata at close, so the file's bytes in order exist
// only once it is closed (holding the whole file in memory with the core
// driver would make memory grow with the shard size).
class ShardSink : public PairSink {
 public:
  ShardSink(const ShardSet& set, const std::vector<SynthUnit>& units);
  ~ShardSink() override;
  // Encodes the unit's pairs for their shard (int16 conversion, checksums).
  void Prepare(UnitResult& result) const override;
  // Appends the encoded chunks: the serial part is HDF5's bookkeeping only.
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
