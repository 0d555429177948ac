// One figure of a benchmark with its goal beside it, as `make bench` prints
// every goal of the feeding work: "  name: value unit  (goal >= x:
// met)". Header-only, shared by the benchmarks.
#pragma once

#include <cstdio>
#include <string>

namespace jsqa::bench {

enum class GoalKind { kAtLeast, kAtMost };

inline void PrintGoal(const std::string& name, double value, const std::string& unit, double goal,
                      GoalKind kind = GoalKind::kAtLeast, const std::string& note = "") {
  const bool met = kind == GoalKind::kAtLeast ? value >= goal : value <= goal;
  std::printf("  %-44s %10.2f %-24s (goal %s %g: %s)%s%s\n", name.c_str(), value, unit.c_str(),
              kind == GoalKind::kAtLeast ? ">=" : "<=", goal, met ? "met" : "NOT met", note.empty() ? "" : "  ",
              note.c_str());
}

}  // namespace jsqa::bench
