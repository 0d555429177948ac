#include "tools/cli/cli_options.h"

#include <iostream>
#include <sstream>

#include "pipeline/base/error.h"
#include "pipeline/base/logging.h"
#include "stages/builtin_stages.h"

namespace jsqa {

void AddCommonOptions(po::options_description& options) {
  options.add_options()("help,h", "print this help and exit")(
      "log-level", po::value<std::string>()->default_value("info"),
      "stderr verbosity: debug, info, warn or error (stage logs keep everything)");
}

void ApplyCommonOptions(const po::variables_map& values) {
  SetLogLevel(ParseLogLevel(values["log-level"].as<std::string>()));
}

bool ParseCommandLine(const std::string& usage, const std::vector<std::string>& args,
                      po::options_description& options,
                      const po::positional_options_description& positional,
                      po::variables_map& values) {
  try {
    po::store(po::command_line_parser(args).options(options).positional(positional).run(), values);
    if (values.count("help")) {
      std::cout << usage << "\n\n" << options << "\n";
      return false;
    }
    po::notify(values);
  } catch (const po::error& e) {
    throw UsageError(std::string(e.what()) + " (see --help)");
  }
  ApplyCommonOptions(values);
  return true;
}

void LoadConfig(Config& config, const std::string& path, const std::vector<std::string>& overrides) {
  AddConfigSections(config);
  config.Load(path, overrides);
}

std::string ConfigKeysHelp() {
  Config config;
  AddConfigSections(config);
  std::ostringstream out;
  out << "Config keys, with their defaults (INI: [section] then key = value; on the command line:\n"
         "--set section.key=value):\n";
  out << config.KeysHelp();
  out << "[graph]\n  <stage> = <inputs>\n      one line per stage to run, e.g. 'prepare =' and 'synth = prepare'\n";
  return out.str();
}

}  // namespace jsqa
