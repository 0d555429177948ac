// Listening-test judgments of JND pairs, read from a CSV and turned into
// JND SVM training examples by rebuilding each pair from its recordings.
//
// Columns, found by name in the header row (any order, extra columns
// ignored): clean_path, noise_path, snr_db, delta_db, label (1 = heard as
// the same, 0 = heard as different), and optionally clean_offset_s and
// noise_offset_s (seconds into each recording; empty or absent = 0).
// Relative paths are relative to the CSV's folder.
//
// Pairs of any JND dimension and chain (a listening test's export,
// listen/judgment_export.h) add: dimension (absent: snr), chain and
// chain_b (A's and B's steps after the noise, "noise>opus(16)"; absent:
// noise alone; chain_b absent: chain), chain_seed and chain_key (the
// steps' random draws, ApplyChain), and delta (Δ in the dimension's unit;
// required for a dimension other than snr, whose rows have delta_db 0).
// The pair is mixed at (snr_db, snr_db + delta_db), each side sent through
// its chain and levelled again; a dimension other than snr puts delta in
// the features' delta_db slot (JndModelDimension).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "augment/degradations/degradation_chain.h"
#include "augment/jnd_svm.h"

namespace jsqa {

struct JudgmentReadArgs {
  int sample_rate = 16000;       // Hz the pairs are rebuilt and measured at
  double segment_seconds = 4.0;  // pair length; clean is zero-padded, noise looped
  // The dimension whose rows are read; empty: the file's only one (snr
  // when it has no dimension column).
  std::string dimension;
};

// A row as read, enough to rebuild its pair at another Δ (the acceptance
// table of jnd_acceptance.h does).
struct JudgmentRow {
  int line = 0;            // in the CSV, 1-based
  std::string clean_path;  // resolved against the CSV's folder
  std::string noise_path;
  int64_t clean_offset = 0;  // samples at JudgmentReadArgs::sample_rate
  int64_t noise_offset = 0;
  double snr_db = 0.0;  // the lower SNR s; the pair is (s, s + delta_db)
  double delta_db = 0.0;
  int label = 0;
  std::string dimension = "snr";
  std::vector<ChainStep> steps_a, steps_b;  // after the noise
  uint64_t chain_seed = 0, chain_key = 0;
  double delta = 0.0;  // in the dimension's unit (snr: delta_db)
};

struct JudgmentSet {
  std::vector<JndJudgment> judgments;
  std::vector<JudgmentRow> rows;  // rows[i] made judgments[i]
  int skipped = 0;  // rows left out, each logged as a warning naming CSV:LINE and why
  std::string dimension;      // the dimension read
  int other_dimensions = 0;  // rows of other dimensions: left out
};

// The clean and noise segments of a row, as ReadJudgments mixes them:
// speech cropped at its offset and zero-padded, noise looped. Recordings
// are decoded and resampled once and kept (a listening test reuses a few
// stimuli across many rows). Not thread-safe.
class JudgmentAudio {
 public:
  explicit JudgmentAudio(const JudgmentReadArgs& args) : args_(args) {}

  struct Segments {
    std::vector<float> clean;  // [segment samples]
    std::vector<float> noise;  // [segment samples]
  };
  // Throws jsqa::Error naming the file for unreadable audio or an offset
  // past its end.
  Segments Get(const JudgmentRow& row);

 private:
  const std::vector<float>& Recording(const std::string& path);

  JudgmentReadArgs args_;
  std::map<std::string, std::vector<float>> cache_;
};

// Each row: read both recordings, resample, cut the segment at the offsets,
// mix at snr_db and snr_db + delta_db (MixJndPair), measure the features.
// A bad row (missing file, non-numeric field, label not 0/1, silent audio,
// offset past the end, a chain that does not parse) is skipped. Throws
// UsageError naming the CSV for an empty file, a missing required column,
// or several dimensions and none chosen; jsqa::Error for an unreadable one.
JudgmentSet ReadJudgments(const std::string& csv_path, const JudgmentReadArgs& args);

}  // namespace jsqa
