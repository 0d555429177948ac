// A stage of the run graph: one named step that reads its inputs' folders
// and config sections and writes its own folder.
//
// Stages are pure with respect to what they read: the output is determined by
// the settings they read and the content they consume from their inputs'
// folders, which is what lets the artifact cache reuse a finished folder
// (see artifact_cache.h). The cache key covers exactly that, so a change
// upstream that leaves a stage's inputs' content as it was reuses the stage.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <set>
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
  // Config sections the stage may read (its config.ini, --help, inspect).
  virtual std::vector<std::string> ConfigSections() const = 0;
  // The sections whose keys this run of the stage reads, given the graph
  // inputs it has: they form its cache key (less execution keys). Default:
  // all of ConfigSections(). Naming too few would reuse stale results.
  virtual std::vector<std::string> KeySections(const Config& /*config*/,
                                               const std::set<std::string>& /*inputs*/) const {
    return ConfigSections();
  }
  // The files of input's folder this stage reads. Their content (SHA-256),
  // rather than the input's whole key, goes into this stage's key: an
  // upstream rerun that leaves them as they were reuses this stage. Empty:
  // the input's key (the stage reads the whole folder).
  virtual std::vector<std::string> InputFiles(const std::string& /*input*/, const Config& /*config*/) const {
    return {};
  }
  // Content the settings only name, such as a model file's checksum; part
  // of the cache key so that changing the file reruns the stage.
  virtual std::string Fingerprint(const Config& /*config*/) const { return ""; }
  // Throws UsageError when the stage could not find what it reads: neither
  // a graph input nor the setting that names it (evaluate without finetune
  // and without evaluate.model). Checked for every stage before any runs.
  virtual void CheckInputs(const Config& /*config*/, const std::set<std::string>& /*inputs*/) const {}
  // Stage names that must be among this stage's inputs.
  virtual std::vector<std::string> RequiredInputs() const { return {}; }
  // Bump when the stage's output format or algorithm changes: invalidates
  // cached folders made by older builds.
  virtual int Version() const { return 1; }
  // Does the work. Throws on failure; the temporary folder is then discarded.
  virtual void Run(StageContext& context) const = 0;
};

}  // namespace jsqa
