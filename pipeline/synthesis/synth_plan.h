// Which pairs a synthesis run makes, decided before any audio is decoded.
//
// Every speech utterance is cut into fixed-length segments (from its length
// in the prepare manifest); each segment is one item, numbered globally in
// manifest order. Shard j holds items [j·P, (j+1)·P), P = synth.pairs_per_shard,
// so shard boundaries, names and contents never depend on how many jobs or
// threads make them. A unit of work is one utterance's segments within one
// shard: the utterance is decoded once for all of them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pipeline/corpus/item_manifest.h"
#include "pipeline/synthesis/synth_config.h"

namespace jsqa {

struct SynthUnit {
  int64_t seq = 0;            // position in this run's order (0, 1, ...)
  size_t speech_index = 0;    // into the speech manifest
  int32_t segment_begin = 0;  // segments [begin, end) of the utterance
  int32_t segment_end = 0;
  int64_t item_begin = 0;  // global item index of segment_begin
  int shard = 0;
};

struct ShardRange {
  int64_t item_begin = 0;
  int64_t item_end = 0;
};

class SynthPlan {
 public:
  SynthPlan(const std::vector<ManifestItem>& speech, int sample_rate, const SynthConfig& config);

  int64_t items() const { return items_; }
  int64_t segment_samples() const { return segment_samples_; }
  int shard_count() const { return static_cast<int>(shards_.size()); }
  const ShardRange& shard(int index) const { return shards_.at(index); }
  // Shards of job `job` of `jobs`: j with j % jobs == job.
  std::vector<int> ShardsOfJob(int job, int jobs) const;
  // Units of the given shards (ascending), numbered 0, 1, ... in item order.
  std::vector<SynthUnit> Units(const std::vector<int>& shards) const;
  // Utterances that yield no segment (too short under short_policy = skip).
  const std::vector<SkippedEntry>& skipped() const { return skipped_; }

 private:
  struct Utterance {
    size_t speech_index;
    int64_t item_begin;
    int32_t segments;
  };
  int64_t segment_samples_ = 0;
  int64_t items_ = 0;
  std::vector<Utterance> utterances_;  // those with at least one segment
  std::vector<ShardRange> shards_;
  std::vector<SkippedEntry> skipped_;
};

}  // namespace jsqa
