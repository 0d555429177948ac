#include <iostream>

#include "tools/demo_corpus/demo_corpus.h"
#include "tools/cli/cli_options.h"
#include "tools/cli/command.h"

namespace jsqa {

int DemoCorpusCommandMain(const std::vector<std::string>& args) {
  DemoCorpusArgs corpus;
  po::options_description options("demo-corpus options");
  options.add_options()
      ("out", po::value<std::string>()->required(), "folder to build the corpus in (positional)")
      ("seed", po::value<uint64_t>(&corpus.seed)->default_value(corpus.seed),
       "seed of the noise and degradation choices (same seed, same bytes)")
      ("pocketsphinx-dir", po::value<std::string>(&corpus.pocketsphinx_dir)->default_value(corpus.pocketsphinx_dir),
       "pocketsphinx-testdata's data folder (Debian package)")
      ("alsa-dir", po::value<std::string>(&corpus.alsa_dir)->default_value(corpus.alsa_dir),
       "alsa-utils' sound folder (Debian package)");
  AddCommonOptions(options);
  po::positional_options_description positional;
  positional.add("out", 1);
  po::variables_map values;
  if (!ParseCommandLine("usage: jsqa-pipeline demo-corpus OUT [--seed N]", args, options, positional, values))
    return 0;
  const std::string out = values["out"].as<std::string>();
  const DemoCorpusSummary summary = BuildDemoCorpus(out, corpus);
  std::cout << "demo corpus in " << out << ": " << summary.speech_files << " speech files ("
            << summary.speech_seconds << " s), " << summary.noise_files << " noise files, "
            << summary.nisqa_files << " NISQA files\n";
  return 0;
}

}  // namespace jsqa
