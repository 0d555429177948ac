// Mixing speech and noise at an exact SNR, and level normalisation.
//
// SNR is the realised one: 10·log10(Σ clean² / Σ noise_scaled²) over the
// segment (or over its active speech, see SnrMode::kActiveSpeech),
// computed in double precision; MixResult records exactly what was done.
#pragma once

#include <cstddef>
#include <vector>

namespace jsqa {

enum class SnrMode {
  // Energies summed over the whole segment.
  kWholeSegment,
  // Clean and noise energy over the samples ITU-T P.56 counts as active in
  // the clean speech (ActiveSpeechMask at its active level): the SNR a
  // listener hears during speech, with pauses left out.
  kActiveSpeech,
};

struct MixArgs {
  double snr_db = 10.0;
  SnrMode snr_mode = SnrMode::kWholeSegment;
  int sample_rate = 16000;  // Hz of clean and noise, for P.56's time constants
  // Target RMS of the mixture in dBFS (full scale = 1.0, so a full-scale sine
  // is -3.01 dBFS). NaN leaves the level as mixed.
  double target_dbfs = -25.0;
  // If the normalised mixture would exceed this peak (linear), the whole
  // mixture (and its components) is scaled down further to meet it and the
  // gain recorded, never clipped.
  double max_peak = 0.99;
};

struct MixResult {
  std::vector<float> mixture;       // gain * (clean + noise_gain * noise)
  std::vector<float> clean;         // gain * clean, the speech component as stored
  std::vector<float> scaled_noise;  // gain * noise_gain * noise
  double noise_gain = 0.0;          // applied to noise before adding (linear)
  double gain = 1.0;                // applied to the sum (level + peak), linear
  bool peak_limited = false;        // gain was reduced to avoid clipping
  double realised_snr_db = 0.0;     // measured on the stored components
};

// clean and noise must have equal, non-zero length. Throws jsqa::Error for
// all-zero (or, in active mode, no active speech) clean or noise, or
// non-finite samples, so a bad item never yields NaN.
MixResult MixAtSnr(const std::vector<float>& clean, const std::vector<float>& noise,
                   const MixArgs& args);

// Σ x² in double.
double Energy(const std::vector<float>& signal);
// 10·log10(Energy(clean) / Energy(noise)); throws if noise energy is zero.
double SnrDb(const std::vector<float>& clean, const std::vector<float>& noise);
// RMS level in dBFS (20·log10(rms)); -inf for silence.
double RmsDbfs(const std::vector<float>& signal);
// The same level from a signal's Energy and its length in samples (> 0).
double LevelDbfs(double energy, size_t samples);
// Peak |x|.
double Peak(const std::vector<float>& signal);

}  // namespace jsqa
