#include "augment/degradations/gaussian_noise.h"

#include <cmath>

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

}  // namespace jsqa
