// The grid of a sweep: axes of settings, and every combination of them.
//
// An axis is "KEY=V1,V2,..." (one key), or "KEY1:KEY2=A1:B1,A2:B2,..." for
// keys that change together, such as a JND Δ range:
//   jnd.delta_min_db:jnd.delta_max_db = 0:1, 0:3, 0:6, 3:6
// A value holding ',' or ':' is written in double quotes:
//   jnd.chains = noise, "noise:0.5, noise>amr_wb>packet_loss:0.5"
// Combinations are the cartesian product, the first axis changing slowest.
#pragma once

#include <string>
#include <vector>

namespace jsqa {

struct SweepAxis {
  std::vector<std::string> keys;                 // "section.key", at least one
  std::vector<std::vector<std::string>> values;  // per setting, one value per key

  std::string Label() const;                      // the keys joined by ':'
  std::string ValueLabel(size_t setting) const;   // the setting's values joined by ':', quoted as written
};

// Throws UsageError naming text for a missing '=', an empty key or value
// list, or a setting with another number of values than keys.
SweepAxis ParseSweepAxis(const std::string& keys, const std::string& settings);
SweepAxis ParseSweepAxis(const std::string& text);  // "KEYS=SETTINGS"

struct SweepPoint {
  int index = 0;
  std::vector<std::string> overrides;  // "section.key=value", for Config::Load
  std::vector<std::string> labels;     // one per axis: its setting's values
  std::string Name() const;            // "point-003": its folder in the sweep's folder
};

std::vector<SweepPoint> ExpandSweep(const std::vector<SweepAxis>& axes);

}  // namespace jsqa
