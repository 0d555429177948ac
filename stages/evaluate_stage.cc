#include "stages/evaluate_stage.h"

#include "model/evaluate.h"
#include "model/training_config.h"
#include "stages/stage_inputs.h"

namespace jsqa {

std::vector<std::string> EvaluateStage::KeySections(const Config&, const std::set<std::string>& inputs) const {
  if (!inputs.count("prepare")) return ConfigSections();
  return {"evaluate", "audio", "runtime"};
}

std::vector<std::string> EvaluateStage::InputFiles(const std::string& input, const Config&) const {
  if (input == "prepare") return {"nisqa.tsv"};
  if (input == "finetune") return {"model.pt"};
  return {};
}

void EvaluateStage::CheckInputs(const Config& config, const std::set<std::string>& inputs) const {
  RequireInputOrSetting(inputs, "finetune", config.Get<EvaluateConfig>("evaluate").model, "evaluate.model");
}

std::string EvaluateStage::Fingerprint(const Config& config) const {
  return FileFingerprint(config.Get<EvaluateConfig>("evaluate").model, "model.pt");
}

void EvaluateStage::Run(StageContext& context) const {
  const auto& settings = context.config.Get<EvaluateConfig>("evaluate");
  const auto nisqa = CorpusItems(CorpusKind::kNisqa, context.config, PrepareFolder(context));
  const auto clips = NisqaClips(nisqa, settings.Dbs(), "evaluate.dbs");
  const std::string model = InputOrSetting(context, "finetune", settings.model, "evaluate.model", true);
  context.summary.update(RunEvaluation(context.config, context.out_dir, clips, FileInFolder(model, "model.pt")));
}

}  // namespace jsqa
