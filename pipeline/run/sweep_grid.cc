#include "pipeline/run/sweep_grid.h"

#include <algorithm>
#include <cstdio>

#include "pipeline/base/error.h"
#include "pipeline/base/config.h"

namespace jsqa {

namespace {

// text split at separators outside double quotes, each part trimmed of
// blanks; quotes stay on (SplitSetting removes them). Empty parts kept.
std::vector<std::string> SplitOutsideQuotes(const std::string& text, char separator) {
  std::vector<std::string> parts(1);
  bool quoted = false;
  for (const char c : text) {
    if (c == '"') quoted = !quoted;
    if (c == separator && !quoted)
      parts.emplace_back();
    else
      parts.back() += c;
  }
  for (std::string& part : parts) {
    const size_t first = part.find_first_not_of(" \t");
    part = first == std::string::npos ? "" : part.substr(first, part.find_last_not_of(" \t") - first + 1);
  }
  return parts;
}

std::string Unquoted(const std::string& value) {
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') return value.substr(1, value.size() - 2);
  return value;
}

// A value as a setting is written: quoted when it holds a separator.
std::string Quoted(const std::string& value) {
  return value.find_first_of(",:") == std::string::npos ? value : "\"" + value + "\"";
}

}  // namespace

std::string SweepAxis::Label() const { return JoinList(keys, ":"); }

std::string SweepAxis::ValueLabel(size_t setting) const {
  std::string label;
  for (const std::string& value : values.at(setting)) label += (label.empty() ? "" : ":") + Quoted(value);
  return label;
}

SweepAxis ParseSweepAxis(const std::string& keys, const std::string& settings) {
  const std::string text = keys + "=" + settings;
  SweepAxis axis;
  axis.keys = SplitList(keys, ':');
  if (axis.keys.empty()) throw UsageError("sweep axis '" + text + "': no key before '='");
  for (const std::string& key : axis.keys)
    if (key.find('.') == std::string::npos)
      throw UsageError("sweep axis '" + text + "': '" + key + "' is not a section.key");
  if (std::count(settings.begin(), settings.end(), '"') % 2)
    throw UsageError("sweep axis '" + text + "': a '\"' is not closed");
  std::vector<std::string> setting_texts = SplitOutsideQuotes(settings, ',');
  if (setting_texts.size() == 1 && setting_texts[0].empty()) setting_texts.clear();
  for (const std::string& setting : setting_texts) {
    // ':'-separated, empty values kept (an empty path is a setting).
    std::vector<std::string> values;
    for (const std::string& value : SplitOutsideQuotes(setting, ':')) values.push_back(Unquoted(value));
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
