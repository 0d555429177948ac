// The training stages as subcommands: `jsqa-pipeline <stage> CONFIG [--set
// k=v ...] [--out DIR]`, each stage's inputs named by its config keys
// (pretrain.shards, finetune.pretrained, evaluate.model) instead of the graph.
// Under torchrun or srun every rank runs the same command; rank 0 alone
// writes config.ini and summary.json (written last: a folder without it is
// unfinished, and rerunning the command resumes from its checkpoints).
#include <chrono>
#include <filesystem>
#include <iostream>

#include "pipeline/run/distributed_env.h"
#include "pipeline/base/logging.h"
#include "pipeline/base/text_files.h"
#include "stages/builtin_stages.h"
#include "tools/cli/cli_options.h"
#include "tools/cli/command.h"

namespace jsqa {
namespace fs = std::filesystem;
namespace {

int StageCommandMain(const std::string& name, const std::vector<std::string>& args) {
  po::options_description options(name + " options");
  options.add_options()
      ("config", po::value<std::string>()->required(), "INI config file (positional)")
      ("set", po::value<std::vector<std::string>>()->composing(),
       "override a config key: --set section.key=value (repeatable)")
      ("out", po::value<std::string>()->default_value(name), "output folder (resumed when it holds checkpoints)")
      ("device", po::value<std::string>(), "cpu, cuda or cuda:N: short for --set runtime.device=...");
  AddCommonOptions(options);
  po::positional_options_description positional;
  positional.add("config", 1);
  po::variables_map values;
  if (!ParseCommandLine("usage: jsqa-pipeline " + name + " CONFIG [--set k=v ...] [--out DIR] [--device cpu|cuda[:N]]", args, options,
                        positional, values)) {
    std::cout << ConfigKeysHelp();
    return 0;
  }
  std::vector<std::string> overrides =
      values.count("set") ? values["set"].as<std::vector<std::string>>() : std::vector<std::string>{};
  if (values.count("device")) overrides.push_back("runtime.device=" + values["device"].as<std::string>());
  Config config;
  LoadConfig(config, values["config"].as<std::string>(), overrides);
  StageRegistry registry;
  RegisterBuiltinStages(registry);
  const Stage& stage = registry.Get(name);
  const std::string out = values["out"].as<std::string>();
  const bool main_rank = DistributedEnv::FromEnvironment().rank == 0;
  fs::create_directories(out);
  if (main_rank) {
    fs::remove(fs::path(out) / "summary.json");
    WriteFileAtomically((fs::path(out) / "config.ini").string(), config.SectionsText(stage.ConfigSections()));
  }
  const auto start = std::chrono::steady_clock::now();
  StageContext context{config, out, {}};
  stage.Run(context);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (main_rank) {
    nlohmann::json summary = {{"stage", name}, {"seconds", seconds}};
    summary.update(context.summary);
    WriteFileAtomically((fs::path(out) / "summary.json").string(), summary.dump(2) + "\n");
    std::cout << name << ": done in " << FormatDouble(std::round(seconds * 10) / 10) << " s, results in "
              << fs::absolute(out).string() << "\n";
    if (context.summary.contains("table")) std::cout << context.summary["table"].get<std::string>();
  }
  return 0;
}

}  // namespace

int PretrainCommandMain(const std::vector<std::string>& args) { return StageCommandMain("pretrain", args); }
int FinetuneCommandMain(const std::vector<std::string>& args) { return StageCommandMain("finetune", args); }
int EvaluateCommandMain(const std::vector<std::string>& args) { return StageCommandMain("evaluate", args); }

}  // namespace jsqa
