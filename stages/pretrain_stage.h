// The pretrain stage: contrastive pretraining of the encoder on JND pairs,
// read from the synth stage's shards or synthesised on the fly
// (pretrain.source). Outputs: encoder.pt, checkpoints/, metrics.csv, loss.png and .svg.
#pragma once

#include "pipeline/run/stage.h"

namespace jsqa {

class PretrainStage : public Stage {
 public:
  std::string Name() const override { return "pretrain"; }
  std::string Description() const override {
    return "pretrain the encoder contrastively (NT-Xent) on JND pairs from shards or synthesised on the fly";
  }
  // [jnd], [synth] and [audio] make the pairs on the fly; [corpus] and
  // [prepare] find the corpus when no prepare input is in the graph.
  std::vector<std::string> ConfigSections() const override {
    return {"model", "pretrain", "runtime", "jnd", "degrade", "synth", "audio", "corpus", "prepare"};
  }
  // From shards: [model], [pretrain], [runtime] and the shard manifest (its
  // checksums), not how the shards were made.
  std::vector<std::string> KeySections(const Config& config, const std::set<std::string>& inputs) const override;
  std::vector<std::string> InputFiles(const std::string& input, const Config& config) const override;
  void CheckInputs(const Config& config, const std::set<std::string>& inputs) const override;
  std::string Fingerprint(const Config& config) const override;
  void Run(StageContext& context) const override;
};

}  // namespace jsqa
