// Level and SNR measurements declared in mix.h; sums run in double so that
// a 10 s segment at 48 kHz loses no precision to float accumulation.
#include <algorithm>
#include <cmath>
#include <limits>

#include "pipeline/base/error.h"
#include "augment/mix.h"

namespace jsqa {

double Energy(const std::vector<float>& signal) {
  double sum = 0.0;
  for (const float x : signal) sum += static_cast<double>(x) * x;
  return sum;
}

double SnrDb(const std::vector<float>& clean, const std::vector<float>& noise) {
  const double noise_energy = Energy(noise);
  JSQA_CHECK(noise_energy > 0.0, "SNR is undefined for a silent noise signal");
  return 10.0 * std::log10(Energy(clean) / noise_energy);
}

double RmsDbfs(const std::vector<float>& signal) {
  if (signal.empty()) return -std::numeric_limits<double>::infinity();
  return LevelDbfs(Energy(signal), signal.size());
}

double LevelDbfs(double energy, size_t samples) {
  // 10·log10(mean square) = 20·log10(rms); log10(0) gives -inf for silence.
  return 10.0 * std::log10(energy / static_cast<double>(samples));
}

double Peak(const std::vector<float>& signal) {
  float peak = 0.0f;
  for (const float x : signal) peak = std::max(peak, std::abs(x));
  return peak;
}

}  // namespace jsqa
