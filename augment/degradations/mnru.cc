// mnru: ITU-T P.810's modulated noise reference unit, y = x · (1 + 10^(-Q/20) · N)
// with N white Gaussian noise: noise that follows the speech's envelope, the
// reference distortion of early codec tests. Q is the ratio of speech power
// to that speech-correlated noise power, set exactly on the segment (the
// noise is scaled so that Σx² / Σ(x·g·N)² = 10^(Q/10)) rather than only in
// expectation, so a pair's two Q values differ by exactly their Δ.
// P.810's wideband unit also band-limits the output to 50–7000 Hz; here
// the noise keeps the full band up to 8 kHz, and a band limit, when wanted,
// is a separate step of the chain.
#include <cmath>

#include "augment/degradations/builtin_degradations.h"
#include "augment/degradations/gaussian_noise.h"
#include "augment/mix.h"
#include "pipeline/base/error.h"

namespace jsqa {
namespace {

class Mnru : public Degradation {
 public:
  std::string name() const override { return "mnru"; }
  // NISQA's generator draws Q from -30 to 30 dB (wideband, in its sense).
  StrengthParameter strength() const override { return {"q_db", "dB", -30.0, 60.0, {}}; }

  DegradedAudio Apply(const std::vector<float>& input, const DegradeArgs& args, CounterRng& rng) const override {
    CheckStrength(*this, args.strength);
    const double speech_energy = Energy(input);
    JSQA_CHECK(speech_energy > 0.0, "mnru: the input is silent, so no Q can be set");
    std::vector<float> modulated = GaussianNoise(input.size(), rng);
    for (size_t i = 0; i < input.size(); ++i) modulated[i] *= input[i];
    const double gain = std::sqrt(speech_energy / (Energy(modulated) * std::pow(10.0, args.strength / 10.0)));
    DegradedAudio out;
    out.samples.resize(input.size());
    std::vector<float> added(input.size());
    for (size_t i = 0; i < input.size(); ++i) {
      out.samples[i] = input[i] + static_cast<float>(gain * modulated[i]);
      added[i] = out.samples[i] - input[i];
    }
    out.realised.push_back({"q_db", 10.0 * std::log10(speech_energy / Energy(added))});
    return out;
  }
};

}  // namespace

std::unique_ptr<Degradation> MakeMnru() { return std::make_unique<Mnru>(); }

}  // namespace jsqa
