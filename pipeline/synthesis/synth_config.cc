#include "pipeline/synthesis/synth_config.h"

#include <cmath>

#include "pipeline/base/error.h"

namespace jsqa {

void SynthConfig::Register(po::options_description& options, const std::string& prefix) {
  const std::string p = prefix + ".";
  options.add_options()
      ((p + "segment_seconds").c_str(), po::value(&segment_seconds)->default_value(segment_seconds),
       "length of each pair's segment, seconds (0.25..60)")
      ((p + "short_policy").c_str(), po::value(&short_policy)->default_value(short_policy),
       "utterances shorter than a segment: pad (with zeros) or skip")
      ((p + "min_tail_fraction").c_str(), po::value(&min_tail_fraction)->default_value(min_tail_fraction),
       "keep an utterance's final partial segment (padded) if it is at least this fraction of a segment (0..1)")
      ((p + "seed").c_str(), po::value(&seed)->default_value(seed),
       "run seed; every random choice comes from (seed, utterance id, segment index)")
      ((p + "threads").c_str(), po::value(&threads)->default_value(threads),
       "worker threads: auto (all cores) or a count >= 1; never changes the output")
      ((p + "store_components").c_str(), po::value(&store_components)->default_value(store_components),
       "also store the clean and scaled-noise segments (float32), so SNRs can be verified")
      ((p + "pairs_per_shard").c_str(), po::value(&pairs_per_shard)->default_value(pairs_per_shard),
       "segments per HDF5 shard (>= 1)")
      ((p + "sample_format").c_str(), po::value(&sample_format)->default_value(sample_format),
       "stored mixtures: int16 or float32")
      ((p + "noise_cache_mb").c_str(), po::value(&noise_cache_mb)->default_value(noise_cache_mb),
       "keep decoded noise in memory up to this many MiB, else read it from disk per pair; never changes the output");
}

void SynthConfig::Validate(const std::string& prefix) const {
  const std::string p = prefix + ".";
  if (!(segment_seconds >= 0.25 && segment_seconds <= 60))
    throw UsageError(p + "segment_seconds = " + FormatDouble(segment_seconds) + ": allowed: 0.25..60");
  RequireOneOf(p + "short_policy", short_policy, {"pad", "skip"});
  if (!(min_tail_fraction >= 0 && min_tail_fraction <= 1))
    throw UsageError(p + "min_tail_fraction = " + FormatDouble(min_tail_fraction) + ": allowed: 0..1");
  ParseThreadCount(p + "threads", threads);
  if (pairs_per_shard < 1)
    throw UsageError(p + "pairs_per_shard = " + std::to_string(pairs_per_shard) + ": allowed: >= 1");
  RequireOneOf(p + "sample_format", sample_format, {"int16", "float32"});
  if (noise_cache_mb < 0)
    throw UsageError(p + "noise_cache_mb = " + std::to_string(noise_cache_mb) + ": allowed: >= 0");
}

std::string SynthConfig::ToString() const {
  return KeyValueText()
      .Add("segment_seconds", segment_seconds)
      .Add("short_policy", short_policy)
      .Add("min_tail_fraction", min_tail_fraction)
      .Add("seed", seed)
      .Add("threads", threads)
      .Add("store_components", store_components)
      .Add("pairs_per_shard", pairs_per_shard)
      .Add("sample_format", sample_format)
      .Add("noise_cache_mb", noise_cache_mb)
      .str();
}

int64_t SynthConfig::SegmentSamples(int sample_rate) const {
  return std::llround(segment_seconds * sample_rate);
}

ShardSampleFormat SynthConfig::SampleFormat() const {
  return sample_format == "float32" ? ShardSampleFormat::kFloat32 : ShardSampleFormat::kInt16;
}

}  // namespace jsqa
