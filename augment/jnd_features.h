// Features of a candidate JND pair, the input of the JND SVM.
//
// Beyond the parameters (base SNR, Δ), they describe how audible the SNR
// change is for this noise: the log-spectral distance between the two
// level-matched mixtures, and the noise's spectral flatness and level
// fluctuation (stationary, flat noise masks a change differently from
// babble).
#pragma once

#include <array>
#include <string>
#include <vector>

namespace jsqa {

constexpr int kJndFeatureCount = 5;
using JndFeatures = std::array<double, kJndFeatureCount>;
// Positions in JndFeatures (JndFeatureNames() order).
constexpr int kSnr = 0;
constexpr int kDelta = 1;
constexpr int kSpectralDistance = 2;
constexpr int kNoiseFlatness = 3;
constexpr int kNoiseFluctuation = 4;

// Names in order, for CSVs, docs and model files.
const std::array<std::string, kJndFeatureCount>& JndFeatureNames();

// Which features to compute (or a model uses), in JndFeatureNames() order.
using JndFeatureMask = std::array<bool, kJndFeatureCount>;
constexpr JndFeatureMask kAllJndFeatures = {true, true, true, true, true};

// a, b: the two mixtures (same length); noise: the unscaled noise segment;
// sample_rate in Hz. wanted: the spectral features to compute, the others
// being 0 (snr_db and delta_db cost nothing and are always filled in).
// spectral_distance takes two spectra per frame of the mixtures, the
// noise's two features one per frame of the noise: a caller asks only for
// what its model uses (JndSvm::features()), and with none of them no
// spectrum is taken. Features, in order:
//   0 snr_db             the lower of the two SNRs, dB
//   1 delta_db           |snr_b - snr_a|, dB
//   2 spectral_distance  RMS over 32 ms frames of the log-spectral distance
//                        between a and b after matching their RMS level, dB
//   3 noise_flatness     spectral flatness of the noise (geometric / arithmetic
//                        mean of the power spectrum), dB (≤ 0)
//   4 noise_fluctuation  standard deviation of the noise's frame levels, dB
JndFeatures ComputeJndFeatures(const std::vector<float>& a, const std::vector<float>& b,
                               const std::vector<float>& noise, double snr_a_db, double snr_b_db,
                               int sample_rate, const JndFeatureMask& wanted = kAllJndFeatures);

}  // namespace jsqa
