// white_noise: Gaussian white noise added at an exact SNR over the whole
// segment (NISQA's generator draws 0 to 40 dB).
#include "augment/degradations/builtin_degradations.h"
#include "augment/degradations/gaussian_noise.h"

namespace jsqa {
namespace {

class WhiteNoise : public Degradation {
 public:
  std::string name() const override { return "white_noise"; }
  StrengthParameter strength() const override { return {"snr_db", "dB", -10.0, 60.0, {}}; }

  DegradedAudio Apply(const std::vector<float>& input, const DegradeArgs& args, CounterRng& rng) const override {
    CheckStrength(*this, args.strength);
    return AddAtRatio(input, GaussianNoise(input.size(), rng), args.strength, name(), "snr_db");
  }
};

}  // namespace

std::unique_ptr<Degradation> MakeWhiteNoise() { return std::make_unique<WhiteNoise>(); }

}  // namespace jsqa
