#include "augment/mix.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "augment/active_speech_level.h"
#include "pipeline/base/error.h"

namespace jsqa {
namespace {

// Samples [begin, end) that take part in the SNR.
struct Span {
  size_t begin;
  size_t end;
};

void CheckArgs(const MixArgs& args) {
  JSQA_CHECK(std::isfinite(args.snr_db), "mix SNR must be finite, got ", args.snr_db, " dB");
  JSQA_CHECK(!std::isinf(args.target_dbfs), "mix target level must be finite or NaN, got ",
             args.target_dbfs, " dBFS");
  JSQA_CHECK(std::isfinite(args.max_peak) && args.max_peak > 0.0, "mix max_peak must be > 0, got ",
             args.max_peak);
  if (args.snr_mode == SnrMode::kActiveSpeech)
    JSQA_CHECK(args.sample_rate > 0, "mix sample_rate must be > 0, got ", args.sample_rate, " Hz");
}

void CheckInputs(const std::vector<float>& clean, const std::vector<float>& noise) {
  JSQA_CHECK(!clean.empty(), "cannot mix zero-length signals");
  JSQA_CHECK(clean.size() == noise.size(), "clean and noise lengths differ: ", clean.size(), " vs ",
             noise.size(), " samples");
  for (size_t i = 0; i < clean.size(); ++i) {
    JSQA_CHECK(std::isfinite(clean[i]), "clean sample ", i, " is not finite");
    JSQA_CHECK(std::isfinite(noise[i]), "noise sample ", i, " is not finite");
  }
  JSQA_CHECK(Energy(clean) > 0.0, "clean speech is silent (all zeros)");
  JSQA_CHECK(Energy(noise) > 0.0, "noise is silent (all zeros)");
}

double MeanSquare(const std::vector<float>& signal, size_t begin, size_t end) {
  double sum = 0.0;
  for (size_t i = begin; i < end; ++i) sum += static_cast<double>(signal[i]) * signal[i];
  return sum / static_cast<double>(end - begin);
}

// The samples ITU-T P.56 counts as active in the clean signal, merged
// into spans. Never empty once the clean signal is known not to be silent:
// its loudest stretch is always above the level's own threshold.
std::vector<Span> ActiveSpeechSpans(const std::vector<float>& clean, const MixArgs& args) {
  const ActiveSpeechLevel level = MeasureActiveSpeechLevel(clean, args.sample_rate);
  JSQA_CHECK(level.any_activity(), "clean speech has no active speech (ITU-T P.56)");
  const std::vector<unsigned char> active = ActiveSpeechMask(clean, args.sample_rate, level.level_db);
  std::vector<Span> spans;
  for (size_t i = 0; i < active.size(); ++i) {
    if (!active[i]) continue;
    if (!spans.empty() && spans.back().end == i)
      ++spans.back().end;
    else
      spans.push_back({i, i + 1});
  }
  JSQA_CHECK(!spans.empty(), "clean speech has no active speech (ITU-T P.56)");
  return spans;
}

std::vector<Span> MeasuredSpans(const std::vector<float>& clean, const MixArgs& args) {
  if (args.snr_mode == SnrMode::kActiveSpeech) return ActiveSpeechSpans(clean, args);
  return {{0, clean.size()}};
}

double EnergyOver(const std::vector<float>& signal, const std::vector<Span>& spans) {
  double sum = 0.0;
  for (const Span& span : spans)
    for (size_t i = span.begin; i < span.end; ++i)
      sum += static_cast<double>(signal[i]) * signal[i];
  return sum;
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
  CheckInputs(clean, noise);
  const std::vector<Span> spans = MeasuredSpans(clean, args);
  const double clean_energy = EnergyOver(clean, spans);
  const double noise_energy = EnergyOver(noise, spans);
  JSQA_CHECK(noise_energy > 0.0, "noise is silent during active speech");

  MixResult result;
  // Ec / (g² En) = 10^(snr/10)  =>  g = sqrt(Ec / (En · 10^(snr/10))).
  result.noise_gain = std::sqrt(clean_energy / (noise_energy * std::pow(10.0, args.snr_db / 10.0)));
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
      10.0 * std::log10(EnergyOver(result.clean, spans) / EnergyOver(result.scaled_noise, spans));
  return result;
}

}  // namespace jsqa
