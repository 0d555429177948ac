// [jnd]: how JND pairs are drawn, mixed and judged.
#pragma once

#include <string>

#include "augment/counter_rng.h"
#include "augment/jnd_pair.h"
#include "pipeline/base/config.h"

namespace jsqa {

struct JndConfig : ConfigSection {
  double snr_min_db = -5.0;  // base SNR s ~ snr_distribution over [min, max]
  double snr_max_db = 20.0;
  std::string snr_distribution = "uniform";  // uniform | triangular (mode at the midpoint)
  double delta_min_db = 0.0;  // Δ ~ delta_distribution over [min, max]
  double delta_max_db = 3.0;
  // uniform, or triangular: density falling linearly from delta_min to
  // zero at delta_max (more pairs near the smallest differences).
  std::string delta_distribution = "uniform";
  std::string snr_mode = "segment";  // segment | active (see augment/mix.h)
  double target_dbfs = -25.0;        // RMS level of both mixtures
  std::string svm_model = "configs/jnd-svm.model";  // empty: accept every pair
  double svm_threshold = 0.5;  // accept when P(heard as the same) >= this
  int max_draws = 8;           // draws per segment before the pair is dropped

  void Register(po::options_description& options, const std::string& prefix) override;
  void Validate(const std::string& prefix) const override;
  std::string ToString() const override;

  // Draws (s, Δ) with the sign of Δ: returns snr_a = s, snr_b = s ± Δ.
  std::pair<double, double> DrawSnrs(CounterRng& rng) const;
  JndMixArgs Mixing(int sample_rate) const;
};

}  // namespace jsqa
