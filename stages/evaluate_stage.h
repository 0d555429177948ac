// The evaluate stage: a fine-tuned model on NISQA's test sets. Outputs:
// results.md, results.csv, predictions.csv, scatter-<db>.png and .svg.
#pragma once

#include "pipeline/run/stage.h"

namespace jsqa {

class EvaluateStage : public Stage {
 public:
  std::string Name() const override { return "evaluate"; }
  std::string Description() const override {
    return "RMSE, MAE, PCC, SRCC and mapped RMSE per NISQA test set, with scatter plots";
  }
  std::vector<std::string> ConfigSections() const override {
    return {"evaluate", "audio", "runtime", "corpus", "prepare"};
  }
  // [corpus] and [prepare] only without a prepare input; with one, its
  // nisqa.tsv (and the finetune input's model.pt).
  std::vector<std::string> KeySections(const Config& config, const std::set<std::string>& inputs) const override;
  std::vector<std::string> InputFiles(const std::string& input, const Config& config) const override;
  void CheckInputs(const Config& config, const std::set<std::string>& inputs) const override;
  std::string Fingerprint(const Config& config) const override;
  void Run(StageContext& context) const override;
};

}  // namespace jsqa
