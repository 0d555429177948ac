#include "pipeline/synthesis/synth_plan.h"

#include <algorithm>

#include "pipeline/base/error.h"
#include "augment/counter_rng.h"
#include "augment/resampler.h"

namespace jsqa {

namespace {

// Which utterances fit under synth.max_speech_hours: taken in the order of
// a hash of their ids until the next would pass the cap. A cap of 0 takes all.
std::vector<bool> UnderDataCap(const std::vector<ManifestItem>& speech, double max_hours) {
  std::vector<bool> taken(speech.size(), max_hours <= 0.0);
  if (max_hours <= 0.0) return taken;
  std::vector<size_t> order(speech.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const uint64_t hash_a = StableHash64(speech[a].item.id), hash_b = StableHash64(speech[b].item.id);
    return hash_a != hash_b ? hash_a < hash_b : speech[a].item.id < speech[b].item.id;
  });
  double seconds = 0.0;
  for (const size_t i : order) {
    if (seconds + speech[i].DurationSeconds() > max_hours * 3600.0) break;
    seconds += speech[i].DurationSeconds();
    taken[i] = true;
  }
  return taken;
}

}  // namespace

SynthPlan::SynthPlan(const std::vector<ManifestItem>& speech, int sample_rate, const SynthConfig& config)
    : segment_samples_(config.SegmentSamples(sample_rate)) {
  const std::vector<bool> taken = UnderDataCap(speech, config.max_speech_hours);
  for (size_t i = 0; i < speech.size(); ++i) {
    if (!taken[i]) {
      skipped_.push_back({speech[i].item.path, SkipReason::kOverDataCap,
                          "beyond synth.max_speech_hours = " + FormatDouble(config.max_speech_hours)});
      continue;
    }
    const int64_t length = ResampledLength(speech[i].frames, speech[i].sample_rate, sample_rate);
    int64_t segments = length / segment_samples_;
    const int64_t tail = length % segment_samples_;
    if (segments == 0) {
      if (config.short_policy == SynthConfig::ShortPolicy::kSkip || length == 0) {
        skipped_.push_back(
            {speech[i].item.path, SkipReason::kTooShort, "shorter than synth.segment_seconds (short_policy = skip)"});
        continue;
      }
      segments = 1;
    } else if (tail > 0 && tail >= config.min_tail_fraction * segment_samples_) {
      ++segments;
    }
    utterances_.push_back({i, items_, static_cast<int32_t>(segments)});
    items_ += segments;
  }
  for (int64_t begin = 0; begin < items_; begin += config.pairs_per_shard)
    shards_.push_back({begin, std::min<int64_t>(begin + config.pairs_per_shard, items_)});
}

std::vector<int> SynthPlan::ShardsOfJob(int job, int jobs) const {
  JSQA_CHECK(jobs >= 1 && job >= 0 && job < jobs, "shard index ", job, " of ", jobs, ": need 0 <= index < count");
  std::vector<int> shards;
  for (int j = job; j < shard_count(); j += jobs) shards.push_back(j);
  return shards;
}

std::vector<SynthUnit> SynthPlan::Units(const std::vector<int>& shards) const {
  std::vector<SynthUnit> units;
  for (int index : shards) {
    const ShardRange& range = shard(index);
    // First utterance whose items end after the shard's first item.
    auto it = std::upper_bound(utterances_.begin(), utterances_.end(), range.item_begin,
                               [](int64_t item, const Utterance& u) { return item < u.item_begin + u.segments; });
    for (; it != utterances_.end() && it->item_begin < range.item_end; ++it) {
      const int64_t begin = std::max(range.item_begin, it->item_begin);
      const int64_t end = std::min(range.item_end, it->item_begin + it->segments);
      units.push_back({static_cast<int64_t>(units.size()), it->speech_index,
                       static_cast<int32_t>(begin - it->item_begin), static_cast<int32_t>(end - it->item_begin),
                       begin, index});
    }
  }
  return units;
}

}  // namespace jsqa
