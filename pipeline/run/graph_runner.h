// Runs a validated stage graph over the artifact cache.
//
// Each stage, in dependency order, gets its cache key; a finished folder with
// that key is reused ("cached"), otherwise the stage runs into a temporary
// folder that is committed when it succeeds. A failed stage is reported and
// its dependents are not run; independent stages still run.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "pipeline/base/config.h"
#include "pipeline/run/stage_graph.h"
#include "pipeline/run/stage_registry.h"

namespace jsqa {

struct RunOptions {
  std::string run_dir;
  // Stages to rerun even when cached ("all" reruns every stage).
  std::set<std::string> force;
  // Compute keys and report what would run, without running anything.
  bool plan_only = false;
  // Point RUN_DIR/<stage> at the folders used and write RUN_DIR/config.ini;
  // a sweep's points leave both as the run itself made them.
  bool update_run_links = true;
};

enum class StageOutcome { kCached, kRan, kWouldRun, kFailed, kSkipped };

struct StageReport {
  std::string stage;
  std::string key;
  std::string folder;  // final folder (empty when failed or skipped)
  StageOutcome outcome = StageOutcome::kSkipped;
  double seconds = 0.0;
  std::string error;  // for kFailed, or why kSkipped
  bool usage_error = false;  // kFailed by a UsageError: a config problem found while running
};

struct RunReport {
  std::vector<StageReport> stages;
  bool ok() const;
  int Count(StageOutcome outcome) const;
  // The command's exit code (README "The command line"): 0 when ok, 2 when a
  // stage failed on a usage or config error (as its stage command exits),
  // else 1.
  int ExitCode() const;
};

std::string OutcomeName(StageOutcome outcome);

// Validates force names against the graph, saves the resolved config as
// RUN_DIR/config.ini, then runs. Throws UsageError for an unknown --force
// stage; stage failures are in the report, not thrown.
RunReport RunGraph(const Config& config, const StageGraph& graph, const StageRegistry& registry,
                   const RunOptions& options);

}  // namespace jsqa
