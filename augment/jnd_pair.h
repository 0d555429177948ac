// A JND pair: the same clean segment mixed with the same noise segment at two
// SNRs, s and s ± Δ, with Δ drawn around the human SNR JND (≈3 dB;
// McShefferty, Whitmer & Akeroyd 2015).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "augment/mix.h"

namespace jsqa {

struct JndPair {
  // Identity: which utterance segment, which noise, where.
  std::string utterance_id;
  int32_t segment = 0;      // segment index within the utterance
  int64_t item_index = 0;   // global position in the synthesis order
  std::string noise_id;
  int64_t noise_offset = 0;  // first noise sample used, at the output rate
  // Realised SNRs of the stored mixtures (dB); snr_b = snr_a ± Δ.
  double snr_a_db = 0.0;
  double snr_b_db = 0.0;
  double jnd_probability = 0.0;  // SVM's P(heard as the same)
  int32_t draws = 1;             // parameter draws until the SVM accepted
  // Both mixtures have the same RMS level; gain_* are the linear gains that
  // were applied to (clean + noise_*) to reach it (see MixJndPair).
  double gain_a = 1.0;
  double gain_b = 1.0;
  // What the pair differs in and how each mixture was degraded after the
  // noise: dimension as jnd.dimensions names it ("snr" for noise-only
  // pairs), chain as configured ("noise>amr_wb>packet_loss"), steps_* a
  // JSON array of the steps after the noise as applied to each mixture,
  // [{"degradation", "strength", "realised": {name: value}}], "[]" for none.
  std::string dimension = "snr";
  std::string chain = "noise";
  std::string steps_a = "[]";
  std::string steps_b = "[]";
  std::vector<float> a;  // [segment_samples] mixture at snr_a
  std::vector<float> b;  // [segment_samples] mixture at snr_b
  // Components, before the output gains: a = gain_a * (clean + noise_a),
  // b = gain_b * (clean + noise_b); snr_* = 10·log10(Σclean² / Σnoise_*²).
  // With steps after the noise, a and b are those steps applied to the
  // sums, then brought back to the level rule's level.
  std::vector<float> clean;
  std::vector<float> noise_a;
  std::vector<float> noise_b;
};

// What "the same level" of a pair's two mixtures means.
enum class LevelRule {
  kRms,           // RMS over the segment at JndMixArgs::target_dbfs
  kActiveSpeech,  // ITU-T P.56 active speech level at JndMixArgs::target_level_db (dBov)
};

struct JndMixArgs {
  int sample_rate = 16000;  // Hz, for P.56's time constants
  SnrMode snr_mode = SnrMode::kWholeSegment;
  LevelRule level_rule = LevelRule::kRms;
  double target_dbfs = -25.0;      // kRms: RMS level of both mixtures
  double target_level_db = -26.0;  // kActiveSpeech: active speech level of both, dBov (NISQA's)
  double max_peak = 0.99;          // linear; both mixtures share any extra reduction
};

// Mixes clean with noise at snr_a_db and snr_b_db and fills pair's a, b,
// clean, noise_a, noise_b, gain_a, gain_b, snr_a_db and snr_b_db (realised).
//
// The level rule: each mixture is scaled to the same level (args.level_rule:
// RMS at args.target_dbfs, or P.56 active level at args.target_level_db),
// so the pair differs in SNR and not in loudness; if
// either would then peak above args.max_peak, both are scaled down by the
// same factor, keeping their levels equal (never clipped). Throws
// jsqa::Error for silent or non-finite inputs (see MixAtSnr).
void MixJndPair(const std::vector<float>& clean, const std::vector<float>& noise, double snr_a_db,
                double snr_b_db, const JndMixArgs& args, JndPair& pair);

// Brings pair.a and pair.b back to the level rule's target, with any peak
// reduction shared, after later steps of a degradation chain (a codec, a
// room, clipping) changed their levels; multiplies gain_a and gain_b by
// the gains applied. Throws jsqa::Error for a silent mixture.
void LevelJndPair(const JndMixArgs& args, JndPair& pair);

}  // namespace jsqa
