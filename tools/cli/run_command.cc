#include <filesystem>
#include <iomanip>
#include <iostream>
#include <set>

#include "pipeline/base/error.h"
#include "pipeline/run/distributed_env.h"
#include "pipeline/run/graph_runner.h"
#include "pipeline/base/logging.h"
#include "pipeline/base/text_files.h"
#include "stages/builtin_stages.h"
#include "tools/cli/cli_options.h"
#include "tools/cli/command.h"
#ifdef JSQA_WITH_TORCH
#include "stages/stage_inputs.h"
#endif

namespace jsqa {
namespace fs = std::filesystem;

// What the user came for, from the finished folders: the final pretraining
// loss and the evaluation table.
void PrintResults(const RunReport& report) {
  for (const StageReport& stage : report.stages) {
    if (stage.folder.empty()) continue;
    const fs::path folder = stage.folder;
    if (stage.stage == "pretrain" && fs::exists(folder / "summary.json")) {
      const nlohmann::json summary = ReadJsonFile((folder / "summary.json").string());
      if (summary.contains("last_logged_loss"))
        std::cout << "pretrain: final loss " << std::setprecision(4) << summary["last_logged_loss"].get<double>()
                  << std::setprecision(6) << " ("
                  << (folder / "loss.png").string() << ")\n";
    }
    if (stage.stage == "evaluate" && fs::exists(folder / "results.md"))
      std::cout << "evaluate (" << folder.string() << "):\n" << ReadTextFile((folder / "results.md").string());
  }
}

int RunCommandMain(const std::vector<std::string>& args) {
  po::options_description options("run options");
  options.add_options()
      ("config", po::value<std::string>()->required(), "INI config file (positional)")
      ("run-dir", po::value<std::string>()->default_value(""),
       "folder for the stages' outputs and the cache (default: runs/<config name>)")
      ("set", po::value<std::vector<std::string>>()->composing(),
       "override a config key: --set section.key=value (repeatable)")
      ("force", po::value<std::vector<std::string>>()->composing(),
       "rerun this stage even if cached (repeatable; 'all' for every stage)")
      ("plan", po::bool_switch(), "print what would run and what is cached, run nothing");
  AddCommonOptions(options);
  po::positional_options_description positional;
  positional.add("config", 1);
  po::variables_map values;
  if (!ParseCommandLine("usage: jsqa-pipeline run CONFIG [--run-dir DIR] [--set k=v ...] [--force STAGE]",
                        args, options, positional, values)) {
    std::cout << ConfigKeysHelp();
    return 0;
  }

  const std::string config_path = values["config"].as<std::string>();
  const auto overrides = values.count("set") ? values["set"].as<std::vector<std::string>>()
                                             : std::vector<std::string>{};
  Config config;
  LoadConfig(config, config_path, overrides);
  // Several processes would each run (and commit) every stage: a graph runs
  // as one process; training on many runs through the stage subcommands.
  if (DistributedEnv::FromEnvironment().world > 1)
    throw UsageError("run is one process, not one per rank: start `jsqa-pipeline pretrain|finetune` under "
                     "srun or torchrun instead (tools/slurm/train.sbatch)");
  StageRegistry registry;
  RegisterBuiltinStages(registry);
  const StageGraph graph(config.GraphEntries(), registry);

  RunOptions run;
  run.run_dir = values["run-dir"].as<std::string>();
  if (run.run_dir.empty()) run.run_dir = (fs::path("runs") / fs::path(config_path).stem()).string();
  if (values.count("force"))
    for (const std::string& stage : values["force"].as<std::vector<std::string>>()) run.force.insert(stage);
  run.plan_only = values["plan"].as<bool>();
#ifdef JSQA_WITH_TORCH
  // A plan may be made where the job will not run (a login node); a run here.
  if (!run.plan_only) RequireGraphDevice(config, graph, registry);
#endif

  // The resolved config goes to RUN_DIR/config.ini (and each stage's); the
  // terminal gets a pointer, the full text only at --log-level debug.
  JSQA_LOG(kInfo) << "config " << config_path << " resolved"
                  << (run.plan_only ? "" : " into " + (fs::path(run.run_dir) / "config.ini").string());
  JSQA_LOG(kDebug) << "resolved config:\n" << config.ToIni();
  const RunReport report = RunGraph(config, graph, registry, run);

  std::cout << (run.plan_only ? "plan for " : "results in ") << fs::absolute(run.run_dir).string() << "\n";
  for (const StageReport& stage : report.stages) {
    std::cout << "  " << std::left << std::setw(12) << stage.stage << std::setw(10)
              << OutcomeName(stage.outcome) << " ";
    if (!stage.error.empty())
      std::cout << stage.error;
    else if (!stage.folder.empty())
      std::cout << stage.folder;
    else
      std::cout << "key " << stage.key;
    std::cout << "\n";
  }
  if (!run.plan_only) {
    std::cout << "  (every stage folder and how they differ: " << (fs::path(run.run_dir) / "stages.tsv").string() << ")\n";
    PrintResults(report);
  }
  return report.ExitCode();
}

}  // namespace jsqa
