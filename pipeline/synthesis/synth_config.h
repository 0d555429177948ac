// [synth]: segmenting, seeding and sharding JND-pair synthesis.
#pragma once

#include <cstdint>
#include <string>

#include "pipeline/base/config.h"
#include "pipeline/shards/shard_io.h"

namespace jsqa {

struct SynthConfig : ConfigSection {
  double segment_seconds = 4.0;
  // Utterances shorter than a segment: "pad" with zeros, or "skip".
  std::string short_policy = "pad";
  // A final partial segment is kept (zero-padded) when it holds at least this
  // fraction of a segment; shorter tails are dropped.
  double min_tail_fraction = 0.5;
  uint64_t seed = 1;
  std::string threads = "auto";  // "auto" (all cores) or a count >= 1
  bool store_components = false;
  int pairs_per_shard = 1000;         // segments per shard (fewer pairs if some are dropped)
  std::string sample_format = "int16";  // int16 | float32
  // Noise recordings are decoded once and kept in memory when they fit this
  // budget (MiB, float32 at the output rate); otherwise read from disk per pair.
  int noise_cache_mb = 4096;

  void Register(po::options_description& options, const std::string& prefix) override;
  void Validate(const std::string& prefix) const override;
  std::string ToString() const override;
  std::vector<std::string> ExecutionKeys() const override { return {"threads", "noise_cache_mb"}; }

  int64_t SegmentSamples(int sample_rate) const;
  ShardSampleFormat SampleFormat() const;
};

}  // namespace jsqa
