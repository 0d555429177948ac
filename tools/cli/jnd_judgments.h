// Listening-test judgments of JND pairs, read from a CSV and turned into
// JND SVM training examples by rebuilding each pair from its recordings.
//
// Columns, found by name in the header row (any order, extra columns
// ignored): clean_path, noise_path, snr_db, delta_db, label (1 = heard as
// the same, 0 = heard as different), and optionally clean_offset_s and
// noise_offset_s (seconds into each recording; empty or absent = 0).
// Relative paths are relative to the CSV's folder.
#pragma once

#include <string>
#include <vector>

#include "augment/jnd_svm.h"

namespace jsqa {

struct JudgmentReadArgs {
  int sample_rate = 16000;       // Hz the pairs are rebuilt and measured at
  double segment_seconds = 4.0;  // pair length; clean is zero-padded, noise looped
};

struct JudgmentSet {
  std::vector<JndJudgment> judgments;
  int skipped = 0;  // rows left out, each logged as a warning naming CSV:LINE and why
};

// Each row: read both recordings, resample, cut the segment at the offsets,
// mix at snr_db and snr_db + delta_db (MixJndPair), measure the features.
// A bad row (missing file, non-numeric field, label not 0/1, silent audio,
// offset past the end) is skipped. Throws UsageError naming the CSV for an
// empty file or a missing required column, jsqa::Error for an unreadable one.
JudgmentSet ReadJudgments(const std::string& csv_path, const JudgmentReadArgs& args);

}  // namespace jsqa
