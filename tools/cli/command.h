// Subcommands of the jsqa-pipeline executable.
#pragma once

#include <string>
#include <vector>

namespace jsqa {

struct Command {
  std::string name;
  std::string summary;  // one line for the top-level --help
  // args excludes the program and command names. Returns the exit code.
  int (*main)(const std::vector<std::string>& args);
};

int RunCommandMain(const std::vector<std::string>& args);
int InspectCommandMain(const std::vector<std::string>& args);
int DemoCorpusCommandMain(const std::vector<std::string>& args);
int JndSvmCommandMain(const std::vector<std::string>& args);
int SynthCommandMain(const std::vector<std::string>& args);
int SweepCommandMain(const std::vector<std::string>& args);
int ListenCommandMain(const std::vector<std::string>& args);
#ifdef JSQA_WITH_TORCH
int PretrainCommandMain(const std::vector<std::string>& args);
int FinetuneCommandMain(const std::vector<std::string>& args);
int EvaluateCommandMain(const std::vector<std::string>& args);
int PredictCommandMain(const std::vector<std::string>& args);
#endif

// Dispatches argv to a subcommand; maps errors to exit codes: 0 success,
// 2 usage or config error, 1 runtime failure, each error one line on stderr.
int CliMain(int argc, char** argv);

}  // namespace jsqa
