#include "augment/jnd_features.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "pipeline/base/error.h"
#include "augment/fft.h"

namespace jsqa {
namespace {

// Power below this (full scale², per bin or per sample) counts as silence:
// it keeps log10 finite, and frames at or under it are left out.
constexpr double kPowerFloor = 1e-12;
constexpr double kFrameSeconds = 0.032;

// 32 ms rounded up to a power of two: 512 samples at 16 kHz, 2048 at 48 kHz.
int FrameLength(int sample_rate) {
  const double samples = kFrameSeconds * sample_rate;
  int length = 4;
  while (length < samples) length *= 2;
  return length;
}

double PowerDb(double power) { return 10.0 * std::log10(std::max(power, kPowerFloor)); }

double MeanSquare(const float* frame, int length) {
  double sum = 0.0;
  for (int i = 0; i < length; ++i) sum += static_cast<double>(frame[i]) * frame[i];
  return sum / length;
}

// Start samples of the non-overlapping frames that fit in length. (Half-
// overlapping frames gave the same features within noise at twice the cost:
// the spectra are most of synthesis time.)
std::vector<size_t> FrameStarts(size_t length, int frame_length) {
  JSQA_CHECK(length >= static_cast<size_t>(frame_length), "JND features need at least one ",
             frame_length, "-sample frame, got ", length, " samples");
  std::vector<size_t> starts;
  const size_t hop = static_cast<size_t>(frame_length);
  for (size_t start = 0; start + frame_length <= length; start += hop) starts.push_back(start);
  return starts;
}

// RMS over non-silent frames of the log-spectral distance (dB) between a
// and b, after scaling b to a's RMS level so that only the spectral shape
// counts.
double SpectralDistanceDb(const std::vector<float>& a, const std::vector<float>& b,
                          const PowerSpectrum& spectrum) {
  double energy_a = 0.0;
  double energy_b = 0.0;
  for (size_t i = 0; i < a.size(); ++i) {
    energy_a += static_cast<double>(a[i]) * a[i];
    energy_b += static_cast<double>(b[i]) * b[i];
  }
  JSQA_CHECK(energy_a > 0.0 && energy_b > 0.0, "a JND pair mixture is silent");
  const double level_match = energy_a / energy_b;  // power gain applied to b

  const int n = spectrum.frame_length();
  std::vector<float> power_a;
  std::vector<float> power_b;
  double sum_squares = 0.0;  // Σ over frames of the frame's mean squared dB difference
  int frames = 0;
  for (const size_t start : FrameStarts(a.size(), n)) {
    if (MeanSquare(&a[start], n) <= kPowerFloor &&
        MeanSquare(&b[start], n) * level_match <= kPowerFloor)
      continue;
    spectrum.Compute(&a[start], power_a);
    spectrum.Compute(&b[start], power_b);
    double frame_sum = 0.0;
    for (size_t k = 0; k < power_a.size(); ++k) {
      const double difference = PowerDb(power_a[k]) - PowerDb(power_b[k] * level_match);
      frame_sum += difference * difference;
    }
    sum_squares += frame_sum / static_cast<double>(power_a.size());
    ++frames;
  }
  JSQA_CHECK(frames > 0, "a JND pair mixture is silent in every frame");
  return std::sqrt(sum_squares / frames);
}

struct NoiseShape {
  double flatness_db;
  double fluctuation_db;
};

// Flatness of the noise's mean power spectrum over non-silent frames (a
// single frame's periodogram scatters too much: white noise would read
// about -2.5 dB), and the standard deviation of those frames' levels.
NoiseShape MeasureNoise(const std::vector<float>& noise, const PowerSpectrum& spectrum) {
  const int n = spectrum.frame_length();
  std::vector<double> mean_power(spectrum.bins(), 0.0);
  std::vector<float> power;
  std::vector<double> levels_db;
  for (const size_t start : FrameStarts(noise.size(), n)) {
    const double mean_square = MeanSquare(&noise[start], n);
    if (mean_square <= kPowerFloor) continue;
    levels_db.push_back(PowerDb(mean_square));
    spectrum.Compute(&noise[start], power);
    for (size_t k = 0; k < power.size(); ++k) mean_power[k] += power[k];
  }
  JSQA_CHECK(!levels_db.empty(), "the noise is silent in every frame");

  const double frames = static_cast<double>(levels_db.size());
  double log_sum = 0.0;
  double sum = 0.0;
  for (double& bin : mean_power) {
    bin = std::max(bin / frames, kPowerFloor);
    log_sum += std::log(bin);
    sum += bin;
  }
  const double bins = static_cast<double>(mean_power.size());
  // 10·log10(geometric / arithmetic mean), with the geometric mean taken in
  // the log domain.
  const double flatness_db = 10.0 * (log_sum / bins / std::log(10.0) - std::log10(sum / bins));

  double level_mean = 0.0;
  for (const double level : levels_db) level_mean += level;
  level_mean /= frames;
  double level_variance = 0.0;
  for (const double level : levels_db) level_variance += (level - level_mean) * (level - level_mean);
  return {flatness_db, std::sqrt(level_variance / frames)};
}

}  // namespace

const std::array<std::string, kJndFeatureCount>& JndFeatureNames() {
  static const std::array<std::string, kJndFeatureCount> names = {
      "snr_db", "delta_db", "spectral_distance", "noise_flatness", "noise_fluctuation"};
  return names;
}

JndFeatures ComputeJndFeatures(const std::vector<float>& a, const std::vector<float>& b,
                               const std::vector<float>& noise, double snr_a_db, double snr_b_db,
                               int sample_rate, const JndFeatureMask& wanted) {
  JSQA_CHECK(sample_rate > 0, "JND features need a sample rate > 0, got ", sample_rate, " Hz");
  JSQA_CHECK(a.size() == b.size(), "JND pair mixtures differ in length: ", a.size(), " vs ",
             b.size(), " samples");
  JSQA_CHECK(std::isfinite(snr_a_db) && std::isfinite(snr_b_db), "JND pair SNRs must be finite, got ",
             snr_a_db, " and ", snr_b_db, " dB");
  JndFeatures features{};
  features[kSnr] = std::min(snr_a_db, snr_b_db);
  features[kDelta] = std::abs(snr_b_db - snr_a_db);
  const bool wants_distance = wanted[kSpectralDistance];
  const bool wants_noise = wanted[kNoiseFlatness] || wanted[kNoiseFluctuation];
  if (!wants_distance && !wants_noise) return features;
  const PowerSpectrum spectrum(FrameLength(sample_rate));
  if (wants_distance) features[kSpectralDistance] = SpectralDistanceDb(a, b, spectrum);
  if (wants_noise) {
    const NoiseShape noise_shape = MeasureNoise(noise, spectrum);
    if (wanted[kNoiseFlatness]) features[kNoiseFlatness] = noise_shape.flatness_db;
    if (wanted[kNoiseFluctuation]) features[kNoiseFluctuation] = noise_shape.fluctuation_db;
  }
  return features;
}

}  // namespace jsqa
