// A judged pair rebuilt as it was heard, for training or testing a JND
// SVM: the speech mixed with the noise at (snr_db, snr_db + delta_db) by
// MixJndPair (default level), each side sent through its chain with the
// recorded draws and levelled again, and the pair's JND features. A pair
// of a dimension other than snr carries its Δ, in the dimension's unit, in
// the delta_db slot (JndModelDimension). `jnd-svm train` rebuilds the rows
// of a judgments CSV with it, and `listen report` a test's trials.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "augment/degradations/degradation_chain.h"
#include "augment/jnd_features.h"

namespace jsqa {

struct HeardPair {
  double snr_db = 0.0;  // the lower SNR s; the mixtures are at s and s + delta_db
  double delta_db = 0.0;
  std::vector<ChainStep> steps_a, steps_b;  // after the noise
  uint64_t chain_seed = 0, chain_key = 0;
  std::optional<double> dimension_delta;  // set for a dimension other than snr
};

// clean and noise: the pair's segments, the same length, at sample_rate
// (kDegradationRate when there are steps). Throws jsqa::Error for silent
// input or a step that fails.
JndFeatures HeardPairFeatures(const std::vector<float>& clean, const std::vector<float>& noise,
                              const HeardPair& pair, int sample_rate);

}  // namespace jsqa
