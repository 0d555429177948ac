#include "augment/degradations/gaussian_noise.h"

#include <cmath>

#include "augment/mix.h"
#include "pipeline/base/error.h"

namespace jsqa {

std::vector<float> GaussianNoise(size_t samples, CounterRng& rng) {
  constexpr double kTwoPi = 6.28318530717958647692;
  std::vector<float> noise(samples);
  for (size_t i = 0; i < samples; i += 2) {
    // 1 - u is in (0, 1], so the logarithm is finite.
    const double radius = std::sqrt(-2.0 * std::log(1.0 - rng.NextUnit()));
    const double angle = kTwoPi * rng.NextUnit();
    noise[i] = static_cast<float>(radius * std::cos(angle));
    if (i + 1 < samples) noise[i + 1] = static_cast<float>(radius * std::sin(angle));
  }
  return noise;
}

DegradedAudio AddAtRatio(const std::vector<float>& input, const std::vector<float>& noise, double ratio_db,
                         const std::string& degradation, const std::string& parameter_name) {
  const double input_energy = Energy(input);
  JSQA_CHECK(input_energy > 0.0, degradation, ": the input is silent, so no ", parameter_name, " can be set");
  // g² Σn² = Σx² / 10^(ratio/10).
  const double gain = std::sqrt(input_energy / (Energy(noise) * std::pow(10.0, ratio_db / 10.0)));
  DegradedAudio out;
  out.samples.resize(input.size());
  std::vector<float> added(input.size());
  for (size_t i = 0; i < input.size(); ++i) {
    out.samples[i] = input[i] + static_cast<float>(gain * noise[i]);
    added[i] = out.samples[i] - input[i];
  }
  out.realised.push_back({parameter_name, 10.0 * std::log10(input_energy / Energy(added))});
  return out;
}

}  // namespace jsqa
