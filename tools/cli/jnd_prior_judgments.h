// A judgments CSV (the columns of jnd_judgments.h) whose labels come from
// the published-threshold prior, JndSameProbability, rather than from
// listeners: how the default JND SVM is made reproducibly.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace jsqa {

struct PriorJudgmentArgs {
  std::vector<std::string> speech;  // audio files, or folders searched for them
  std::vector<std::string> noise;   // likewise; speech clips serve as babble
  int count = 6000;                 // rows
  uint64_t seed = 1;
  // The ranges a trained model will answer for (JndSvm refuses queries
  // farther outside them than kJndRangeToleranceDb), so they cover what a
  // config may ask: Δ up to 20 dB (the ablations sweep Δ to 6 dB; beyond the
  // JND every pair is labelled different, and the model must have seen
  // that), and lower SNRs from s_min - Δ_max (a draw may go down) to s_max.
  double snr_min_db = -30.0;  // lower SNR s ~ U[snr_min, snr_max)
  double snr_max_db = 30.0;
  double delta_max_db = 24.0;    // Δ ~ U[0, delta_max); the pair is (s, s + Δ)
  double segment_seconds = 4.0;  // offsets leave a whole segment where they can
};

struct PriorJudgmentSummary {
  int rows = 0;
  int same = 0;  // rows labelled 1
  int speech_files = 0;
  int noise_files = 0;
};

// Row i draws everything (files, offsets, s, Δ, label) from CounterRng(seed,
// i), so the file depends only on the arguments. SNRs are rounded to 0.01
// dB before the label is drawn. Paths inside the CSV's folder are written
// relative to it, others absolute. Throws UsageError for bad arguments or
// inputs with no audio files, jsqa::Error naming the file for unreadable
// audio or a failed write.
PriorJudgmentSummary WritePriorJudgments(const std::string& csv_path, const PriorJudgmentArgs& args);

}  // namespace jsqa
