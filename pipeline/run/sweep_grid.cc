#include "pipeline/run/sweep_grid.h"

#include <cstdio>

#include "pipeline/base/error.h"
#include "pipeline/base/config.h"

namespace jsqa {

std::string SweepAxis::Label() const { return JoinList(keys, ":"); }
std::string SweepAxis::ValueLabel(size_t setting) const { return JoinList(values.at(setting), ":"); }

SweepAxis ParseSweepAxis(const std::string& keys, const std::string& settings) {
  const std::string text = keys + "=" + settings;
  SweepAxis axis;
  axis.keys = SplitList(keys, ':');
  if (axis.keys.empty()) throw UsageError("sweep axis '" + text + "': no key before '='");
  for (const std::string& key : axis.keys)
    if (key.find('.') == std::string::npos)
      throw UsageError("sweep axis '" + text + "': '" + key + "' is not a section.key");
  for (const std::string& setting : SplitList(settings)) {
    std::vector<std::string> values;
    size_t start = 0;
    while (true) {  // ':'-separated, empty values kept (an empty path is a setting)
      const size_t stop = setting.find(':', start);
      values.push_back(setting.substr(start, stop - start));
      if (stop == std::string::npos) break;
      start = stop + 1;
    }
    if (values.size() != axis.keys.size())
      throw UsageError("sweep axis '" + text + "': setting '" + setting + "' has " + std::to_string(values.size()) +
                       " values for " + std::to_string(axis.keys.size()) + " keys");
    axis.values.push_back(values);
  }
  if (axis.values.empty()) throw UsageError("sweep axis '" + text + "': no values after '='");
  return axis;
}

SweepAxis ParseSweepAxis(const std::string& text) {
  const size_t equals = text.find('=');
  if (equals == std::string::npos) throw UsageError("--grid '" + text + "': expected KEY=V1,V2,...");
  return ParseSweepAxis(text.substr(0, equals), text.substr(equals + 1));
}

std::string SweepPoint::Name() const {
  char name[32];
  std::snprintf(name, sizeof(name), "point-%03d", index);
  return name;
}

std::vector<SweepPoint> ExpandSweep(const std::vector<SweepAxis>& axes) {
  std::vector<SweepPoint> points(1);
  for (const SweepAxis& axis : axes) {
    std::vector<SweepPoint> grown;
    for (const SweepPoint& point : points)
      for (size_t s = 0; s < axis.values.size(); ++s) {
        SweepPoint next = point;
        for (size_t k = 0; k < axis.keys.size(); ++k) next.overrides.push_back(axis.keys[k] + "=" + axis.values[s][k]);
        next.labels.push_back(axis.ValueLabel(s));
        grown.push_back(std::move(next));
      }
    points = std::move(grown);
  }
  for (size_t i = 0; i < points.size(); ++i) points[i].index = static_cast<int>(i);
  return points;
}

}  // namespace jsqa
