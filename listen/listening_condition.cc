#include "listen/listening_condition.h"

#include "augment/degradations/jnd_dimension.h"
#include "augment/jnd_pair.h"
#include "pipeline/base/config.h"
#include "pipeline/base/error.h"

namespace jsqa {

ListeningCondition ParseListeningCondition(const std::string& chain, const std::string& dimension, double snr_db,
                                           const std::string& prefix) {
  ListeningCondition condition;
  condition.chain_text = chain;
  condition.snr_db = snr_db;
  const std::string chain_key = prefix + ".chain = " + chain;
  const std::vector<std::string> parts = SplitList(chain, '>');
  if (parts.empty() || parts.front() != "noise")
    throw UsageError(chain_key + ": a condition starts with noise (its SNR is " + prefix + ".snr_db)");
  const size_t first_step = chain.find('>');
  try {
    condition.steps = ParseChainText(first_step == std::string::npos ? "" : chain.substr(first_step + 1));
  } catch (const Error& e) {
    throw UsageError(chain_key + ": " + e.what());
  }
  const DegradationRegistry& registry = BuiltinDegradations();
  const std::string dimension_key = prefix + ".dimension = " + dimension;
  try {
    FindJndDimension(dimension);
  } catch (const Error& e) {
    throw UsageError(dimension_key + ": " + e.what());
  }
  if (dimension == "snr") {
    condition.dimension_step = condition.steps.size();
  } else {
    condition.dimension_step = condition.steps.size() + 1;
    for (size_t i = 0; i < condition.steps.size(); ++i)
      if (DimensionOf(registry.Get(condition.steps[i].degradation)).name == dimension) {
        condition.dimension_step = i;
        break;
      }
    if (condition.dimension_step > condition.steps.size())
      throw UsageError(dimension_key + ": no step of " + prefix + ".chain (" + chain + ") varies it");
  }
  condition.dimension = dimension;
  return condition;
}

void CheckDeltaStaysInDomain(const ListeningCondition& condition, bool upwards, double delta,
                             const std::string& key) {
  if (condition.moves_snr()) return;
  const ChainStep& step = condition.steps[condition.dimension_step];
  try {
    MoveStrength(BuiltinDegradations().Get(step.degradation), step.strength, upwards ? delta : -delta);
  } catch (const Error& e) {
    throw UsageError(key + " = " + FormatDouble(delta) + ": " + e.what());
  }
}

std::vector<ChainStep> MovedSteps(const ListeningCondition& condition, double delta, bool upwards) {
  std::vector<ChainStep> steps = condition.steps;
  if (!condition.moves_snr() && delta > 0.0) {
    ChainStep& moved = steps[condition.dimension_step];
    moved.strength =
        MoveStrength(BuiltinDegradations().Get(moved.degradation), moved.strength, upwards ? delta : -delta);
  }
  return steps;
}

StimulusPair MakeStimulusPair(const std::vector<float>& clean, const std::vector<float>& noise,
                              const ListeningCondition& condition, double delta, bool upwards,
                              const StimulusArgs& args) {
  JndMixArgs mix;
  mix.sample_rate = kDegradationRate;
  mix.level_rule = LevelRule::kRms;
  mix.target_dbfs = args.level_dbfs;
  const double moved_snr = condition.moves_snr() ? condition.snr_db + (upwards ? delta : -delta) : condition.snr_db;
  JndPair pair;
  MixJndPair(clean, noise, condition.snr_db, moved_snr, mix, pair);
  if (!condition.steps.empty()) {
    pair.a = ApplyChain(pair.a, condition.steps, args.seed, args.key).samples;
    pair.b = ApplyChain(pair.b, MovedSteps(condition, delta, upwards), args.seed, args.key).samples;
    LevelJndPair(mix, pair);
  }
  return {std::move(pair.a), std::move(pair.b)};
}

}  // namespace jsqa
