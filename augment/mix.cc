#include "augment/mix.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "augment/mix_sources.h"
#include "pipeline/base/error.h"

namespace jsqa {
namespace {

void CheckArgs(const MixArgs& args) {
  JSQA_CHECK(std::isfinite(args.snr_db), "mix SNR must be finite, got ", args.snr_db, " dB");
  JSQA_CHECK(!std::isinf(args.target_dbfs), "mix target level must be finite or NaN, got ",
             args.target_dbfs, " dBFS");
  JSQA_CHECK(std::isfinite(args.max_peak) && args.max_peak > 0.0, "mix max_peak must be > 0, got ",
             args.max_peak);
  if (args.snr_mode == SnrMode::kActiveSpeech)
    JSQA_CHECK(args.sample_rate > 0, "mix sample_rate must be > 0, got ", args.sample_rate, " Hz");
}

// The gain that brings the mixture clean + noise_gain·noise to the target
// RMS, reduced further if its peak would pass max_peak.
double OutputGain(const std::vector<float>& clean, const std::vector<float>& noise,
                  double noise_gain, const MixArgs& args, bool* peak_limited) {
  double energy = 0.0;
  double peak = 0.0;
  for (size_t i = 0; i < clean.size(); ++i) {
    const double mixed = clean[i] + noise_gain * noise[i];
    energy += mixed * mixed;
    peak = std::max(peak, std::abs(mixed));
  }
  JSQA_CHECK(energy > 0.0, "clean and scaled noise cancel to silence");
  double gain = 1.0;
  if (!std::isnan(args.target_dbfs)) {
    const double rms = std::sqrt(energy / static_cast<double>(clean.size()));
    gain = std::pow(10.0, args.target_dbfs / 20.0) / rms;
  }
  *peak_limited = gain * peak > args.max_peak;
  if (*peak_limited) gain = args.max_peak / peak;
  return gain;
}

}  // namespace

MixResult MixAtSnr(const std::vector<float>& clean, const std::vector<float>& noise,
                   const MixArgs& args) {
  CheckArgs(args);
  const MixSources sources = MeasureMixSources(clean, noise, args.snr_mode, args.sample_rate);

  MixResult result;
  result.noise_gain = NoiseGain(sources, args.snr_db);
  result.gain = OutputGain(clean, noise, result.noise_gain, args, &result.peak_limited);

  // One gain for all three outputs keeps the SNR; it is recomputed below
  // from the float samples as stored, so the recorded figure is what a
  // reader of the components will measure.
  const size_t n = clean.size();
  result.mixture.resize(n);
  result.clean.resize(n);
  result.scaled_noise.resize(n);
  const double noise_scale = result.gain * result.noise_gain;
  for (size_t i = 0; i < n; ++i) {
    result.clean[i] = static_cast<float>(result.gain * clean[i]);
    result.scaled_noise[i] = static_cast<float>(noise_scale * noise[i]);
    result.mixture[i] = static_cast<float>(result.gain * clean[i] + noise_scale * noise[i]);
  }
  result.realised_snr_db =
      10.0 * std::log10(EnergyOver(result.clean, sources.spans) / EnergyOver(result.scaled_noise, sources.spans));
  return result;
}

}  // namespace jsqa
