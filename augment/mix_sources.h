// Clean speech and noise checked and measured once, for any number of
// mixtures of them at different SNRs (MixAtSnr mixes one, MixJndPair two).
#pragma once

#include <cstddef>
#include <vector>

#include "augment/mix.h"

namespace jsqa {

// Samples [begin, end) that take part in the SNR.
struct SampleSpan {
  size_t begin;
  size_t end;
};

struct MixSources {
  std::vector<SampleSpan> spans;  // the whole segment, or P.56's active speech in clean
  double clean_energy = 0.0;      // Σ clean² over spans (full scale²)
  double noise_energy = 0.0;      // Σ noise² over spans, > 0
};

// clean and noise must have equal, non-zero length. Throws jsqa::Error for
// non-finite samples, all-zero clean or noise, no active speech
// (kActiveSpeech) or noise silent during it.
MixSources MeasureMixSources(const std::vector<float>& clean, const std::vector<float>& noise,
                             SnrMode snr_mode, int sample_rate);

// The linear gain g on noise that makes Σ clean² / Σ (g·noise)² over the
// spans equal 10^(snr_db / 10).
double NoiseGain(const MixSources& sources, double snr_db);

// Σ x² over spans, in double, in sample order.
double EnergyOver(const std::vector<float>& signal, const std::vector<SampleSpan>& spans);

}  // namespace jsqa
