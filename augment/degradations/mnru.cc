// mnru: ITU-T P.810's modulated noise reference unit, y = x · (1 + 10^(-Q/20) · N)
// with N white Gaussian noise: noise that follows the speech's envelope, the
// reference distortion of early codec tests. Q is the ratio of speech power
// to that speech-correlated noise power, set exactly on the segment (the
// noise is scaled so that Σx² / Σ(x·g·N)² = 10^(Q/10)) rather than only in
// expectation, so a pair's two Q values differ by exactly their Δ.
// P.810's wideband unit also band-limits the output to 50–7000 Hz; here
// the noise keeps the full band up to 8 kHz, and a band limit, when wanted,
// is a separate step of the chain.
#include "augment/degradations/builtin_degradations.h"
#include "augment/degradations/gaussian_noise.h"

namespace jsqa {
namespace {

class Mnru : public Degradation {
 public:
  std::string name() const override { return "mnru"; }
  // NISQA's generator draws Q from -30 to 30 dB (wideband, in its sense).
  StrengthParameter strength() const override { return {"q_db", "dB", -30.0, 60.0, {}}; }

  DegradedAudio Apply(const std::vector<float>& input, const DegradeArgs& args, CounterRng& rng) const override {
    CheckStrength(*this, args.strength);
    std::vector<float> modulated = GaussianNoise(input.size(), rng);
    for (size_t i = 0; i < input.size(); ++i) modulated[i] *= input[i];
    return AddAtRatio(input, modulated, args.strength, name(), "q_db");
  }
};

}  // namespace

std::unique_ptr<Degradation> MakeMnru() { return std::make_unique<Mnru>(); }

}  // namespace jsqa
