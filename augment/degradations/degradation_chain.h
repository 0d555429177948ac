// Chains of degradations and JND pairs on them. A chain applies its steps
// in order to clean speech at kDegradationRate; a JND pair sends the same
// speech through the same chain twice with exactly one step's strength
// moved by Δ in its dimension, every random draw (noise, loss pattern,
// room) shared between the two.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "augment/degradations/degradation_registry.h"

namespace jsqa {

struct ChainStep {
  std::string degradation;  // a registered name
  double strength = 0.0;    // in its strength parameter's unit
};

struct ChainOutput {
  std::vector<float> samples;                  // [input samples] at kDegradationRate
  std::vector<std::vector<Realised>> realised;  // [steps]: what each step realised
};

// Applies steps in order. Step i draws from CounterRng(seed, MixKeys(key, i)),
// so the same (seed, key) gives the same draws whatever the strengths. A
// packet-loss step right after a codec (conceals_loss()) draws the pattern
// and hands it to that codec, whose decoder conceals the losses; its own
// realised values are the pattern's. Throws jsqa::Error from a step,
// prefixed with the step's position and name.
ChainOutput ApplyChain(const std::vector<float>& input, const std::vector<ChainStep>& steps, uint64_t seed,
                       uint64_t key, const DegradationRegistry& registry = BuiltinDegradations());

struct ChainPair {
  std::vector<ChainStep> steps_a;  // the chain as applied to A
  std::vector<ChainStep> steps_b;  // the same but for steps_b[dimension_step]
  size_t dimension_step = 0;       // which step differs
  ChainOutput a;
  ChainOutput b;
};

// A: `steps` as given; B: the same with steps[dimension_step]'s strength
// moved by delta in its JND dimension (ShiftStrength), upwards or
// downwards. Both from the same (seed, key).
ChainPair MakeChainPair(const std::vector<float>& input, const std::vector<ChainStep>& steps, size_t dimension_step,
                        double delta, bool upwards, uint64_t seed, uint64_t key,
                        const DegradationRegistry& registry = BuiltinDegradations());

// "white_noise(10)>amr_wb(12.65)>packet_loss(0.1)", for logs and shards.
std::string ChainText(const std::vector<ChainStep>& steps);

// The inverse of ChainText ("" gives no steps). Throws jsqa::Error naming
// the part for text that is not name(strength), an unknown degradation or
// a strength outside its domain.
std::vector<ChainStep> ParseChainText(const std::string& text,
                                      const DegradationRegistry& registry = BuiltinDegradations());

}  // namespace jsqa
