#include "augment/mix_sources.h"

#include <cmath>

#include "augment/active_speech_level.h"
#include "pipeline/base/error.h"

namespace jsqa {
namespace {

struct WholeEnergies {
  double clean = 0.0;
  double noise = 0.0;
};

// Σ clean² and Σ noise² in one pass. A non-finite sample makes its sum
// non-finite (a finite float squared is at most 1.2e77), which is how the
// caller finds one without testing every sample.
WholeEnergies SumSquares(const std::vector<float>& clean, const std::vector<float>& noise) {
  WholeEnergies sums;
  for (size_t i = 0; i < clean.size(); ++i) {
    sums.clean += static_cast<double>(clean[i]) * clean[i];
    sums.noise += static_cast<double>(noise[i]) * noise[i];
  }
  return sums;
}

[[noreturn]] void ThrowFirstNonFinite(const std::vector<float>& clean, const std::vector<float>& noise) {
  for (size_t i = 0; i < clean.size(); ++i) {
    JSQA_CHECK(std::isfinite(clean[i]), "clean sample ", i, " is not finite");
    JSQA_CHECK(std::isfinite(noise[i]), "noise sample ", i, " is not finite");
  }
  throw Error("a mix input's energy is not finite");
}

// The samples ITU-T P.56 counts as active in the clean signal, merged
// into spans. Never empty once the clean signal is known not to be silent:
// its loudest stretch is always above the level's own threshold.
std::vector<SampleSpan> ActiveSpeechSpans(const std::vector<float>& clean, int sample_rate) {
  const ActiveSpeechLevel level = MeasureActiveSpeechLevel(clean, sample_rate);
  JSQA_CHECK(level.any_activity(), "clean speech has no active speech (ITU-T P.56)");
  const std::vector<unsigned char> active = ActiveSpeechMask(clean, sample_rate, level.level_db);
  std::vector<SampleSpan> spans;
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

}  // namespace

MixSources MeasureMixSources(const std::vector<float>& clean, const std::vector<float>& noise,
                             SnrMode snr_mode, int sample_rate) {
  JSQA_CHECK(!clean.empty(), "cannot mix zero-length signals");
  JSQA_CHECK(clean.size() == noise.size(), "clean and noise lengths differ: ", clean.size(), " vs ",
             noise.size(), " samples");
  const WholeEnergies whole = SumSquares(clean, noise);
  if (!std::isfinite(whole.clean) || !std::isfinite(whole.noise)) ThrowFirstNonFinite(clean, noise);
  JSQA_CHECK(whole.clean > 0.0, "clean speech is silent (all zeros)");
  JSQA_CHECK(whole.noise > 0.0, "noise is silent (all zeros)");

  MixSources sources;
  if (snr_mode == SnrMode::kActiveSpeech) {
    sources.spans = ActiveSpeechSpans(clean, sample_rate);
    sources.clean_energy = EnergyOver(clean, sources.spans);
    sources.noise_energy = EnergyOver(noise, sources.spans);
    JSQA_CHECK(sources.noise_energy > 0.0, "noise is silent during active speech");
  } else {
    // Over the whole segment the sums above are the ones wanted, term for
    // term in the same order.
    sources.spans = {{0, clean.size()}};
    sources.clean_energy = whole.clean;
    sources.noise_energy = whole.noise;
  }
  return sources;
}

double NoiseGain(const MixSources& sources, double snr_db) {
  // Ec / (g² En) = 10^(snr/10)  =>  g = sqrt(Ec / (En · 10^(snr/10))).
  return std::sqrt(sources.clean_energy / (sources.noise_energy * std::pow(10.0, snr_db / 10.0)));
}

double EnergyOver(const std::vector<float>& signal, const std::vector<SampleSpan>& spans) {
  double sum = 0.0;
  for (const SampleSpan& span : spans)
    for (size_t i = span.begin; i < span.end; ++i) sum += static_cast<double>(signal[i]) * signal[i];
  return sum;
}

}  // namespace jsqa
