#include "augment/fft.h"

#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <vector>

#include "augment/counter_rng.h"
#include "pipeline/base/error.h"

namespace jsqa {
namespace {

constexpr double kPi = 3.14159265358979323846;

// The definition, O(n²): |Σ w[m] x[m] e^{-2πikm/n}|² / Σ w², periodic Hann.
std::vector<double> DirectPowerSpectrum(const std::vector<float>& frame) {
  const size_t n = frame.size();
  std::vector<double> window(n);
  double window_energy = 0.0;
  for (size_t m = 0; m < n; ++m) {
    window[m] = 0.5 - 0.5 * std::cos(2.0 * kPi * m / n);
    window_energy += window[m] * window[m];
  }
  std::vector<double> power(n / 2 + 1);
  for (size_t k = 0; k < power.size(); ++k) {
    std::complex<double> sum = 0.0;
    for (size_t m = 0; m < n; ++m) sum += window[m] * frame[m] * std::polar(1.0, -2.0 * kPi * k * m / n);
    power[k] = std::norm(sum) / window_energy;
  }
  return power;
}

std::vector<float> RandomFrame(int length, uint64_t key) {
  CounterRng rng(3, key);
  std::vector<float> frame(length);
  for (float& x : frame) x = static_cast<float>(rng.Uniform(-1.0, 1.0));
  return frame;
}

TEST(PowerSpectrumTest, MatchesTheDirectTransform) {
  for (const int length : {4, 8, 64, 512}) {
    const std::vector<float> frame = RandomFrame(length, length);
    const PowerSpectrum spectrum(length);
    std::vector<float> power;
    spectrum.Compute(frame.data(), power);
    const std::vector<double> expected = DirectPowerSpectrum(frame);
    ASSERT_EQ(power.size(), expected.size());
    // Single precision: a bin's error is a few float epsilons (6e-8) of the
    // frame's power (about 1/3 per bin here), times log2(length).
    for (size_t k = 0; k < power.size(); ++k)
      EXPECT_NEAR(power[k], expected[k], 1e-5 * (1.0 + expected[k])) << "length " << length << " bin " << k;
  }
}

TEST(PowerSpectrumTest, SinePeaksInItsBin) {
  constexpr int kLength = 512;
  constexpr int kBin = 32;  // 1 kHz at 16 kHz
  std::vector<float> frame(kLength);
  for (int m = 0; m < kLength; ++m) frame[m] = static_cast<float>(std::sin(2.0 * kPi * kBin * m / kLength));
  std::vector<float> power;
  PowerSpectrum(kLength).Compute(frame.data(), power);
  for (int k = 0; k < static_cast<int>(power.size()); ++k)
    if (std::abs(k - kBin) > 1) {
      EXPECT_LT(power[k], 1e-9 * power[kBin]) << "bin " << k;
    }
}

TEST(PowerSpectrumTest, WhiteNoiseHasItsVarianceInEveryBin) {
  constexpr int kLength = 256;
  constexpr int kFrames = 2000;
  const PowerSpectrum spectrum(kLength);
  std::vector<double> mean(spectrum.bins(), 0.0);
  std::vector<float> power;
  for (int f = 0; f < kFrames; ++f) {
    spectrum.Compute(RandomFrame(kLength, 1000 + f).data(), power);
    for (size_t k = 0; k < power.size(); ++k) mean[k] += power[k] / kFrames;
  }
  // Uniform on [-1, 1): variance 1/3. Interior bins average 2000
  // exponential draws (±2.2 % standard error); DC and Nyquist are χ² with
  // one degree of freedom, so wider.
  for (size_t k = 1; k + 1 < mean.size(); ++k) EXPECT_NEAR(mean[k], 1.0 / 3.0, 0.04) << "bin " << k;
  EXPECT_NEAR(mean.front(), 1.0 / 3.0, 0.06);
  EXPECT_NEAR(mean.back(), 1.0 / 3.0, 0.06);
}

TEST(PowerSpectrumTest, RejectsLengthsThatAreNotPowersOfTwo) {
  EXPECT_THROW(PowerSpectrum(0), Error);
  EXPECT_THROW(PowerSpectrum(2), Error);
  EXPECT_THROW(PowerSpectrum(500), Error);
}

}  // namespace
}  // namespace jsqa
