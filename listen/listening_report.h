// `jsqa-pipeline listen report`: what the listeners' answers say. Per
// listener and pooled, per noise environment: the psychometric function
// fitted by maximum likelihood (listen/psychometric_fit.h), the JND at 50 %
// and 75 % detection with 95 % bootstrap intervals, and a plot; then the
// JND SVM against the listeners on the judged pairs (rebuilt as `jnd-svm
// train` rebuilds them): a given model's accuracy and ROC AUC when it is of
// the test's dimension, and a model trained on the judgments themselves,
// cross-validated. Screening as in the export.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "listen/psychometric_fit.h"

namespace jsqa {

struct ListeningReportArgs {
  std::string svm_model;       // a JND SVM to hold against the listeners; empty: none
  double svm_threshold = 0.5;  // it says "same" when P(same) >= this
  int bootstrap = 1000;        // resamples per JND interval
  int folds = 5;               // cross-validation of the freshly trained SVM
  uint64_t seed = 1;
};

struct JndEstimate {
  std::string who;          // "pooled" or "listener N"
  std::string environment;
  int trials = 0;
  std::optional<PsychometricFit> fit;      // nullopt when it could not be fitted
  std::optional<PsychometricBootstrap> interval;
  std::string failure;      // why there is no fit
  std::vector<PsychometricTrial> answers;  // what was fitted
};

struct SvmAgreement {
  std::string model;
  int pairs = 0;      // judged pairs it answered for
  int skipped = 0;    // outside its training range
  double accuracy = 0.0;  // its same/different against the listeners' answers
  double auc = 0.0;       // ROC AUC of 1 - P(same) for "heard different"
};

struct ListeningReport {
  std::string dimension, chain, task, unit;
  int listeners = 0;
  int included = 0;
  std::vector<std::string> excluded;
  std::vector<JndEstimate> estimates;  // pooled first, then per listener
  std::optional<SvmAgreement> shipped;     // the given model
  std::optional<SvmAgreement> retrained;   // trained on the judgments, cross-validated
  std::string svm_note;  // why an SVM part is missing
};

// Throws jsqa::Error naming the database or the model.
ListeningReport BuildListeningReport(const std::string& db_path, const ListeningReportArgs& args);
std::string ListeningReportText(const ListeningReport& report);
// out_dir/report.md, out_dir/jnd.csv and out_dir/psychometric-<environment>.{png,svg}
// (pooled answers and fit); written under temporary names and renamed.
void WriteListeningReport(const ListeningReport& report, const std::string& out_dir);
// The report without an SVM and with 200 resamples, for the admin page.
std::string ListeningReportMarkdown(const std::string& db_path);

}  // namespace jsqa
