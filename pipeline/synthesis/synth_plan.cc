#include "pipeline/synthesis/synth_plan.h"

#include <algorithm>

#include "pipeline/base/error.h"
#include "augment/resampler.h"

namespace jsqa {

SynthPlan::SynthPlan(const std::vector<ManifestItem>& speech, int sample_rate, const SynthConfig& config)
    : segment_samples_(config.SegmentSamples(sample_rate)) {
  for (size_t i = 0; i < speech.size(); ++i) {
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
