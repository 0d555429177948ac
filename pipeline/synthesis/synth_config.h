// [synth]: segmenting, seeding and sharding JND-pair synthesis.
#pragma once

#include <cstdint>
#include <string>

#include "pipeline/base/config.h"
#include "pipeline/shards/shard_io.h"

namespace jsqa {

struct SynthConfig : ConfigSection {
  double segment_seconds = 4.0;
  // Utterances shorter than a segment: padded with zeros, or skipped.
  enum class ShortPolicy { kPad, kSkip };
  ShortPolicy short_policy = ShortPolicy::kPad;
  // A final partial segment is kept (zero-padded) when it holds at least this
  // fraction of a segment; shorter tails are dropped.
  double min_tail_fraction = 0.5;
  uint64_t seed = 1;
  std::string threads = "auto";  // "auto" (all cores) or a count >= 1
  bool store_components = false;
  int pairs_per_shard = 1000;         // segments per shard (fewer pairs if some are dropped)
  ShardSampleFormat sample_format = ShardSampleFormat::kInt16;
  // Noise recordings are decoded once and kept in memory when they fit this
  // budget (MiB, float32 at the output rate); otherwise read from disk per pair.
  int noise_cache_mb = 4096;
  // The amount of speech pairs are made from, for learning curves: at most
  // this many hours, utterances taken in a fixed pseudo-random order (by a
  // hash of their ids) so that a larger cap keeps every utterance a smaller
  // one took. 0: all of it.
  double max_speech_hours = 0.0;

  void Declare(KeyDeclarations& keys) override;

  int64_t SegmentSamples(int sample_rate) const;
};

}  // namespace jsqa
