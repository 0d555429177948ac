#include "pipeline/run/stage_registry.h"

#include "pipeline/base/error.h"

namespace jsqa {

const std::string& StageContext::Input(const std::string& stage) const {
  auto found = inputs.find(stage);
  JSQA_CHECK(found != inputs.end(), "stage input '", stage, "' is missing");
  return found->second;
}

void StageRegistry::Register(std::unique_ptr<Stage> stage) {
  JSQA_CHECK(stage != nullptr, "registering a null stage");
  JSQA_CHECK(!Has(stage->Name()), "stage '", stage->Name(), "' registered twice");
  stages_.push_back(std::move(stage));
}

bool StageRegistry::Has(const std::string& name) const {
  for (const auto& stage : stages_)
    if (stage->Name() == name) return true;
  return false;
}

const Stage& StageRegistry::Get(const std::string& name) const {
  for (const auto& stage : stages_)
    if (stage->Name() == name) return *stage;
  throw UsageError("unknown stage '" + name + "'; known stages: " + JoinList(Names(), ", "));
}

std::vector<std::string> StageRegistry::Names() const {
  std::vector<std::string> names;
  for (const auto& stage : stages_) names.push_back(stage->Name());
  return names;
}

}  // namespace jsqa
