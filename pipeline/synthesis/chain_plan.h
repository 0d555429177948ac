// The degradation chains and JND dimensions of [jnd] (chains, dimensions,
// deltas), parsed, checked and drawn from. Every chain starts with `noise`
// (speech mixed with the noise bank at an SNR, as in noise-only pairs);
// the steps after it are registered degradations (augment/degradations/).
//
// Per pair: a dimension by weight, then a chain by weight among those that
// can vary it, each later step's strength from [degrade], and Δ uniform in
// (0, the dimension's largest Δ] (for a codec, one mode); the SNR dimension
// keeps [jnd]'s own SNR and Δ draws. Noise-only pairs (one chain `noise`,
// one dimension `snr`) draw nothing here, so their bytes are as before
// chains existed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "augment/counter_rng.h"
#include "augment/degradations/degradation_chain.h"
#include "pipeline/synthesis/degradation_ranges.h"

namespace jsqa {

inline constexpr char kNoiseStep[] = "noise";
inline constexpr char kSnrDimension[] = "snr";

struct WeightedChain {
  std::string text;                            // "noise>amr_wb>packet_loss"
  std::vector<std::string> steps_after_noise;  // {"amr_wb", "packet_loss"}
  double weight = 1.0;
};

struct WeightedDimension {
  std::string name;        // a JndDimension's name
  double weight = 1.0;
  double largest_delta = 0.0;  // in the dimension's unit; unused for snr ([jnd] delta_*_db)
};

// "noise:0.6, noise>amr_wb>packet_loss:0.4" (a weight defaults to 1).
// Throws UsageError naming key for an unknown degradation, a chain that
// does not start with noise, or a weight that is not positive.
std::vector<WeightedChain> ParseChains(const std::string& text, const std::string& key);

// dimensions: "snr:0.5, codec_mode:0.5"; deltas: "cutoff:0.5" overriding a
// dimension's default largest Δ. Throws UsageError naming the key for an
// unknown dimension, a Δ for snr (set by delta_max_db) or a bad number, and
// naming dimensions_key for a dimension no chain in `chains` can vary.
std::vector<WeightedDimension> ParseDimensions(const std::string& dimensions, const std::string& deltas,
                                               const std::vector<WeightedChain>& chains,
                                               const std::string& dimensions_key, const std::string& deltas_key);

struct ChainDraw {
  std::string dimension = kSnrDimension;
  std::string chain = kNoiseStep;  // WeightedChain::text
  std::vector<ChainStep> steps_a;  // after the noise
  std::vector<ChainStep> steps_b;  // the same, one step moved when dimension is not snr
  uint64_t key = 0;                // the chain's draws: ApplyChain(..., seed, key)
  // Δ as realised between steps_a and steps_b, in the dimension's unit
  // (StrengthDifference: whole modes for a codec); 0 for snr, whose Δ is
  // in the pair's SNRs.
  double delta = 0.0;
  // Why this draw cannot make a pair (a strength that cannot move by Δ
  // inside its domain), "" when it can.
  std::string failure;
};

class ChainPlan {
 public:
  ChainPlan(std::vector<WeightedChain> chains, std::vector<WeightedDimension> dimensions,
            const DegradationRangesConfig& ranges);

  // One chain `noise` and one dimension `snr`: nothing to draw.
  bool noise_only() const;
  // Never throws for a step whose strength cannot move: that draw's
  // failure says why, and the caller counts it and draws again.
  ChainDraw Draw(CounterRng& rng) const;

 private:
  std::vector<WeightedChain> chains_;
  std::vector<WeightedDimension> dimensions_;
  const DegradationRangesConfig& ranges_;
};

}  // namespace jsqa
