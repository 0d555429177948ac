#include "pipeline/synthesis/synth_config.h"

#include <cmath>

#include "pipeline/base/error.h"

namespace jsqa {

void SynthConfig::Declare(KeyDeclarations& keys) {
  keys.Key("segment_seconds", segment_seconds, "length of each pair's segment, seconds").Between(0.25, 60);
  keys.Choice("short_policy", short_policy, "utterances shorter than a segment: pad (with zeros) or skip",
              {{"pad", ShortPolicy::kPad}, {"skip", ShortPolicy::kSkip}});
  keys.Key("min_tail_fraction", min_tail_fraction,
           "keep an utterance's final partial segment (padded) if it is at least this fraction of a segment")
      .Between(0, 1);
  keys.Key("seed", seed, "run seed; every random choice comes from (seed, utterance id, segment index)");
  keys.Threads("threads", threads, "worker threads");
  keys.Key("store_components", store_components,
           "also store the clean and scaled-noise segments (float32), so SNRs can be verified");
  keys.Key("pairs_per_shard", pairs_per_shard, "segments per HDF5 shard").AtLeast(1);
  keys.Choice("sample_format", sample_format, "stored mixtures",
              {{"int16", ShardSampleFormat::kInt16}, {"float32", ShardSampleFormat::kFloat32}});
  keys.Key("noise_cache_mb", noise_cache_mb,
           "keep decoded noise in memory up to this many MiB, else read it from disk per pair")
      .AtLeast(0)
      .Execution();
  keys.Key("max_speech_hours", max_speech_hours,
           "make pairs from at most this many hours of speech (utterances in a fixed order by a hash of their ids, "
           "so larger caps hold smaller ones; the rest skipped as over_data_cap); 0: all")
      .AtLeast(0);
}

int64_t SynthConfig::SegmentSamples(int sample_rate) const {
  return std::llround(segment_seconds * sample_rate);
}

}  // namespace jsqa
