// A stage of the run graph: one named step that reads its inputs' folders
// and config sections and writes its own folder.
//
// Stages are pure with respect to their settings: the output is determined by
// the config sections they declare and their inputs' outputs, which is what
// lets the artifact cache reuse a finished folder (see artifact_cache.h).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "pipeline/base/config.h"

namespace jsqa {

struct StageContext {
  const Config& config;
  // Temporary folder the stage writes into; renamed into place when Run
  // returns (a stage never sees its final path).
  std::string out_dir;
  // Input stage name → its finished folder.
  std::map<std::string, std::string> inputs;
  // Counts, timings and metrics for summary.json (the runner adds its own).
  nlohmann::json summary = nlohmann::json::object();

  const std::string& Input(const std::string& stage) const;
};

class Stage {
 public:
  virtual ~Stage() = default;
  // The name used in configs' [graph] and as the folder prefix.
  virtual std::string Name() const = 0;
  // One line for --help and inspect.
  virtual std::string Description() const = 0;
  // Config sections whose every key may change this stage's output; they form
  // its cache key. Declaring too few sections would reuse stale results.
  virtual std::vector<std::string> ConfigSections() const = 0;
  // Content the settings only name, such as a model file's checksum; part
  // of the cache key so that changing the file reruns the stage.
  virtual std::string Fingerprint(const Config& /*config*/) const { return ""; }
  // Stage names that must be among this stage's inputs.
  virtual std::vector<std::string> RequiredInputs() const { return {}; }
  // Bump when the stage's output format or algorithm changes: invalidates
  // cached folders made by older builds.
  virtual int Version() const { return 1; }
  // Does the work. Throws on failure; the temporary folder is then discarded.
  virtual void Run(StageContext& context) const = 0;
};

}  // namespace jsqa
