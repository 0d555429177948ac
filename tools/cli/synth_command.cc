#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "pipeline/base/error.h"
#include "pipeline/synthesis/synthesis.h"
#include "stages/prepare_stage.h"
#include "tools/cli/cli_options.h"
#include "tools/cli/command.h"

namespace jsqa {
namespace fs = std::filesystem;
namespace {

// A default from the environment (SLURM array variables), else fallback.
int EnvironmentInt(const char* name, int fallback) {
  const char* value = std::getenv(name);
  if (!value || !*value) return fallback;
  try {
    return std::stoi(value);
  } catch (const std::exception&) {
    throw UsageError(std::string(name) + " = '" + value + "': not an integer");
  }
}

}  // namespace

int SynthCommandMain(const std::vector<std::string>& args) {
  po::options_description options("synth options");
  options.add_options()
      ("config", po::value<std::string>()->required(), "INI config file (positional)")
      ("set", po::value<std::vector<std::string>>()->composing(),
       "override a config key: --set section.key=value (repeatable)")
      ("out", po::value<std::string>()->default_value("pairs"), "folder for the shards and manifest.json")
      ("manifests", po::value<std::string>()->default_value(""),
       "a prepare stage folder (speech.tsv, noise.tsv); default: index the [corpus] sources now")
      ("shard-index", po::value<int>(), "this job's index K (default: $SLURM_ARRAY_TASK_ID, else 0)")
      ("num-shards", po::value<int>(), "number of jobs N sharing the work (default: $SLURM_ARRAY_TASK_COUNT, else 1)");
  AddCommonOptions(options);
  po::positional_options_description positional;
  positional.add("config", 1);
  po::variables_map values;
  if (!ParseCommandLine("usage: jsqa-pipeline synth CONFIG [--set k=v ...] [--out DIR] [--shard-index K --num-shards N]",
                        args, options, positional, values)) {
    std::cout << ConfigKeysHelp();
    return 0;
  }
  Config config;
  LoadConfig(config, values["config"].as<std::string>(),
             values.count("set") ? values["set"].as<std::vector<std::string>>() : std::vector<std::string>{});
  SynthJob job;
  // SLURM numbers array tasks from --array's first value, e.g. 1-4.
  job.index = values.count("shard-index")
                  ? values["shard-index"].as<int>()
                  : EnvironmentInt("SLURM_ARRAY_TASK_ID", 0) - EnvironmentInt("SLURM_ARRAY_TASK_MIN", 0);
  job.count = values.count("num-shards") ? values["num-shards"].as<int>() : EnvironmentInt("SLURM_ARRAY_TASK_COUNT", 1);
  if (job.count < 1 || job.index < 0 || job.index >= job.count)
    throw UsageError("--shard-index " + std::to_string(job.index) + " --num-shards " + std::to_string(job.count) +
                     ": need 0 <= index < num-shards");

  const std::string manifests = values["manifests"].as<std::string>();
  // Indexing [corpus] here, each job passes over the same files: they go
  // into the output folder (skipped.tsv, manifest.json's "sources"), as
  // prepare's folder holds them under `run`. From a prepare folder, that
  // folder has them already.
  SynthInputs inputs;
  inputs.indexed_by = manifests.empty() ? "synth" : "prepare";
  const auto speech = CorpusItems(CorpusKind::kSpeech, config, manifests, &inputs.skipped);
  const auto noise = CorpusItems(CorpusKind::kNoise, config, manifests, &inputs.skipped);
  const std::string out = values["out"].as<std::string>();
  const nlohmann::json summary = RunSynthesis(config, speech, noise, out, job, inputs);
  std::cout << "synth: job " << job.index << " of " << job.count << ": " << summary["made"]["pairs"] << " pairs made; "
            << (summary["complete"].get<bool>() ? "all shards complete, manifest at " + (fs::path(out) / "manifest.json").string()
                                                : std::string("waiting for other jobs' shards"))
            << "\n";
  return 0;
}

}  // namespace jsqa
