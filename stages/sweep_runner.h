// Sweeps: the stage graph of a config run once per point of a grid of
// settings, in one run folder. Stages whose settings do not change between
// points have the same cache key and run once (the artifact cache), so
// sweeping finetune.learning_rate never re-synthesises pairs. A sweep keeps
// everything of its own in RUN_DIR/sweeps/<name>/ (SweepDir): each point's
// outcome as point-NNN/result.json (so a re-run resumes and cluster tasks
// can run points apart), and what CollectSweep assembles from them:
// sweep.csv, sweep.md and a plot of each metric against each swept key.
// Sweeps of other axes or another base config get other folders, and the
// run's own stage links and config.ini are left as the run made them.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "pipeline/run/graph_runner.h"
#include "pipeline/run/sweep_grid.h"

namespace jsqa {

struct SweepOptions {
  std::string config_path;
  std::vector<std::string> overrides;  // --set, applied under each point's own settings
  std::vector<SweepAxis> axes;         // --grid, else the config's [sweep]
  std::string run_dir;
  // The sweep's own folder under run_dir (SweepDir); set by SweepFolder.
  std::string sweep_dir;
};

// The config every point starts from: the file with --set, no point's
// settings yet.
std::unique_ptr<Config> SweepBaseConfig(const SweepOptions& options);

// RUN_DIR/sweeps/<axes>-<key>: the axes' keys for people, then a hash of the
// resolved base config (with --set) and every axis's values, so one sweep
// always finds its own points and two sweeps never share a folder.
std::string SweepFolder(const SweepOptions& options);

// Every point's stages with their keys, before anything runs.
struct SweepPlan {
  std::vector<SweepPoint> points;
  std::vector<RunReport> reports;    // per point: kCached or kWouldRun per stage, with keys
  std::set<std::string> shared;      // "stage-key" of stages more than one point uses
  std::vector<std::string> errors;   // per point: why it cannot even be planned ("" when it can)
};

// The config's [sweep] axes (after Load), then --grid axes replacing the
// config's for the same keys, then with seeds > 0 an axis of seeds 1..seeds
// for every seed key the config has (synth.seed, pretrain.seed,
// finetune.seed together).
std::vector<SweepAxis> SweepAxes(const std::string& config_path, const std::vector<std::string>& overrides,
                                 std::vector<std::string> grid, int seeds = 0);

SweepPlan PlanSweep(const SweepOptions& options);
// A table: per point, its settings and each stage as "cached", "runs", or
// "shared with point-N" (run once for several points).
std::string FormatSweepPlan(const SweepOptions& options, const SweepPlan& plan);

// Runs the points (all, or only one), each point's failure recorded in its
// result.json while the others go on. shared_only runs just the stages more
// than one point needs (the first job of a cluster sweep). Returns the
// number of failed points.
int RunSweepPoints(const SweepOptions& options, const SweepPlan& plan, std::optional<int> only_point,
                   bool shared_only);

// sweep.csv, sweep.md and sweep-<metric>-vs-<key>.png/.svg in the sweep's folder from
// the points' results, with sweep_comparisons.h's settings and paired
// tables (sweep-settings.csv, sweep-paired.csv); returns the Markdown.
std::string CollectSweep(const SweepOptions& options, const SweepPlan& plan);

}  // namespace jsqa
