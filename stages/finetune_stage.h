// The finetune stage: encoder + MOS head on NISQA's training sets, from a
// pretrained encoder (the pretrain input or finetune.pretrained) or from
// scratch. Outputs: model.pt, checkpoints/, metrics.csv, curves.png and .svg.
#pragma once

#include "pipeline/run/stage.h"

namespace jsqa {

class FinetuneStage : public Stage {
 public:
  std::string Name() const override { return "finetune"; }
  std::string Description() const override {
    return "fine-tune encoder + MOS head on NISQA (pretrained encoder or scratch)";
  }
  std::vector<std::string> ConfigSections() const override {
    return {"model", "finetune", "audio", "runtime", "corpus", "prepare"};
  }
  // [corpus] and [prepare] only without a prepare input; with one, its
  // nisqa.tsv (and the pretrain input's encoder.pt).
  std::vector<std::string> KeySections(const Config& config, const std::set<std::string>& inputs) const override;
  std::vector<std::string> InputFiles(const std::string& input, const Config& config) const override;
  std::string Fingerprint(const Config& config) const override;
  void Run(StageContext& context) const override;
};

}  // namespace jsqa
