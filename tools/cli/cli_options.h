// Option handling shared by the subcommands.
#pragma once

#include <boost/program_options.hpp>
#include <string>
#include <vector>

#include "pipeline/base/config.h"
#include "pipeline/run/stage_registry.h"

namespace jsqa {

// Parses args against options (+ positional); prints usage and returns false
// for --help. Throws UsageError for unknown or malformed options.
bool ParseCommandLine(const std::string& usage, const std::vector<std::string>& args,
                      po::options_description& options,
                      const po::positional_options_description& positional,
                      po::variables_map& values);

// Adds --log-level and --help, and applies --log-level after parsing.
void AddCommonOptions(po::options_description& options);
void ApplyCommonOptions(const po::variables_map& values);

// A Config with every section of this build, loaded from path + overrides.
void LoadConfig(Config& config, const std::string& path, const std::vector<std::string>& overrides);

// The config keys with defaults and meanings, for --help.
std::string ConfigKeysHelp();

}  // namespace jsqa
