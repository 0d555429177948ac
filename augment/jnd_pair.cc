#include "augment/jnd_pair.h"

#include <algorithm>
#include <cmath>

#include "augment/active_speech_level.h"
#include "augment/mix_sources.h"
#include "pipeline/base/error.h"

namespace jsqa {
namespace {

// One mixture clean + noise_gain·noise before the pair's level rule, and
// what the rule and the peak limit need of it.
struct UnscaledMixture {
  double realised_snr_db = 0.0;
  double energy = 0.0;  // Σ mixture² over the segment (full scale²)
  float peak = 0.0f;    // max |mixture|
};

// Writes mixture[i] = clean[i] + g·noise[i] and scaled_noise[i] = g·noise[i]
// (each rounded once to float) and measures them, in one pass. The sums run
// in double and in sample order, one term per sample: the same figures,
// bit for bit, as MixAtSnr's realised SNR and RmsDbfs and Peak of the
// stored samples (a reordered, vectorised sum would round differently, and
// shards store the realised SNRs).
UnscaledMixture Mix(const std::vector<float>& clean, const std::vector<float>& noise, const MixSources& sources,
                    double snr_db, std::vector<float>& mixture, std::vector<float>& scaled_noise) {
  const double noise_gain = NoiseGain(sources, snr_db);
  const size_t n = clean.size();
  mixture.resize(n);
  scaled_noise.resize(n);
  const bool whole_segment = sources.spans.size() == 1 && sources.spans[0].begin == 0 && sources.spans[0].end == n;
  UnscaledMixture result;
  double noise_energy = 0.0;
  for (size_t i = 0; i < n; ++i) {
    const float noise_sample = static_cast<float>(noise_gain * noise[i]);
    const float mixed = static_cast<float>(clean[i] + noise_gain * noise[i]);
    scaled_noise[i] = noise_sample;
    mixture[i] = mixed;
    noise_energy += static_cast<double>(noise_sample) * noise_sample;
    result.energy += static_cast<double>(mixed) * mixed;
    result.peak = std::max(result.peak, std::abs(mixed));
  }
  JSQA_CHECK(result.energy > 0.0, "clean and scaled noise cancel to silence");
  if (!whole_segment) noise_energy = EnergyOver(scaled_noise, sources.spans);
  result.realised_snr_db = 10.0 * std::log10(sources.clean_energy / noise_energy);
  return result;
}

// The linear gain that brings mixture to the level rule's target.
double LevelGain(const std::vector<float>& mixture, const UnscaledMixture& measured, const JndMixArgs& args) {
  switch (args.level_rule) {
    case LevelRule::kRms:
      return std::pow(10.0, (args.target_dbfs - LevelDbfs(measured.energy, mixture.size())) / 20.0);
    case LevelRule::kActiveSpeech: {
      const ActiveSpeechLevel level = MeasureActiveSpeechLevel(mixture, args.sample_rate);
      JSQA_CHECK(level.any_activity(), "mixture has no active speech (ITU-T P.56)");
      return std::pow(10.0, (args.target_level_db - level.level_db) / 20.0);
    }
  }
  throw Error("unknown level rule");
}

// The level rule's gains for a and b with any peak reduction shared, so
// their levels stay equal.
std::pair<double, double> PairGains(const std::vector<float>& a, const UnscaledMixture& measured_a,
                                    const std::vector<float>& b, const UnscaledMixture& measured_b,
                                    const JndMixArgs& args) {
  double gain_a = LevelGain(a, measured_a, args);
  double gain_b = LevelGain(b, measured_b, args);
  const double peak = std::max(gain_a * measured_a.peak, gain_b * measured_b.peak);
  if (peak > args.max_peak) {
    gain_a *= args.max_peak / peak;
    gain_b *= args.max_peak / peak;
  }
  JSQA_CHECK(std::isfinite(gain_a) && std::isfinite(gain_b) && gain_a > 0 && gain_b > 0,
             "mixture level is not finite");
  return {gain_a, gain_b};
}

// signal[i] *= gain, rounded to float: a loop the compiler vectorises.
void Scale(std::vector<float>& signal, double gain) {
  float* samples = signal.data();
  const size_t n = signal.size();
  for (size_t i = 0; i < n; ++i) samples[i] = static_cast<float>(gain * samples[i]);
}

}  // namespace

void MixJndPair(const std::vector<float>& clean, const std::vector<float>& noise, double snr_a_db,
                double snr_b_db, const JndMixArgs& args, JndPair& pair) {
  JSQA_CHECK(std::isfinite(snr_a_db) && std::isfinite(snr_b_db), "mix SNR must be finite, got ", snr_a_db,
             " and ", snr_b_db, " dB");
  if (args.snr_mode == SnrMode::kActiveSpeech || args.level_rule == LevelRule::kActiveSpeech)
    JSQA_CHECK(args.sample_rate > 0, "mix sample_rate must be > 0, got ", args.sample_rate, " Hz");
  // Checks, P.56 spans and the sources' energies serve both mixtures.
  const MixSources sources = MeasureMixSources(clean, noise, args.snr_mode, args.sample_rate);
  const UnscaledMixture a = Mix(clean, noise, sources, snr_a_db, pair.a, pair.noise_a);
  const UnscaledMixture b = Mix(clean, noise, sources, snr_b_db, pair.b, pair.noise_b);

  const auto [gain_a, gain_b] = PairGains(pair.a, a, pair.b, b, args);
  Scale(pair.a, gain_a);
  Scale(pair.b, gain_b);
  pair.gain_a = gain_a;
  pair.gain_b = gain_b;
  pair.snr_a_db = a.realised_snr_db;
  pair.snr_b_db = b.realised_snr_db;
  pair.clean = clean;
}

void LevelJndPair(const JndMixArgs& args, JndPair& pair) {
  const auto measure = [](const std::vector<float>& mixture) {
    UnscaledMixture measured;
    for (const float x : mixture) {
      measured.energy += static_cast<double>(x) * x;
      measured.peak = std::max(measured.peak, std::abs(x));
    }
    JSQA_CHECK(measured.energy > 0.0, "a degraded mixture is silent");
    return measured;
  };
  const auto [gain_a, gain_b] = PairGains(pair.a, measure(pair.a), pair.b, measure(pair.b), args);
  Scale(pair.a, gain_a);
  Scale(pair.b, gain_b);
  pair.gain_a *= gain_a;
  pair.gain_b *= gain_b;
}

}  // namespace jsqa
