#include "augment/degradations/degradation.h"

#include <algorithm>

#include "pipeline/base/config_keys.h"
#include "pipeline/base/error.h"

namespace jsqa {

bool StrengthParameter::Contains(double value) const {
  if (!(value >= min && value <= max)) return false;  // also false for NaN
  return levels.empty() || std::find(levels.begin(), levels.end(), value) != levels.end();
}

std::vector<double> StrengthParameter::LevelsBetween(double low, double high) const {
  std::vector<double> inside;
  for (const double level : levels)
    if (level >= low && level <= high) inside.push_back(level);
  return inside;
}

std::string StrengthParameter::DomainText() const {
  if (levels.empty()) return "[" + FormatDouble(min) + ", " + FormatDouble(max) + "] " + unit;
  std::string text = "one of ";
  for (size_t i = 0; i < levels.size(); ++i) text += (i ? ", " : "") + FormatDouble(levels[i]);
  return text + " " + unit;
}

void CheckStrength(const Degradation& degradation, double value) {
  const StrengthParameter parameter = degradation.strength();
  JSQA_CHECK(parameter.Contains(value), degradation.name(), ": ", parameter.name, " = ", FormatDouble(value),
             " is outside its domain, ", parameter.DomainText());
}

}  // namespace jsqa
