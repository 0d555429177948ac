// clipping: hard amplitude clipping at a fraction of the segment's peak, as
// an overdriven microphone or amplifier does (NISQA's generator draws the
// threshold from 0.01 to 0.5 of the peak). The output is not renormalised:
// the level rule that follows the chain sets the level.
#include <algorithm>
#include <cmath>

#include "augment/degradations/builtin_degradations.h"
#include "augment/mix.h"
#include "pipeline/base/error.h"

namespace jsqa {
namespace {

class Clipping : public Degradation {
 public:
  std::string name() const override { return "clipping"; }
  StrengthParameter strength() const override { return {"threshold", "fraction of peak", 0.01, 1.0, {}}; }

  DegradedAudio Apply(const std::vector<float>& input, const DegradeArgs& args, CounterRng&) const override {
    CheckStrength(*this, args.strength);
    const double peak = Peak(input);
    JSQA_CHECK(peak > 0.0, "clipping: the input is silent, so it has no peak to clip at");
    const float limit = static_cast<float>(args.strength * peak);
    DegradedAudio out;
    out.samples.resize(input.size());
    size_t clipped = 0;
    for (size_t i = 0; i < input.size(); ++i) {
      out.samples[i] = std::clamp(input[i], -limit, limit);
      clipped += std::fabs(out.samples[i]) >= limit;  // measured on the output
    }
    out.realised.push_back({"threshold", args.strength});
    out.realised.push_back({"clipped_fraction", static_cast<double>(clipped) / input.size()});
    return out;
  }
};

}  // namespace

std::unique_ptr<Degradation> MakeClipping() { return std::make_unique<Clipping>(); }

}  // namespace jsqa
