// Active speech level after ITU-T P.56 (03/2011), method B: the level of a
// speech signal over the time it is active, as every speech level in the
// pipeline means it (the level rule, the active SNR mode, the quiet-speech
// checks, the corpus report).
//
// The Recommendation's envelope and hangover, at any sampling rate:
//   - |x| through two cascaded one-pole smoothers with time constant 0.03 s
//     (g = exp(−1 / (0.03 · fs))): p = g·p + (1−g)·|x|, q = g·q + (1−g)·p;
//   - 15 thresholds c_j = 2^(j−15), j = 0..14, from 1 LSB of 16-bit audio
//     to half full scale, 6.02 dB apart;
//   - a sample counts as active for threshold j while q ≥ c_j and for a
//     hangover of 0.2 s after q falls below it;
//   - with A_j = 10·log10(Σx² / active_j) and C_j = 20·log10(c_j), the
//     active level is where A_j − C_j equals the margin M = 15.9 dB,
//     interpolated (in dB) between the two thresholds that bracket it.
//
// Levels are dBov: 0 dBov is the RMS of a full-scale square wave (samples
// in [−1, 1]), so a full-scale sine is −3.01 dBov. No band-pass filter is
// applied (the Recommendation leaves it to the measurement set-up; the
// pipeline's speech is already band-limited by its corpus).
#pragma once

#include <cstddef>
#include <vector>

namespace jsqa {

struct ActiveSpeechLevel {
  double level_db;      // active speech level, dBov; −inf when nothing is active
  double activity;      // active fraction of the samples, in [0, 1]
  double long_term_db;  // RMS level over all samples, dBov; −inf for silence

  bool any_activity() const { return activity > 0.0; }
};

// samples: mono, any length (a segment or a whole file); sample_rate in Hz.
ActiveSpeechLevel MeasureActiveSpeechLevel(const float* samples, size_t count, int sample_rate);
inline ActiveSpeechLevel MeasureActiveSpeechLevel(const std::vector<float>& samples, int sample_rate) {
  return MeasureActiveSpeechLevel(samples.data(), samples.size(), sample_rate);
}

// The samples P.56 counts as active at the level's own threshold: the
// threshold c* where A − C meets the margin, 20·log10(c*) = level_db − M,
// so the mask matches the level measured above (same envelope, same 0.2 s
// hangover). [count] entries, 1 = active; all zero when level_db is −inf.
// This is what the active SNR mode sums energies over.
std::vector<unsigned char> ActiveSpeechMask(const float* samples, size_t count, int sample_rate,
                                            double level_db);
inline std::vector<unsigned char> ActiveSpeechMask(const std::vector<float>& samples, int sample_rate,
                                                   double level_db) {
  return ActiveSpeechMask(samples.data(), samples.size(), sample_rate, level_db);
}

}  // namespace jsqa
