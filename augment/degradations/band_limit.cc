#include "augment/degradations/band_limit.h"

#include <cmath>
#include <complex>

#include "augment/degradations/builtin_degradations.h"
#include "augment/fft.h"
#include "pipeline/base/error.h"

namespace jsqa {
namespace {

constexpr int kButterworthOrder = 8;

// Zero samples after the segment before the transform: the filter's
// impulse response (zero-phase, so it spreads both ways) wraps around into
// them instead of onto the segment's other end. 4096 samples (256 ms) hold
// the ringing of a 20 Hz order-8 highpass down to about −80 dB.
constexpr int kPaddingSamples = 4096;

enum class Band { kLowpass, kHighpass, kBandpass };

// |H(f)| of an order-8 Butterworth filter with cut-off fc (Hz).
double LowpassMagnitude(double hz, double cutoff_hz) {
  return 1.0 / std::sqrt(1.0 + std::pow(hz / cutoff_hz, 2 * kButterworthOrder));
}
double HighpassMagnitude(double hz, double cutoff_hz) {
  if (hz == 0.0) return 0.0;
  return 1.0 / std::sqrt(1.0 + std::pow(cutoff_hz / hz, 2 * kButterworthOrder));
}

class BandLimit : public Degradation {
 public:
  explicit BandLimit(Band band) : band_(band) {}

  std::string name() const override {
    switch (band_) {
      case Band::kLowpass: return "lowpass";
      case Band::kHighpass: return "highpass";
      case Band::kBandpass: return "bandpass";
    }
    return "";
  }

  StrengthParameter strength() const override {
    // Cut-offs the ear can tell from no filter at all, inside the 8 kHz band.
    switch (band_) {
      case Band::kLowpass: return {"cutoff_hz", "Hz", 500.0, 7800.0, {}};
      case Band::kHighpass: return {"cutoff_hz", "Hz", 20.0, 3000.0, {}};
      case Band::kBandpass: return {"cutoff_hz", "Hz", 1000.0, 7800.0, {}};  // the upper edge
    }
    return {};
  }

  DegradedAudio Apply(const std::vector<float>& input, const DegradeArgs& args, CounterRng&) const override {
    CheckStrength(*this, args.strength);
    const RealFft fft(FastFftLength(static_cast<int>(input.size()) + kPaddingSamples));
    std::vector<std::complex<float>> spectrum;
    fft.Forward(input, spectrum);
    const double hz_per_bin = static_cast<double>(kDegradationRate) / fft.length();
    for (size_t k = 0; k < spectrum.size(); ++k)
      spectrum[k] *= static_cast<float>(Magnitude(k * hz_per_bin, args.strength));
    DegradedAudio out;
    fft.Inverse(spectrum, out.samples);
    out.samples.resize(input.size());
    out.realised.push_back({"cutoff_hz", args.strength});
    return out;
  }

 private:
  double Magnitude(double hz, double cutoff_hz) const {
    switch (band_) {
      case Band::kLowpass: return LowpassMagnitude(hz, cutoff_hz);
      case Band::kHighpass: return HighpassMagnitude(hz, cutoff_hz);
      case Band::kBandpass: return HighpassMagnitude(hz, kBandpassLowHz) * LowpassMagnitude(hz, cutoff_hz);
    }
    return 1.0;
  }

  Band band_;
};

}  // namespace

double HzToBark(double hz) { return 26.81 * hz / (1960.0 + hz) - 0.53; }

double BarkToHz(double bark) { return 1960.0 * (bark + 0.53) / (26.28 - bark); }

std::unique_ptr<Degradation> MakeLowpass() { return std::make_unique<BandLimit>(Band::kLowpass); }
std::unique_ptr<Degradation> MakeHighpass() { return std::make_unique<BandLimit>(Band::kHighpass); }
std::unique_ptr<Degradation> MakeBandpass() { return std::make_unique<BandLimit>(Band::kBandpass); }

}  // namespace jsqa
