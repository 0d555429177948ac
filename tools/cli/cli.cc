#include <cstring>
#include <iostream>

#include "pipeline/base/error.h"
#include "tools/cli/command.h"

namespace jsqa {
namespace {

const std::vector<Command>& Commands() {
  static const std::vector<Command> commands = {
      {"run", "run the stage graph of a config, reusing cached stages", RunCommandMain},
      {"sweep", "run the stage graph at every point of a grid of settings, sharing unchanged stages; tables and plots",
       SweepCommandMain},
      {"synth", "synthesise JND pairs into HDF5 shards (one job of a cluster array, or all)", SynthCommandMain},
#ifdef JSQA_WITH_TORCH
      {"pretrain", "pretrain the encoder contrastively on JND pairs (shards or on the fly; one rank or many)",
       PretrainCommandMain},
      {"finetune", "fine-tune encoder + MOS head on NISQA (pretrained or from scratch)", FinetuneCommandMain},
      {"evaluate", "score a fine-tuned model on NISQA test sets: RMSE, MAE, PCC, SRCC, plots", EvaluateCommandMain},
      {"predict", "MOS of audio files or folders with a fine-tuned model, as CSV", PredictCommandMain},
#endif
      {"inspect", "describe any file or folder the tool reads or writes: audio, configs, shards, manifests, models, run and sweep folders", InspectCommandMain},
      {"demo-corpus", "build the demo corpus from Debian's speech recordings", DemoCorpusCommandMain},
      {"jnd-svm", "train the JND SVM on listening-test judgments, or make judgments from the published-threshold prior",
       JndSvmCommandMain},
      {"listen", "serve a JND listening test in the browser; export its judgments for jnd-svm train; report them",
       ListenCommandMain},
  };
  return commands;
}

void PrintUsage(std::ostream& out) {
  out << "jsqa-pipeline: JND-pair synthesis and speech quality assessment\n\n"
         "usage: jsqa-pipeline <command> [options]   (jsqa-pipeline <command> --help for more)\n\n"
         "commands:\n";
  for (const Command& command : Commands()) {
    out << "  " << command.name << std::string(14 - command.name.size(), ' ') << command.summary << "\n";
  }
  out << "\nexit codes: 0 success, 1 runtime failure, 2 usage or config error\n";
}

}  // namespace

int CliMain(int argc, char** argv) {
  if (argc < 2) {
    PrintUsage(std::cerr);
    return 2;
  }
  const std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    PrintUsage(std::cout);
    return 0;
  }
  for (const Command& command : Commands()) {
    if (command.name != name) continue;
    try {
      return command.main(std::vector<std::string>(argv + 2, argv + argc));
    } catch (const UsageError& e) {
      std::cerr << "jsqa-pipeline " << name << ": error: " << e.what() << "\n";
      return 2;
    } catch (const std::exception& e) {
      std::cerr << "jsqa-pipeline " << name << ": error: " << e.what() << "\n";
      return 1;
    }
  }
  std::cerr << "jsqa-pipeline: unknown command '" << name << "' (see jsqa-pipeline --help)\n";
  return 2;
}

}  // namespace jsqa
