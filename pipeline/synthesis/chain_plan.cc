#include "pipeline/synthesis/chain_plan.h"

#include <cmath>
#include <cstdlib>

#include "augment/degradations/degradation_registry.h"
#include "augment/degradations/jnd_dimension.h"
#include "pipeline/base/error.h"

namespace jsqa {
namespace {

// "name:weight" or "name"; throws UsageError naming key.
std::pair<std::string, double> NameAndNumber(const std::string& item, double fallback, const std::string& key) {
  const size_t colon = item.rfind(':');
  if (colon == std::string::npos) return {item, fallback};
  const std::string number = item.substr(colon + 1);
  char* end = nullptr;
  const double value = std::strtod(number.c_str(), &end);
  if (number.empty() || *end != '\0' || !std::isfinite(value) || value <= 0.0)
    throw UsageError(key + ": '" + item + "' needs a positive number after ':'");
  return {item.substr(0, colon), value};
}

// The dimension a step after the noise varies ("" for none).
std::string StepDimension(const std::string& step) {
  return DimensionOf(BuiltinDegradations().Get(step)).name;
}

bool CanVary(const WeightedChain& chain, const std::string& dimension) {
  if (dimension == kSnrDimension) return true;  // the noise step
  for (const std::string& step : chain.steps_after_noise)
    if (StepDimension(step) == dimension) return true;
  return false;
}

// An index drawn with probability weight / Σ weights.
template <typename Weighted>
size_t PickByWeight(const std::vector<const Weighted*>& items, CounterRng& rng) {
  double total = 0.0;
  for (const Weighted* item : items) total += item->weight;
  double u = rng.NextUnit() * total;
  for (size_t i = 0; i + 1 < items.size(); ++i) {
    if (u < items[i]->weight) return i;
    u -= items[i]->weight;
  }
  return items.size() - 1;
}

}  // namespace

std::vector<WeightedChain> ParseChains(const std::string& text, const std::string& key) {
  std::vector<WeightedChain> chains;
  for (const std::string& item : SplitList(text)) {
    const auto [chain_text, weight] = NameAndNumber(item, 1.0, key);
    WeightedChain chain{chain_text, {}, weight};
    const std::vector<std::string> steps = SplitList(chain_text, '>');
    if (steps.empty() || steps.front() != kNoiseStep)
      throw UsageError(key + ": chain '" + chain_text + "' must start with noise");
    for (size_t i = 1; i < steps.size(); ++i) {
      if (!BuiltinDegradations().Has(steps[i]))
        throw UsageError(key + ": chain '" + chain_text + "' names unknown degradation '" + steps[i] +
                         "'; known: " + JoinList(BuiltinDegradations().Names(), ", "));
      chain.steps_after_noise.push_back(steps[i]);
    }
    chains.push_back(std::move(chain));
  }
  if (chains.empty()) throw UsageError(key + " is empty: name at least one chain (noise)");
  return chains;
}

std::vector<WeightedDimension> ParseDimensions(const std::string& dimensions, const std::string& deltas,
                                               const std::vector<WeightedChain>& chains,
                                               const std::string& dimensions_key, const std::string& deltas_key) {
  const auto known = [](const std::string& name, const std::string& key) -> const JndDimension& {
    try {
      return FindJndDimension(name);
    } catch (const Error& error) {
      throw UsageError(key + ": " + error.what());
    }
  };
  std::vector<WeightedDimension> parsed;
  for (const std::string& item : SplitList(dimensions)) {
    const auto [name, weight] = NameAndNumber(item, 1.0, dimensions_key);
    const JndDimension& dimension = known(name, dimensions_key);
    bool varied = false;
    for (const WeightedChain& chain : chains) varied = varied || CanVary(chain, name);
    if (!varied)
      throw UsageError(dimensions_key + ": no chain in jnd.chains has a step that varies '" + name + "' (" +
                       dimension.strength_name + ")");
    parsed.push_back({name, weight, dimension.default_delta});
  }
  if (parsed.empty()) throw UsageError(dimensions_key + " is empty: name at least one dimension (snr)");
  for (const std::string& item : SplitList(deltas)) {
    const auto [name, delta] = NameAndNumber(item, 0.0, deltas_key);
    known(name, deltas_key);
    if (name == kSnrDimension) throw UsageError(deltas_key + ": the SNR's Δ is set by jnd.delta_min_db and delta_max_db");
    if (delta <= 0.0) throw UsageError(deltas_key + ": '" + item + "' needs a positive Δ after ':'");
    for (WeightedDimension& dimension : parsed)
      if (dimension.name == name) dimension.largest_delta = delta;
  }
  return parsed;
}

ChainPlan::ChainPlan(std::vector<WeightedChain> chains, std::vector<WeightedDimension> dimensions,
                     const DegradationRangesConfig& ranges)
    : chains_(std::move(chains)), dimensions_(std::move(dimensions)), ranges_(ranges) {}

bool ChainPlan::noise_only() const {
  return chains_.size() == 1 && chains_[0].steps_after_noise.empty() && dimensions_.size() == 1 &&
         dimensions_[0].name == kSnrDimension;
}

ChainDraw ChainPlan::Draw(CounterRng& rng) const {
  std::vector<const WeightedDimension*> dimensions;
  for (const WeightedDimension& dimension : dimensions_) dimensions.push_back(&dimension);
  const WeightedDimension& dimension = *dimensions[PickByWeight(dimensions, rng)];
  std::vector<const WeightedChain*> chains;
  for (const WeightedChain& chain : chains_)
    if (CanVary(chain, dimension.name)) chains.push_back(&chain);
  const WeightedChain& chain = *chains[PickByWeight(chains, rng)];

  ChainDraw draw;
  draw.dimension = dimension.name;
  draw.chain = chain.text;
  for (const std::string& step : chain.steps_after_noise)
    draw.steps_a.push_back({step, ranges_.DrawStrength(BuiltinDegradations().Get(step), rng)});
  draw.steps_b = draw.steps_a;
  if (dimension.name != kSnrDimension) {
    // The first step of the dimension moves; Δ in (0, largest], one mode
    // for a codec (ShiftStrength rounds up to one).
    size_t moved = 0;
    while (StepDimension(draw.steps_a[moved].degradation) != dimension.name) ++moved;
    const double delta = dimension.largest_delta * (1.0 - rng.NextUnit());
    const bool upwards = rng.NextU32() & 1u;
    const Degradation& degradation = BuiltinDegradations().Get(draw.steps_a[moved].degradation);
    try {
      draw.steps_b[moved].strength = ShiftStrength(degradation, draw.steps_a[moved].strength, delta, upwards);
      draw.delta = StrengthDifference(degradation, draw.steps_a[moved].strength, draw.steps_b[moved].strength);
    } catch (const Error& error) {
      draw.failure = error.what();
    }
  }
  draw.key = rng.NextU64();
  return draw;
}

}  // namespace jsqa
