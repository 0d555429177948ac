// The degradations a chain can name. Registration is explicit
// (BuiltinDegradations()) so that static linking can never drop one.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "augment/degradations/degradation.h"

namespace jsqa {

class DegradationRegistry {
 public:
  // Throws jsqa::Error for a duplicate name.
  void Register(std::unique_ptr<Degradation> degradation);
  // Throws jsqa::Error naming the unknown degradation and the known ones.
  const Degradation& Get(const std::string& name) const;
  bool Has(const std::string& name) const;
  std::vector<std::string> Names() const;  // in registration order

 private:
  std::vector<std::unique_ptr<Degradation>> degradations_;
};

// Every built-in degradation, registered once on first use.
const DegradationRegistry& BuiltinDegradations();

}  // namespace jsqa
