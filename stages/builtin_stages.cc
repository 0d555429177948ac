#include "stages/builtin_stages.h"

#include "pipeline/audio_config.h"
#include "pipeline/corpus_config.h"
#include "pipeline/jnd_config.h"
#include "pipeline/synth_config.h"
#include "stages/prepare_stage.h"
#include "stages/synth_stage.h"

namespace jsqa {

void RegisterBuiltinStages(StageRegistry& registry) {
  registry.Register(std::make_unique<PrepareStage>());
  registry.Register(std::make_unique<SynthStage>());
}

void AddConfigSections(Config& config) {
  config.AddSection<CorpusConfig>("corpus");
  config.AddSection<AudioConfig>("audio");
  config.AddSection<PrepareConfig>("prepare");
  config.AddSection<JndConfig>("jnd");
  config.AddSection<SynthConfig>("synth");
}

}  // namespace jsqa
