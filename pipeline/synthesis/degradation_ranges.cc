#include "pipeline/synthesis/degradation_ranges.h"

#include <map>

#include "augment/degradations/degradation_registry.h"
#include "pipeline/base/error.h"

namespace jsqa {
namespace {

// The NISQA simulated corpus generator's ranges (Mittag et al. 2021), where
// they are narrower than the domain.
const std::map<std::string, std::pair<double, double>>& NisqaRanges() {
  static const std::map<std::string, std::pair<double, double>> ranges = {
      {"white_noise", {0.0, 40.0}},   {"mnru", {-30.0, 30.0}},        {"clipping", {0.01, 0.5}},
      {"opus", {6.0, 48.0}},          {"packet_loss", {0.01, 0.5}},   {"packet_loss_bursty", {0.01, 0.5}},
      {"time_clipping", {0.01, 0.5}},
  };
  return ranges;
}

}  // namespace

DegradationRangesConfig::DegradationRangesConfig() {
  for (const std::string& name : BuiltinDegradations().Names()) {
    const StrengthParameter parameter = BuiltinDegradations().Get(name).strength();
    const auto nisqa = NisqaRanges().find(name);
    if (nisqa != NisqaRanges().end())
      ranges_.push_back({name, nisqa->second.first, nisqa->second.second});
    else
      ranges_.push_back({name, parameter.min, parameter.max});
  }
}

void DegradationRangesConfig::Declare(KeyDeclarations& keys) {
  for (Range& range : ranges_) {
    const StrengthParameter parameter = BuiltinDegradations().Get(range.degradation).strength();
    if (parameter.min == parameter.max) continue;  // one strength only (gsm_fr): nothing to set
    const std::string what = range.degradation + "'s " + parameter.name + " (" + parameter.unit + ")";
    keys.Key(range.degradation + "_min", range.min, "lowest " + what + " a chain draws")
        .Between(parameter.min, parameter.max);
    keys.Key(range.degradation + "_max", range.max, "highest " + what + " a chain draws")
        .Between(parameter.min, parameter.max);
  }
}

void DegradationRangesConfig::ValidateTogether(const std::string& prefix) const {
  for (const Range& range : ranges_) {
    const std::string keys = prefix + "." + range.degradation + "_min = " + FormatDouble(range.min) + ", " + prefix +
                             "." + range.degradation + "_max = " + FormatDouble(range.max);
    if (range.min > range.max) throw UsageError(keys + ": the minimum is above the maximum");
    const StrengthParameter parameter = BuiltinDegradations().Get(range.degradation).strength();
    if (!parameter.levels.empty() && parameter.LevelsBetween(range.min, range.max).empty())
      throw UsageError(keys + ": no mode of " + range.degradation + " lies inside; its modes are " +
                       parameter.DomainText());
  }
}

const DegradationRangesConfig::Range& DegradationRangesConfig::RangeOf(const std::string& degradation) const {
  for (const Range& range : ranges_)
    if (range.degradation == degradation) return range;
  throw Error("no [degrade] range for '" + degradation + "'");
}

double DegradationRangesConfig::DrawStrength(const Degradation& degradation, CounterRng& rng) const {
  const Range& range = RangeOf(degradation.name());
  const StrengthParameter parameter = degradation.strength();
  if (parameter.levels.empty()) return rng.Uniform(range.min, range.max);
  const std::vector<double> inside = parameter.LevelsBetween(range.min, range.max);
  return inside[rng.UniformInt(inside.size())];
}

}  // namespace jsqa
