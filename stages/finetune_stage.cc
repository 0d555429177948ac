#include "stages/finetune_stage.h"

#include "model/finetune.h"
#include "model/training_config.h"
#include "stages/stage_inputs.h"

namespace jsqa {

std::vector<std::string> FinetuneStage::KeySections(const Config&, const std::set<std::string>& inputs) const {
  if (!inputs.count("prepare")) return ConfigSections();
  return {"model", "finetune", "audio", "runtime"};
}

std::vector<std::string> FinetuneStage::InputFiles(const std::string& input, const Config&) const {
  if (input == "prepare") return {"nisqa.tsv"};
  if (input == "pretrain") return {"encoder.pt"};
  return {};
}

std::string FinetuneStage::Fingerprint(const Config& config) const {
  const auto& settings = config.Get<FinetuneConfig>("finetune");
  return settings.init == FinetuneConfig::Init::kScratch ? "" : FileFingerprint(settings.pretrained, "encoder.pt");
}

void FinetuneStage::Run(StageContext& context) const {
  const auto& settings = context.config.Get<FinetuneConfig>("finetune");
  const auto nisqa = CorpusItems(CorpusKind::kNisqa, context.config, PrepareFolder(context));
  const auto train = NisqaClips(nisqa, settings.TrainDbs(), "finetune.train_dbs");
  const auto validation = NisqaClips(nisqa, settings.ValDbs(), "finetune.val_dbs");
  const std::string pretrained = settings.init == FinetuneConfig::Init::kScratch
                                     ? ""
                                     : InputOrSetting(context, "pretrain", settings.pretrained, "finetune.pretrained", false);
  context.summary.update(RunFinetuning(context.config, context.out_dir, train, validation,
                                       pretrained.empty() ? "" : FileInFolder(pretrained, "encoder.pt")));
}

}  // namespace jsqa
