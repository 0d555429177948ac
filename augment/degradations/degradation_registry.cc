#include "augment/degradations/degradation_registry.h"

#include "augment/degradations/builtin_degradations.h"
#include "pipeline/base/config_keys.h"
#include "pipeline/base/error.h"

namespace jsqa {

void DegradationRegistry::Register(std::unique_ptr<Degradation> degradation) {
  JSQA_CHECK(degradation != nullptr, "registering a null degradation");
  JSQA_CHECK(!Has(degradation->name()), "degradation '", degradation->name(), "' registered twice");
  degradations_.push_back(std::move(degradation));
}

bool DegradationRegistry::Has(const std::string& name) const {
  for (const auto& degradation : degradations_)
    if (degradation->name() == name) return true;
  return false;
}

const Degradation& DegradationRegistry::Get(const std::string& name) const {
  for (const auto& degradation : degradations_)
    if (degradation->name() == name) return *degradation;
  throw Error("unknown degradation '" + name + "'; known: " + JoinList(Names(), ", "));
}

std::vector<std::string> DegradationRegistry::Names() const {
  std::vector<std::string> names;
  for (const auto& degradation : degradations_) names.push_back(degradation->name());
  return names;
}

const DegradationRegistry& BuiltinDegradations() {
  static const DegradationRegistry registry = [] {
    DegradationRegistry built;
    built.Register(MakeWhiteNoise());
    built.Register(MakeMnru());
    built.Register(MakeClipping());
    built.Register(MakeLowpass());
    built.Register(MakeHighpass());
    built.Register(MakeBandpass());
    built.Register(MakeTimeClipping());
    built.Register(MakePacketLoss());
    built.Register(MakeBurstyPacketLoss());
    built.Register(MakeReverb());
    built.Register(MakeOpus());
    built.Register(MakeAmrNb());
    built.Register(MakeAmrWb());
    built.Register(MakeG711());
    built.Register(MakeG722());
    built.Register(MakeG726());
    built.Register(MakeGsmFr());
    return built;
  }();
  return registry;
}

}  // namespace jsqa
