#include "listen/listening_condition.h"

#include <regex>

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
  static const std::regex step_text(R"(([a-z0-9_]+)\(([-+0-9.eE]+)\))");
  const DegradationRegistry& registry = BuiltinDegradations();
  for (size_t i = 1; i < parts.size(); ++i) {
    std::smatch match;
    if (!std::regex_match(parts[i], match, step_text))
      throw UsageError(chain_key + ": '" + parts[i] + "' is not name(strength), e.g. opus(16)");
    const Degradation* degradation = nullptr;
    try {
      degradation = &registry.Get(match[1]);
      ChainStep step{match[1], std::stod(match[2])};
      CheckStrength(*degradation, step.strength);
      condition.steps.push_back(step);
    } catch (const UsageError&) {
      throw;
    } catch (const std::exception& e) {
      throw UsageError(chain_key + ": " + e.what());
    }
  }
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
    std::vector<ChainStep> steps_b = condition.steps;
    if (!condition.moves_snr()) {
      ChainStep& moved = steps_b[condition.dimension_step];
      if (delta > 0.0)
        moved.strength = MoveStrength(BuiltinDegradations().Get(moved.degradation), moved.strength,
                                      upwards ? delta : -delta);
    }
    pair.a = ApplyChain(pair.a, condition.steps, args.seed, args.key).samples;
    pair.b = ApplyChain(pair.b, steps_b, args.seed, args.key).samples;
    LevelJndPair(mix, pair);
  }
  return {std::move(pair.a), std::move(pair.b)};
}

}  // namespace jsqa
