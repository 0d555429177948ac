#include "pipeline/run/graph_runner.h"

#include <chrono>
#include <filesystem>
#include <map>

#include "pipeline/base/error.h"
#include "pipeline/run/artifact_cache.h"
#include "pipeline/run/run_index.h"
#include "pipeline/base/logging.h"
#include "pipeline/base/progress.h"
#include "pipeline/base/sha256.h"
#include "pipeline/base/text_files.h"

namespace jsqa {
namespace fs = std::filesystem;
namespace {

// Runs one stage into a temporary folder and commits it. Returns seconds.
double RunStage(const Stage& stage, const Config& config, const ArtifactCache& cache,
                const std::string& key, const std::map<std::string, std::string>& inputs,
                const std::map<std::string, std::string>& input_keys) {
  const std::string temporary = cache.BeginTemporary(stage.Name(), key);
  const auto start = std::chrono::steady_clock::now();
  try {
    SetLogFile((fs::path(temporary) / "stage.log").string());
    WriteFileAtomically((fs::path(temporary) / "config.ini").string(), config.SectionsText(stage.ConfigSections()));
    StageContext context{config, temporary, inputs};
    stage.Run(context);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    nlohmann::json summary = {{"stage", stage.Name()},
                              {"key", key},
                              {"version", stage.Version()},
                              {"inputs", input_keys},
                              {"seconds", seconds}};
    summary.update(context.summary);
    WriteFileAtomically((fs::path(temporary) / "summary.json").string(), summary.dump(2) + "\n");
    JSQA_LOG(kInfo) << stage.Name() << ": done in " << FormatSeconds(seconds) << ", in "
                    << cache.FinalPath(stage.Name(), key);
    SetLogFile("");
    cache.Commit(temporary, stage.Name(), key);
    return seconds;
  } catch (...) {
    SetLogFile("");
    cache.Discard(temporary);
    throw;
  }
}

// What this stage's key holds of one input: the SHA-256 of each file it
// reads from the input's folder, or the input's key when it reads the whole
// folder. An input that has not run yet (a plan) stands in with its key: the
// plan can still tell which points share a stage.
std::string InputDigest(const Stage& stage, const Config& config, const std::string& input,
                        const std::string& folder, const std::string& input_key, bool input_ready) {
  const std::vector<std::string> files = stage.InputFiles(input, config);
  if (files.empty() || !input_ready) return input + ":" + input_key;
  std::string digest = input + ":";
  for (const std::string& file : files) {
    const fs::path path = fs::path(folder) / file;
    digest += file + "=" + (fs::exists(path) ? Sha256File(path.string()) : std::string("absent")) + ";";
  }
  return digest;
}

}  // namespace

bool RunReport::ok() const { return Count(StageOutcome::kFailed) + Count(StageOutcome::kSkipped) == 0; }

int RunReport::ExitCode() const {
  if (ok()) return 0;
  for (const StageReport& report : stages)
    if (report.usage_error) return 2;
  return 1;
}

int RunReport::Count(StageOutcome outcome) const {
  int count = 0;
  for (const StageReport& report : stages) count += report.outcome == outcome;
  return count;
}

std::string OutcomeName(StageOutcome outcome) {
  switch (outcome) {
    case StageOutcome::kCached: return "cached";
    case StageOutcome::kRan: return "ran";
    case StageOutcome::kWouldRun: return "would run";
    case StageOutcome::kFailed: return "FAILED";
    case StageOutcome::kSkipped: return "skipped";
  }
  return "?";
}

RunReport RunGraph(const Config& config, const StageGraph& graph, const StageRegistry& registry,
                   const RunOptions& options) {
  for (const std::string& name : options.force) {
    bool known = name == "all";
    for (const GraphNode& node : graph.Ordered()) known = known || node.stage == name;
    if (!known) throw UsageError("--force " + name + ": not a stage of this run's [graph]");
  }
  // Before any work: a stage that would find nothing to read fails now,
  // not after the stages before it ran for hours.
  for (const GraphNode& node : graph.Ordered())
    registry.Get(node.stage).CheckInputs(config, std::set<std::string>(node.inputs.begin(), node.inputs.end()));
  const ArtifactCache cache(options.run_dir);
  const bool link = !options.plan_only && options.update_run_links;
  if (link) WriteFileAtomically((fs::path(options.run_dir) / "config.ini").string(), config.ToIni());

  RunReport report;
  std::map<std::string, std::string> keys, folders;
  std::set<std::string> unavailable;  // failed, skipped, or not yet run (plan)
  for (const GraphNode& node : graph.Ordered()) {
    const Stage& stage = registry.Get(node.stage);
    StageReport stage_report;
    stage_report.stage = node.stage;

    std::vector<std::string> upstream_digests;
    std::map<std::string, std::string> inputs, input_keys;
    std::string missing;
    for (const std::string& input : node.inputs) {
      inputs[input] = folders[input];
      input_keys[input] = keys[input];
      if (unavailable.count(input)) missing = input;
      upstream_digests.push_back(
          InputDigest(stage, config, input, folders[input], keys[input], !unavailable.count(input)));
    }
    const std::set<std::string> input_names(node.inputs.begin(), node.inputs.end());
    const std::string key = ArtifactKey(
        stage.Name(), stage.Version(),
        config.CacheKeyText(stage.KeySections(config, input_names)) + stage.Fingerprint(config), upstream_digests);
    keys[node.stage] = stage_report.key = key;
    const bool forced = options.force.count("all") || options.force.count(node.stage);

    if (cache.IsComplete(node.stage, key) && !forced) {
      stage_report.outcome = StageOutcome::kCached;
      stage_report.folder = folders[node.stage] = cache.FinalPath(node.stage, key);
      if (link) cache.LinkLatest(node.stage, key);
      JSQA_LOG(kInfo) << node.stage << ": cached, settings and inputs unchanged ("
                      << stage_report.folder << ")";
    } else if (options.plan_only) {
      stage_report.outcome = StageOutcome::kWouldRun;
      unavailable.insert(node.stage);
    } else if (!missing.empty()) {
      stage_report.outcome = StageOutcome::kSkipped;
      stage_report.error = "input '" + missing + "' did not finish";
      unavailable.insert(node.stage);
      JSQA_LOG(kError) << node.stage << ": skipped: " << stage_report.error;
    } else {
      JSQA_LOG(kInfo) << node.stage << ": running (key " << key << (forced ? ", forced" : "") << ")";
      try {
        stage_report.seconds = RunStage(stage, config, cache, key, inputs, input_keys);
        stage_report.outcome = StageOutcome::kRan;
        stage_report.folder = folders[node.stage] = cache.FinalPath(node.stage, key);
        if (link) cache.LinkLatest(node.stage, key);
      } catch (const std::exception& e) {
        stage_report.outcome = StageOutcome::kFailed;
        stage_report.error = e.what();
        // Independent stages still run; the exit code tells the user it
        // was their config, as the stage's own command would.
        stage_report.usage_error = dynamic_cast<const UsageError*>(&e) != nullptr;
        unavailable.insert(node.stage);
        JSQA_LOG(kError) << node.stage << ": failed: " << e.what();
      }
    }
    report.stages.push_back(stage_report);
  }
  if (link) WriteRunIndex(options.run_dir);
  if (!options.plan_only && report.Count(StageOutcome::kCached) == static_cast<int>(report.stages.size()))
    JSQA_LOG(kInfo) << "nothing to do: all " << report.stages.size()
                    << " stages are cached with unchanged settings";
  return report;
}

}  // namespace jsqa
