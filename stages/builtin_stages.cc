#include "stages/builtin_stages.h"

#include "pipeline/synthesis/audio_config.h"
#include "pipeline/synthesis/degradation_ranges.h"
#include "pipeline/corpus/corpus_config.h"
#include "pipeline/synthesis/jnd_config.h"
#include "pipeline/synthesis/synth_config.h"
#include "stages/prepare_stage.h"
#include "stages/synth_stage.h"
#ifdef JSQA_WITH_TORCH
#include "model/training_config.h"
#include "stages/evaluate_stage.h"
#include "stages/finetune_stage.h"
#include "stages/pretrain_stage.h"
#endif

namespace jsqa {

void RegisterBuiltinStages(StageRegistry& registry) {
  registry.Register(std::make_unique<PrepareStage>());
  registry.Register(std::make_unique<SynthStage>());
#ifdef JSQA_WITH_TORCH
  registry.Register(std::make_unique<PretrainStage>());
  registry.Register(std::make_unique<FinetuneStage>());
  registry.Register(std::make_unique<EvaluateStage>());
#endif
}

void AddConfigSections(Config& config) {
  config.AddSection<CorpusConfig>("corpus");
  config.AddSection<AudioConfig>("audio");
  config.AddSection<PrepareConfig>("prepare");
  config.AddSection<JndConfig>("jnd");
  config.AddSection<DegradationRangesConfig>("degrade");
  config.AddSection<SynthConfig>("synth");
#ifdef JSQA_WITH_TORCH
  config.AddSection<ModelConfig>("model");
  config.AddSection<PretrainConfig>("pretrain");
  config.AddSection<FinetuneConfig>("finetune");
  config.AddSection<EvaluateConfig>("evaluate");
  config.AddSection<RuntimeConfig>("runtime");
#endif
}

}  // namespace jsqa
