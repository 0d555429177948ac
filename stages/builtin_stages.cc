#include "stages/builtin_stages.h"

#include "pipeline/corpus_config.h"
#include "pipeline/run_config.h"
#include "stages/prepare_stage.h"

namespace jsqa {

void RegisterBuiltinStages(StageRegistry& registry) {
  registry.Register(std::make_unique<PrepareStage>());
}

void AddConfigSections(Config& config) {
  config.AddSection<RunConfig>("run");
  config.AddSection<CorpusConfig>("corpus");
  config.AddSection<PrepareConfig>("prepare");
}

}  // namespace jsqa
