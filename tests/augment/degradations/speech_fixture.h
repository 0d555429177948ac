// Real speech for the degradation tests: the first 4 s of a LibriVox clip
// at 16 kHz (pocketsphinx-testdata), read once.
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

#include "augment/audio_io.h"
#include "augment/degradations/degradation.h"
#include "pipeline/base/error.h"
#include "tests/test_support.h"

namespace jsqa::testing {

inline const std::vector<float>& FourSecondsOfSpeech() {
  static const std::vector<float> speech = [] {
    std::vector<float> samples = ReadAudio(LibrivoxClips()[0]).samples;
    samples.resize(std::min<size_t>(samples.size(), 4 * kDegradationRate));
    return samples;
  }();
  return speech;
}

// 10·log10(Σ reference² / Σ (other − reference)²): how far other is from
// reference, as an SNR in dB.
inline double SnrOfDifferenceDb(const std::vector<float>& reference, const std::vector<float>& other) {
  double signal = 0.0, difference = 0.0;
  for (size_t i = 0; i < reference.size(); ++i) {
    signal += static_cast<double>(reference[i]) * reference[i];
    const double d = static_cast<double>(other[i]) - reference[i];
    difference += d * d;
  }
  return 10.0 * std::log10(signal / difference);
}

}  // namespace jsqa::testing
