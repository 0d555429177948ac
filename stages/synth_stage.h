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
  std::vector<std::string> ConfigSections() const override { return {"jnd", "synth", "audio"}; }
  std::vector<std::string> RequiredInputs() const override { return {"prepare"}; }
  std::string Fingerprint(const Config& config) const override;
  void Run(StageContext& context) const override;
};

}  // namespace jsqa
