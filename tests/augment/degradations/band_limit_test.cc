#include "augment/degradations/band_limit.h"

#include <gtest/gtest.h>

#include <cmath>

#include "augment/degradations/degradation_registry.h"
#include "augment/degradations/gaussian_noise.h"
#include "augment/fft.h"
#include "tests/augment/degradations/speech_fixture.h"

namespace jsqa {
namespace {

constexpr int kFrame = 1024;  // 15.6 Hz per bin at 16 kHz

// Welch's average power per bin over Hann frames, half overlapped.
std::vector<double> AveragePower(const std::vector<float>& signal) {
  const PowerSpectrum spectrum(kFrame);
  std::vector<double> sum(spectrum.bins(), 0.0);
  std::vector<float> power;
  for (size_t begin = 0; begin + kFrame <= signal.size(); begin += kFrame / 2) {
    spectrum.Compute(signal.data() + begin, power);
    for (int k = 0; k < spectrum.bins(); ++k) sum[k] += power[k];
  }
  return sum;
}

// The frequencies (Hz) where output over input power crosses −3.01 dB,
// interpolated between bins, measured on 30 s of white noise.
std::vector<double> MinusThreeDbPoints(const std::string& name, double cutoff_hz) {
  CounterRng noise_rng(5, 6), rng(1, 1);
  const std::vector<float> noise = GaussianNoise(30 * kDegradationRate, noise_rng);
  const DegradedAudio out = BuiltinDegradations().Get(name).Apply(noise, {cutoff_hz, {}}, rng);
  const std::vector<double> in_power = AveragePower(noise), out_power = AveragePower(out.samples);
  std::vector<double> gain_db(in_power.size());
  for (size_t k = 0; k < gain_db.size(); ++k) gain_db[k] = 10.0 * std::log10(out_power[k] / in_power[k]);
  std::vector<double> crossings;
  const double level = 10.0 * std::log10(0.5);
  for (size_t k = 1; k + 1 < gain_db.size(); ++k) {
    if ((gain_db[k - 1] - level) * (gain_db[k] - level) > 0.0) continue;
    const double fraction = (level - gain_db[k - 1]) / (gain_db[k] - gain_db[k - 1]);
    crossings.push_back((k - 1 + fraction) * kDegradationRate / kFrame);
  }
  return crossings;
}

// The measured point is blurred by the Hann window's main lobe (±2 bins),
// which on a steep slope moves it by a fraction of a bin: within 10 Hz.
TEST(BandLimit, CrossesMinusThreeDecibelsAtTheCutOff) {
  const std::vector<double> lowpass = MinusThreeDbPoints("lowpass", 3400.0);
  ASSERT_EQ(lowpass.size(), 1u);
  EXPECT_NEAR(lowpass[0], 3400.0, 10.0);
  const std::vector<double> highpass = MinusThreeDbPoints("highpass", 700.0);
  ASSERT_EQ(highpass.size(), 1u);
  EXPECT_NEAR(highpass[0], 700.0, 10.0);
  const std::vector<double> bandpass = MinusThreeDbPoints("bandpass", 5000.0);
  ASSERT_EQ(bandpass.size(), 2u);
  EXPECT_NEAR(bandpass[0], kBandpassLowHz, 10.0);
  EXPECT_NEAR(bandpass[1], 5000.0, 10.0);
}

TEST(BandLimit, KeepsSpeechTimeAlignedAndItsPassBandIntact) {
  const std::vector<float>& speech = testing::FourSecondsOfSpeech();
  CounterRng rng(1, 1);
  const DegradedAudio out = BuiltinDegradations().Get("lowpass").Apply(speech, {7800.0, {}}, rng);
  ASSERT_EQ(out.samples.size(), speech.size());
  // LibriVox speech has almost nothing above 7.8 kHz, so a zero-phase
  // lowpass there leaves it as it was; any delay would not.
  EXPECT_GT(testing::SnrOfDifferenceDb(speech, out.samples), 30.0);
}

TEST(BandLimit, BarkRoundTrips) {
  for (const double hz : {100.0, 300.0, 3400.0, 7000.0}) EXPECT_NEAR(BarkToHz(HzToBark(hz)), hz, 1e-9);
  EXPECT_NEAR(HzToBark(1000.0), 8.53, 0.01);  // Traunmüller's scale: 1 kHz ≈ 8.5 Bark
}

}  // namespace
}  // namespace jsqa
