#include "stages/finetune_stage.h"

#include "model/finetune.h"
#include "model/training_config.h"
#include "stages/stage_inputs.h"

namespace jsqa {

std::string FinetuneStage::Fingerprint(const Config& config) const {
  const auto& settings = config.Get<FinetuneConfig>("finetune");
  return settings.init == "scratch" ? "" : FileFingerprint(settings.pretrained, "encoder.pt");
}

void FinetuneStage::Run(StageContext& context) const {
  const auto& settings = context.config.Get<FinetuneConfig>("finetune");
  const auto nisqa = CorpusItems(CorpusKind::kNisqa, context.config, PrepareFolder(context));
  const auto train = NisqaClips(nisqa, settings.TrainDbs(), "finetune.train_dbs");
  const auto validation = NisqaClips(nisqa, settings.ValDbs(), "finetune.val_dbs");
  const std::string pretrained = settings.init == "scratch"
                                     ? ""
                                     : InputOrSetting(context, "pretrain", settings.pretrained, "finetune.pretrained", false);
  context.summary.update(RunFinetuning(context.config, context.out_dir, train, validation,
                                       pretrained.empty() ? "" : FileInFolder(pretrained, "encoder.pt")));
}

}  // namespace jsqa
