// The per-unit work of synthesis: decode an utterance once, resample it,
// cut its segments, and make an SVM-accepted JND pair for each.
//
// Every random choice for segment k of utterance u comes from
// CounterRng(synth.seed, MixKeys(StableHash64(u), k)): the noise file, the
// noise offset, s, Δ and its sign, and any redraws after an SVM rejection;
// with degradation chains (chain_plan.h), also the dimension, the chain,
// its strengths and the key of its own draws.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "augment/jnd_pair.h"
#include "augment/jnd_svm.h"
#include "pipeline/synthesis/audio_config.h"
#include "pipeline/synthesis/chain_plan.h"
#include "pipeline/synthesis/degradation_ranges.h"
#include "pipeline/corpus/item_manifest.h"
#include "pipeline/shards/shard_io.h"
#include "pipeline/synthesis/jnd_config.h"
#include "pipeline/synthesis/noise_bank.h"
#include "pipeline/synthesis/synth_config.h"
#include "pipeline/synthesis/synth_counts.h"
#include "pipeline/synthesis/synth_plan.h"

namespace jsqa {

// The message from the parallel workers to the ordered sink.
struct UnitResult {
  int64_t seq = 0;
  int shard = 0;
  std::vector<JndPair> pairs;  // accepted pairs, in item order
  SynthCounts counts;
  // pairs as a shard stores them, when a sink's Prepare made them in the
  // parallel stage (ShardSink); empty otherwise.
  std::vector<EncodedPair> encoded;
};

class PairMaker {
 public:
  // svm judges snr pairs and may be null: every pair is accepted with
  // probability 1. dimension_svms judge the other dimensions' pairs; a
  // dimension without one is judged by its published prior when it has one
  // (c50), else accepted and counted unjudged.
  PairMaker(const std::vector<ManifestItem>& speech, const NoiseBank& noise, const JndSvm* svm,
            const std::map<std::string, JndSvm>& dimension_svms, const JndConfig& jnd, const DegradationRangesConfig& ranges, const SynthConfig& synth,
            const AudioConfig& audio);

  // Never throws for bad input: an unreadable or silent utterance is logged
  // (path and reason) and counted in counts.skipped_by_reason.
  UnitResult Make(const SynthUnit& unit) const;

 private:
  // Draws until the SVM accepts; returns false when max_draws are used up.
  bool MakePair(const std::vector<float>& clean, const std::string& utterance_id, int32_t segment,
                JndPair& pair, SynthCounts& counts) const;
  // The chain's steps after the noise, applied to pair.a and pair.b, which
  // are then levelled again. Throws jsqa::Error from a step.
  void DegradeAfterNoise(const ChainDraw& chain, JndPair& pair) const;
  // P(heard as the same) of a degraded pair of a dimension other than snr,
  // by its SVM or its published prior; nullopt when neither judges it.
  std::optional<double> JudgeChainPair(const ChainDraw& chain, const JndPair& pair,
                                       const std::vector<float>& noise) const;

  const std::vector<ManifestItem>& speech_;
  const NoiseBank& noise_;
  const JndSvm* svm_;
  const std::map<std::string, JndSvm>& dimension_svms_;
  const JndConfig& jnd_;
  const SynthConfig& synth_;
  const AudioConfig& audio_;
  const int64_t segment_samples_;
  const JndMixArgs mix_args_;
  const int64_t dropout_samples_;  // jnd.max_noise_dropout_ms at the output rate
  const ChainPlan chains_;
};

}  // namespace jsqa
