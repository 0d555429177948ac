// Listeners' answers as the judgments CSV that `jsqa-pipeline jnd-svm
// train --judgments` reads (tools/cli/jnd_judgments.h), after screening:
// listeners who failed the headphone check or the catch trials are left
// out and counted. Only staircase trials are exported (catch and headphone
// trials say nothing about the JND).
//
// Columns: clean_path, clean_offset_s, noise_path, noise_offset_s, snr_db,
// delta_db, label (1 = heard as the same), then dimension, chain (the
// condition), chain_b (B's steps), delta (in the dimension's unit),
// chain_seed, chain_key (the steps' random draws), environment, listener,
// trial: with them `jnd-svm train` rebuilds each pair as it was heard. For
// the snr dimension (snr_db, snr_db + delta_db) is the pair; for others
// snr_db is the condition's SNR and delta_db is 0. Labels: n-AFC, a right
// answer = heard different (0), a wrong one = 1 (it includes lucky
// guesses: P(right) = γ + (1 − γ)·P(heard)); same/different, "same" = 1.
#pragma once

#include <string>
#include <vector>

#include "listen/listen_config.h"

namespace jsqa {

struct JudgmentExport {
  std::string csv;
  int listeners = 0;          // in the database
  int included = 0;           // passed screening
  std::vector<std::string> excluded;  // "listener 3: headphone check 2/6 correct (needs 5)"
  int rows = 0;
  double stimulus_seconds = 0.0;  // pass as jnd-svm train --segment-seconds
};

// Reads db_path (its recorded [listen] config decides the task, the
// screening and the labels). Throws jsqa::Error naming the database.
JudgmentExport ExportJudgments(const std::string& db_path);

}  // namespace jsqa
