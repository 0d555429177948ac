// `jsqa-pipeline sweep CONFIG --grid KEY=V1,V2 ... [--run-dir DIR]`: the
// config's stage graph at every point of the grid (stages_runner.h), then
// sweep.csv, sweep.md and plots. On a cluster, `--slurm` writes two sbatch
// scripts (the stages several points share, then one array task per point
// after it) and `--submit` submits them; `--collect` assembles the results.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "pipeline/base/error.h"
#include "pipeline/base/text_files.h"
#include "stages/sweep_runner.h"
#include "tools/cli/cli_options.h"
#include "tools/cli/command.h"

namespace jsqa {
namespace fs = std::filesystem;
namespace {

// Single-quoted for a POSIX shell.
std::string ShellQuote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::string ThisExecutable() {
  std::error_code error;
  const fs::path self = fs::read_symlink("/proc/self/exe", error);
  return error ? "jsqa-pipeline" : self.string();
}

// Runs a command, returns its standard output; throws naming it on failure.
std::string Capture(const std::string& command) {
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) throw Error("cannot run: " + command);
  std::string output;
  char buffer[4096];
  size_t read = 0;
  while ((read = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0) output.append(buffer, read);
  const int status = ::pclose(pipe);
  if (status != 0) throw Error("failed (status " + std::to_string(status) + "): " + command + ": " + output);
  while (!output.empty() && (output.back() == '\n' || output.back() == ' ')) output.pop_back();
  return output;
}

// The scripts' #SBATCH lines: the user's --sbatch-args ("--partition=gpu
// --mem 32G" → one line per option with its value), then our defaults for
// what they leave out, and one GPU per task when the config trains on CUDA.
std::string SbatchDirectives(const std::string& sbatch_args, bool gpu) {
  std::vector<std::string> directives;
  std::istringstream words(sbatch_args);
  for (std::string word; words >> word;) {
    if (word.rfind('-', 0) == 0 || directives.empty())
      directives.push_back(word);
    else
      directives.back() += " " + word;
  }
  const auto given = [&](const std::string& long_name, const std::string& short_name) {
    for (const std::string& directive : directives)
      for (const std::string& name : {long_name, short_name})
        if (!name.empty() && directive.rfind(name, 0) == 0 &&
            (directive.size() == name.size() || directive[name.size()] == '=' || directive[name.size()] == ' '))
          return true;
    return false;
  };
  if (!given("--cpus-per-task", "-c")) directives.push_back("--cpus-per-task=8");
  if (!given("--mem", "")) directives.push_back("--mem=16G");
  if (!given("--time", "-t")) directives.push_back("--time=24:00:00");
  if (gpu && !given("--gres", "") && !given("--gpus", "-G") && !given("--gpus-per-task", ""))
    directives.push_back("--gres=gpu:1");
  std::string text;
  for (const std::string& directive : directives) text += "#SBATCH " + directive + "\n";
  return text;
}

// Whether the sweep's base config trains on CUDA (runtime.device).
bool TrainsOnCuda(const SweepOptions& options) {
  const auto config = SweepBaseConfig(options);
  return config->HasKey("runtime.device") && config->Section("runtime").Text("device").rfind("cuda", 0) == 0;
}

// The two sbatch scripts of a cluster sweep; returns their paths.
std::pair<std::string, std::string> WriteSlurmScripts(const SweepOptions& options, const std::string& sweep_command,
                                                      size_t points, const std::string& sbatch_args) {
  const std::string header = "#!/bin/bash\n"
                             "# Written by `jsqa-pipeline sweep --slurm`. Submit the shared stages first, then\n"
                             "# the array after them (what --submit does):\n"
                             "#   shared=$(sbatch --parsable sweep-shared.sbatch)\n"
                             "#   sbatch --dependency=afterok:$shared --array=0-" + std::to_string(points - 1) +
                             " sweep-points.sbatch\n"
                             "# then collect: " + sweep_command + " --collect\n" +
                             SbatchDirectives(sbatch_args, TrainsOnCuda(options));
  const std::string cd = "set -euo pipefail\ncd " + ShellQuote(fs::current_path().string()) + "\n";
  const std::string shared = (fs::path(options.sweep_dir) / "sweep-shared.sbatch").string();
  const std::string array = (fs::path(options.sweep_dir) / "sweep-points.sbatch").string();
  fs::create_directories(options.sweep_dir);
  WriteFileAtomically(shared, header + "#SBATCH --job-name=jsqa-sweep-shared\n#SBATCH --output=" +
                                  (fs::absolute(options.sweep_dir) / "sweep-shared-%j.out").string() + "\n" + cd +
                                  "exec " + sweep_command + " --shared-only\n");
  WriteFileAtomically(array, header + "#SBATCH --job-name=jsqa-sweep\n#SBATCH --output=" +
                                 (fs::absolute(options.sweep_dir) / "sweep-point-%a.out").string() + "\n" + cd +
                                 "exec " + sweep_command + " --point \"$SLURM_ARRAY_TASK_ID\"\n");
  fs::permissions(shared, fs::perms::owner_exec, fs::perm_options::add);
  fs::permissions(array, fs::perms::owner_exec, fs::perm_options::add);
  return {shared, array};
}

}  // namespace

int SweepCommandMain(const std::vector<std::string>& args) {
  po::options_description description("sweep options");
  description.add_options()
      ("config", po::value<std::string>()->required(), "INI config file (positional)")
      ("grid", po::value<std::vector<std::string>>()->composing(),
       "an axis: KEY=V1,V2,... or KEY1:KEY2=A1:B1,A2:B2 for keys that change together (repeatable; adds to or "
       "replaces the config's [sweep])")
      ("set", po::value<std::vector<std::string>>()->composing(), "override a config key for every point")
      ("seeds", po::value<int>()->default_value(0),
       "run every point with seeds 1..N (synth, pretrain and finetune seeds together); sweep.md then gives each "
       "setting's mean ± 95 % confidence interval")
      ("run-dir", po::value<std::string>()->default_value(""), "folder of the sweep (default: runs/<config name>-sweep)")
      ("plan", po::bool_switch(), "print what each point would run or reuse, run nothing")
      ("point", po::value<int>(), "run only this point (what each cluster array task does)")
      ("shared-only", po::bool_switch(), "run only the stages several points share (the cluster sweep's first job)")
      ("collect", po::bool_switch(), "only assemble sweep.csv, sweep.md and the plots from the points' results")
      ("slurm", po::bool_switch(), "write the sbatch scripts of a cluster sweep into the run folder")
      ("submit", po::bool_switch(), "with --slurm: submit them (sbatch must be on PATH)")
      ("sbatch-args", po::value<std::string>()->default_value(""),
       "options for both scripts' #SBATCH lines (and, with --submit, the sbatch calls), e.g. "
       "\"--partition=gpu --mem=32G\"; defaults fill in what they leave out");
  AddCommonOptions(description);
  po::positional_options_description positional;
  positional.add("config", 1);
  po::variables_map values;
  if (!ParseCommandLine("usage: jsqa-pipeline sweep CONFIG --grid KEY=V1,V2 [--grid ...] [--run-dir DIR] [--plan] "
                        "[--slurm [--submit]] [--collect]",
                        args, description, positional, values))
    return 0;
  const auto list = [&](const char* name) {
    return values.count(name) ? values[name].as<std::vector<std::string>>() : std::vector<std::string>{};
  };
  SweepOptions options;
  options.config_path = values["config"].as<std::string>();
  options.overrides = list("set");
  const int seeds = values["seeds"].as<int>();
  if (seeds < 0 || seeds == 1) throw UsageError("--seeds " + std::to_string(seeds) + ": allowed: 0 (none) or 2 and more");
  options.axes = SweepAxes(options.config_path, options.overrides, list("grid"), seeds);
  options.run_dir = values["run-dir"].as<std::string>();
  if (options.run_dir.empty())
    options.run_dir = (fs::path("runs") / (fs::path(options.config_path).stem().string() + "-sweep")).string();
  options.sweep_dir = SweepFolder(options);
  const SweepPlan plan = PlanSweep(options);

  if (values["plan"].as<bool>()) {
    std::cout << FormatSweepPlan(options, plan);
    return 0;
  }
  if (values["slurm"].as<bool>()) {
    std::string command = ShellQuote(ThisExecutable()) + " sweep " + ShellQuote(fs::absolute(options.config_path).string()) +
                          " --run-dir " + ShellQuote(fs::absolute(options.run_dir).string());
    for (const SweepAxis& axis : options.axes) {
      std::string settings;
      for (size_t s = 0; s < axis.values.size(); ++s) settings += (s ? "," : "") + axis.ValueLabel(s);
      command += " --grid " + ShellQuote(axis.Label() + "=" + settings);
    }
    for (const std::string& entry : options.overrides) command += " --set " + ShellQuote(entry);
    const auto [shared, array] =
        WriteSlurmScripts(options, command, plan.points.size(), values["sbatch-args"].as<std::string>());
    std::cout << "sweep: " << plan.points.size() << " points; scripts " << shared << " and " << array << "\n";
    if (values["submit"].as<bool>()) {
      const std::string sbatch = "sbatch --parsable " + values["sbatch-args"].as<std::string>() + " ";
      const std::string shared_job = Capture(sbatch + ShellQuote(shared));
      const std::string array_job = Capture(sbatch + "--dependency=afterok:" + shared_job + " --array=0-" +
                                            std::to_string(plan.points.size() - 1) + " " + ShellQuote(array));
      std::cout << "sweep: submitted job " << shared_job << " (shared stages) and array job " << array_job
                << "; when they are done: " << command << " --collect\n";
    }
    return 0;
  }
  int failed = 0;
  if (!values["collect"].as<bool>()) {
    std::optional<int> only;
    if (values.count("point")) {
      only = values["point"].as<int>();
      if (*only < 0 || *only >= static_cast<int>(plan.points.size()))
        throw UsageError("--point " + std::to_string(*only) + ": allowed: 0.." + std::to_string(plan.points.size() - 1));
    }
    failed = RunSweepPoints(options, plan, only, values["shared-only"].as<bool>());
    if (only || values["shared-only"].as<bool>()) return failed ? 1 : 0;
  }
  std::cout << CollectSweep(options, plan);
  std::cout << "sweep: " << plan.points.size() << " points, " << failed << " failed; sweep.csv, sweep.md and plots in "
            << fs::absolute(options.sweep_dir).string() << "\n";
  return failed ? 1 : 0;
}

}  // namespace jsqa
