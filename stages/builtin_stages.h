// The stages and config sections this build knows, registered explicitly.
#pragma once

#include "pipeline/base/config.h"
#include "pipeline/run/stage_registry.h"

namespace jsqa {

void RegisterBuiltinStages(StageRegistry& registry);
// Adds every config section ([corpus], [audio] and each stage's own).
void AddConfigSections(Config& config);

}  // namespace jsqa
