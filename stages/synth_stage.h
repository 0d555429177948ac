// The synth stage: JND pairs from the prepare stage's speech and noise
// manifests into HDF5 shards (pipeline/synthesis/shard_set.h: shards, sidecars,
// manifest.json).
#pragma once

#include "pipeline/run/stage.h"

namespace jsqa {

class SynthStage : public Stage {
 public:
  std::string Name() const override { return "synth"; }
  std::string Description() const override {
    return "synthesise SVM-checked JND pairs from speech and noise into HDF5 shards";
  }
  std::vector<std::string> ConfigSections() const override { return {"jnd", "degrade", "synth", "audio"}; }
  std::vector<std::string> RequiredInputs() const override { return {"prepare"}; }
  // Only the speech and noise manifests of prepare: a NISQA change leaves synth as it was.
  std::vector<std::string> InputFiles(const std::string& input, const Config& config) const override;
  std::string Fingerprint(const Config& config) const override;
  // The SVM models exist and cover the [jnd] ranges (CheckJndSvms).
  void CheckInputs(const Config& config, const std::set<std::string>& inputs) const override;
  void Run(StageContext& context) const override;
};

}  // namespace jsqa
