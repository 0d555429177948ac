// [jnd]: how JND pairs are drawn, mixed and judged.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "augment/counter_rng.h"
#include "augment/jnd_pair.h"
#include "pipeline/base/config.h"
#include "pipeline/base/skip_reason.h"
#include "pipeline/synthesis/chain_plan.h"

namespace jsqa {

// How a value is drawn over [min, max]. Triangular: for the base SNR a
// symmetric triangle with its mode at the midpoint; for Δ a density falling
// linearly from delta_min to zero at delta_max (more pairs near the
// smallest differences).
enum class Distribution { kUniform, kTriangular };

struct JndConfig : ConfigSection {
  double snr_min_db = -5.0;  // base SNR s ~ snr_distribution over [min, max]
  double snr_max_db = 20.0;
  Distribution snr_distribution = Distribution::kUniform;
  double delta_min_db = 0.0;  // Δ ~ delta_distribution over [min, max]
  double delta_max_db = 3.0;
  Distribution delta_distribution = Distribution::kUniform;
  SnrMode snr_mode = SnrMode::kWholeSegment;  // see augment/mix.h
  LevelRule level_rule = LevelRule::kRms;      // see augment/jnd_pair.h
  double target_dbfs = -25.0;                 // level_rule = rms: RMS level of both mixtures
  double target_level_db = -26.0;             // level_rule = active: P.56 active level, dBov
  // Speech segments the pairs are made of (P.56, augment/active_speech_level.h):
  double min_speech_level_db = -60.0;  // under it: skipped as quiet_speech
  double min_speech_activity = 0.2;    // active fraction under it: skipped as mostly_silence
  double max_gain_db = 40.0;           // level rule's gain on the speech over it: gain_too_large
  // Noise segments with a run of exact zeros longer than this are redrawn;
  // recordings with over max_noise_dropout_fraction in such runs are left out.
  double max_noise_dropout_ms = 50.0;
  double max_noise_dropout_fraction = 0.5;
  // Speech files clipped at the source are counted (clipped_speech_files);
  // with this, their segments are skipped as clipped too.
  bool skip_clipped_speech = false;
  std::string svm_model = "configs/jnd-svm.model";  // empty: accept every pair
  std::string svm_models;  // SVMs of other dimensions, "codec_mode:FILE, loss_rate:FILE"
  double svm_threshold = 0.5;  // accept when P(heard as the same) >= this
  int max_draws = 8;           // draws per segment before the pair is dropped
  // Degradation chains and JND dimensions (pipeline/synthesis/chain_plan.h).
  std::string chains = "noise";
  std::string dimensions = "snr";
  std::string deltas;  // largest Δ per non-SNR dimension, "cutoff:0.5"; unnamed: its default

  void Declare(KeyDeclarations& keys) override;
  void ValidateTogether(const std::string& prefix) const override;

  // Draws (s, Δ) with the sign of Δ: returns snr_a = s, snr_b = s ± Δ.
  std::pair<double, double> DrawSnrs(CounterRng& rng) const;
  JndMixArgs Mixing(int sample_rate) const;
  // chains and dimensions parsed (checked once already by ValidateTogether).
  std::vector<WeightedChain> ParsedChains() const;
  std::vector<WeightedDimension> ParsedDimensions() const;
  // svm_models as (dimension, file) pairs (checked by ValidateTogether).
  std::vector<std::pair<std::string, std::string>> ParsedSvmModels() const;
  int64_t DropoutSamples(int sample_rate) const;
  // The segment's reason to be skipped, if any: quiet, mostly silent, or
  // needing more than max_gain_db to reach the level rule's target.
  std::optional<SkipReason> SpeechSegmentProblem(const std::vector<float>& clean, int sample_rate,
                                                 std::string* why) const;
};

}  // namespace jsqa
