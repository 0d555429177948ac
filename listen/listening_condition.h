// The condition a listening test measures a JND around, and its stimuli:
// speech mixed with noise at the condition's SNR, then the condition's
// degradations, once as the condition (A) and once moved by Δ along the
// JND dimension (B), made by the same code as the shards' pairs
// (MixJndPair, MakeChainPair, LevelJndPair) with every random draw shared.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "augment/degradations/degradation_chain.h"

namespace jsqa {

struct ListeningCondition {
  std::string dimension;              // a JndDimension's name
  std::string chain_text;             // as configured: "noise>opus(16)"
  double snr_db = 10.0;               // of the noise step
  std::vector<ChainStep> steps;       // after the noise
  // Which of `steps` the dimension moves; steps.size() for snr (the noise).
  size_t dimension_step = 0;
  bool moves_snr() const { return dimension_step == steps.size(); }
};

// chain: "noise" then ">name(strength)" per degradation. Throws
// UsageError naming "<prefix>.chain" for an unknown degradation, a missing
// or out-of-domain strength, a chain not starting with noise, and
// "<prefix>.dimension" for an unknown dimension or one no step varies.
ListeningCondition ParseListeningCondition(const std::string& chain, const std::string& dimension, double snr_db,
                                           const std::string& prefix);

// Throws UsageError naming key when moving the condition by delta (up or
// down) leaves the moved degradation's domain.
void CheckDeltaStaysInDomain(const ListeningCondition& condition, bool upwards, double delta, const std::string& key);

// B's steps: the condition's with the dimension's step moved by delta (>= 0)
// up or down (MoveStrength); the condition's own for snr, which moves in
// the mix. Throws jsqa::Error when the move leaves the domain.
std::vector<ChainStep> MovedSteps(const ListeningCondition& condition, double delta, bool upwards);

struct StimulusArgs {
  double level_dbfs = -26.0;  // RMS of both signals
  uint64_t seed = 1;          // with key: the chain's random draws
  uint64_t key = 0;
};

struct StimulusPair {
  std::vector<float> a;  // the condition, [samples] at kDegradationRate
  std::vector<float> b;  // moved by delta (a copy of a when delta is 0)
};

// clean and noise: [samples] at kDegradationRate, the same length. B is the
// condition moved by delta (>= 0) up or down the dimension. Throws
// jsqa::Error for silent input or a degradation that fails.
StimulusPair MakeStimulusPair(const std::vector<float>& clean, const std::vector<float>& noise,
                              const ListeningCondition& condition, double delta, bool upwards,
                              const StimulusArgs& args);

}  // namespace jsqa
