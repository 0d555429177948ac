#include "augment/degradations/jnd_dimension.h"

#include <algorithm>
#include <cmath>

#include "augment/degradations/band_limit.h"
#include "pipeline/base/config_keys.h"
#include "pipeline/base/error.h"

namespace jsqa {
namespace {

// The position of strength among a codec's levels; throws naming the domain.
long LevelIndex(const StrengthParameter& parameter, double strength) {
  const auto found = std::find(parameter.levels.begin(), parameter.levels.end(), strength);
  JSQA_CHECK(found != parameter.levels.end(), parameter.name, " = ", FormatDouble(strength), " is not one of ",
             parameter.DomainText());
  return found - parameter.levels.begin();
}

// Moves `strength` by `delta` (signed) in the dimension's unit.
double Moved(const JndDimension& dimension, const StrengthParameter& parameter, double strength, double delta) {
  if (dimension.delta_unit == "Bark") return BarkToHz(HzToBark(strength) + delta);
  if (dimension.name == "clip_threshold") return strength * std::pow(10.0, delta / 20.0);
  if (!parameter.levels.empty()) {
    const long steps = std::max(1L, std::lround(std::fabs(delta)));
    const long index = LevelIndex(parameter, strength) + (delta < 0 ? -steps : steps);
    // Outside the levels: a value no domain contains, so the caller turns.
    if (index < 0 || index >= static_cast<long>(parameter.levels.size())) return parameter.max + 1.0;
    return parameter.levels[index];
  }
  return strength + delta;
}

}  // namespace

const std::vector<JndDimension>& JndDimensions() {
  static const std::vector<JndDimension> dimensions = {
      {"snr", "snr_db", "dB", 3.0, true,
       "McShefferty, Whitmer & Akeroyd 2015 (Trends in Hearing): 2.9 dB at 0 dB SNR, 3.5 dB at +6 dB"},
      {"c50", "c50_db", "dB", 1.1, true, "Bradley, Reich & Norcross 1999 (Applied Acoustics)"},
      {"codec_mode", "bitrate_kbps", "modes", 1.0, false, "chosen: the next mode of the same codec"},
      {"g711_law", "mode", "modes", 1.0, false, "chosen: the other companding law"},
      {"loss_rate", "loss_rate", "fraction", 0.05, false, "chosen: 5 percentage points of frames"},
      {"frame_error_rate", "frame_error_rate", "fraction", 0.05, false, "chosen: 5 percentage points of frames"},
      {"cutoff", "cutoff_hz", "Bark", 1.0, false, "chosen: one critical band"},
      {"mnru_q", "q_db", "dB", 3.0, false, "chosen: as the SNR's JND, MNRU noise being noise"},
      {"clip_threshold", "threshold", "dB", 2.0, false, "chosen: the clipping level moved by 2 dB"},
  };
  return dimensions;
}

const JndDimension& FindJndDimension(const std::string& name) {
  std::vector<std::string> known;
  for (const JndDimension& dimension : JndDimensions()) {
    if (dimension.name == name) return dimension;
    known.push_back(dimension.name);
  }
  throw Error("unknown JND dimension '" + name + "'; known: " + JoinList(known, ", "));
}

const JndDimension& DimensionOf(const Degradation& degradation) {
  const std::string strength_name = degradation.strength().name;
  for (const JndDimension& dimension : JndDimensions())
    if (dimension.strength_name == strength_name) return dimension;
  throw Error(degradation.name() + ": its strength " + strength_name + " belongs to no JND dimension");
}

double StrengthDifference(const Degradation& degradation, double a, double b) {
  const JndDimension& dimension = DimensionOf(degradation);
  const StrengthParameter parameter = degradation.strength();
  if (dimension.delta_unit == "Bark") return std::fabs(HzToBark(b) - HzToBark(a));
  if (dimension.name == "clip_threshold") return std::fabs(20.0 * std::log10(b / a));
  if (!parameter.levels.empty())
    return static_cast<double>(std::labs(LevelIndex(parameter, b) - LevelIndex(parameter, a)));
  return std::fabs(b - a);
}

double MoveStrength(const Degradation& degradation, double strength, double signed_delta) {
  const JndDimension& dimension = DimensionOf(degradation);
  const StrengthParameter parameter = degradation.strength();
  const double moved = Moved(dimension, parameter, strength, signed_delta);
  JSQA_CHECK(parameter.Contains(moved), degradation.name(), ": ", parameter.name, " = ", FormatDouble(strength),
             " moved by ", FormatDouble(signed_delta), " ", dimension.delta_unit, " leaves its domain, ",
             parameter.DomainText());
  return moved;
}

double ShiftStrength(const Degradation& degradation, double strength, double delta, bool upwards) {
  const JndDimension& dimension = DimensionOf(degradation);
  const StrengthParameter parameter = degradation.strength();
  const double first = Moved(dimension, parameter, strength, upwards ? delta : -delta);
  if (parameter.Contains(first)) return first;
  const double second = Moved(dimension, parameter, strength, upwards ? -delta : delta);
  JSQA_CHECK(parameter.Contains(second), degradation.name(), ": ", parameter.name, " = ", FormatDouble(strength),
             " moved by ", FormatDouble(delta), " ", dimension.delta_unit, " either way leaves its domain, ",
             parameter.DomainText());
  return second;
}

}  // namespace jsqa
