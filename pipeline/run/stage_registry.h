// The stages a run graph can name, registered by name at start-up.
// Registration is explicit (RegisterBuiltinStages() in stages/) so that
// static linking can never drop a stage.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "pipeline/run/stage.h"

namespace jsqa {

class StageRegistry {
 public:
  // Throws jsqa::Error for a duplicate name.
  void Register(std::unique_ptr<Stage> stage);
  // Throws UsageError naming the unknown stage and listing the known ones.
  const Stage& Get(const std::string& name) const;
  bool Has(const std::string& name) const;
  std::vector<std::string> Names() const;

 private:
  std::vector<std::unique_ptr<Stage>> stages_;
};

}  // namespace jsqa
