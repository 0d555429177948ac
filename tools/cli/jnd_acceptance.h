// Acceptance versus Δ: how often a JND SVM accepts a pair (P(heard as the
// same) >= threshold, as synthesis does) as the SNR difference grows, per
// noise environment. Each judgments row gives a pair's speech, noise and
// lower SNR s; the pair is re-mixed at (s, s + Δ) for Δ = 0, step, …,
// delta_max, so every Δ sees the same pairs and only Δ changes.
//
// A filter for "heard as the same" must accept less as Δ grows. The table
// is printed by `jsqa-pipeline jnd-svm train` (on the training rows) and
// `jnd-svm acceptance` (any model, any judgments CSV: e.g. one from
// `jnd-svm prior` over the noise a config will use), beside the same
// table for the published-threshold prior (augment/jnd_prior.h).
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "augment/jnd_svm.h"
#include "tools/cli/jnd_judgments.h"

namespace jsqa {

struct AcceptanceArgs {
  double delta_max_db = 20.0;
  double delta_step_db = 1.0;
  double threshold = 0.5;  // accept when P(same) >= this (jnd.svm_threshold)
  // Rows used per environment, the first in CSV order; 0: all of them.
  int pairs_per_environment = 50;
};

struct AcceptanceTable {
  double threshold = 0.5;
  std::vector<double> deltas_db;          // table rows
  std::vector<std::string> environments;  // table columns, sorted
  std::vector<int> pairs;                 // [environment]
  // Pairs accepted, [environment][delta]: by the SVM, and by the prior
  // (JndSameProbability(s, Δ) >= threshold) on the same pairs.
  std::vector<std::vector<int>> svm_accepted;
  std::vector<std::vector<int>> prior_accepted;
  // Rows left out because their s lies outside the SNR range the model was
  // trained on, and the grid's Δ above the model's Δ range (not measured:
  // such queries are errors, see JndSvm::Probability).
  int rows_out_of_range = 0;
  std::vector<double> deltas_out_of_range_db;
};

// Throws UsageError for a bad grid or threshold, jsqa::Error naming the
// file for audio that cannot be read.
AcceptanceTable MeasureAcceptance(const JndSvm& svm, const std::vector<JudgmentRow>& rows,
                                  const JudgmentReadArgs& read, const AcceptanceArgs& args);

// Two tables, % of pairs accepted: the SVM's (titled with model_name) and
// the prior's, one row per Δ and one column per environment.
void PrintAcceptance(std::ostream& out, const AcceptanceTable& table, const std::string& model_name);

// The first Δ (dB) at which environment's SVM acceptance is higher than at
// the Δ before it; none when it never rises, as a JND filter must not.
std::optional<double> FirstRiseDb(const AcceptanceTable& table, size_t environment);

}  // namespace jsqa
