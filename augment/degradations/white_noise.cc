// white_noise: Gaussian white noise added at an exact SNR over the whole
// segment (NISQA's generator draws 0 to 40 dB).
#include <cmath>

#include "augment/degradations/builtin_degradations.h"
#include "augment/degradations/gaussian_noise.h"
#include "augment/mix.h"
#include "pipeline/base/error.h"

namespace jsqa {
namespace {

class WhiteNoise : public Degradation {
 public:
  std::string name() const override { return "white_noise"; }
  StrengthParameter strength() const override { return {"snr_db", "dB", -10.0, 60.0, {}}; }

  DegradedAudio Apply(const std::vector<float>& input, const DegradeArgs& args, CounterRng& rng) const override {
    CheckStrength(*this, args.strength);
    const double speech_energy = Energy(input);
    JSQA_CHECK(speech_energy > 0.0, "white_noise: the input is silent, so no SNR can be set");
    const std::vector<float> noise = GaussianNoise(input.size(), rng);
    // g² Σn² = Σx² / 10^(snr/10).
    const double gain = std::sqrt(speech_energy / (Energy(noise) * std::pow(10.0, args.strength / 10.0)));
    DegradedAudio out;
    out.samples.resize(input.size());
    for (size_t i = 0; i < input.size(); ++i) out.samples[i] = input[i] + static_cast<float>(gain * noise[i]);
    // Measured from what was stored: the added noise is output - input.
    std::vector<float> added(input.size());
    for (size_t i = 0; i < input.size(); ++i) added[i] = out.samples[i] - input[i];
    out.realised.push_back({"snr_db", 10.0 * std::log10(speech_energy / Energy(added))});
    return out;
  }
};

}  // namespace

std::unique_ptr<Degradation> MakeWhiteNoise() { return std::make_unique<WhiteNoise>(); }

}  // namespace jsqa
