#include "listen/listening_report.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <sstream>

#include "augment/counter_rng.h"
#include "augment/degradations/jnd_dimension.h"
#include "augment/jnd_features.h"
#include "augment/jnd_svm.h"
#include "listen/listener_answers.h"
#include "listen/listening_condition.h"
#include "listen/listening_store.h"
#include "listen/trial_recordings.h"
#include "pipeline/base/config_keys.h"
#include "pipeline/base/csv.h"
#include "pipeline/base/error.h"
#include "pipeline/base/text_files.h"
#include "pipeline/reports/plot.h"

namespace jsqa {
namespace fs = std::filesystem;
namespace {

constexpr int kRate = 16000;  // Hz of the stimuli (and the trials' offsets)

JndEstimate Estimate(const std::string& who, const std::string& environment,
                     std::vector<PsychometricTrial> answers, const PsychometricFitArgs& fit_args,
                     const ListeningReportArgs& args) {
  JndEstimate estimate;
  estimate.who = who;
  estimate.environment = environment;
  estimate.trials = static_cast<int>(answers.size());
  try {
    estimate.fit = FitPsychometric(answers, fit_args);
    estimate.interval = BootstrapJnd(answers, fit_args, args.bootstrap,
                                     MixKeys(args.seed, StableHash64(who + "/" + environment)));
  } catch (const Error& e) {
    estimate.fit.reset();
    estimate.failure = e.what();
  }
  estimate.answers = std::move(answers);
  return estimate;
}

// A judged pair's features (HeardPairFeatures) and what the listener heard.
struct JudgedPair {
  JndFeatures features{};
  int heard_same = 0;
};

// ROC AUC of scores for positives (Mann-Whitney, ties counted half).
double RocAuc(const std::vector<double>& scores, const std::vector<int>& positive) {
  double wins = 0.0;
  int64_t pairs = 0;
  for (size_t i = 0; i < scores.size(); ++i)
    for (size_t j = 0; j < scores.size(); ++j)
      if (positive[i] && !positive[j]) {
        ++pairs;
        wins += scores[i] > scores[j] ? 1.0 : scores[i] == scores[j] ? 0.5 : 0.0;
      }
  return pairs > 0 ? wins / static_cast<double>(pairs) : std::nan("");
}

// Scores P(same) of an SVM against the pairs' labels.
void Score(const JndSvm& svm, const std::vector<const JudgedPair*>& pairs, double threshold, SvmAgreement& agreement,
           std::vector<double>& scores, std::vector<int>& different) {
  for (const JudgedPair* pair : pairs) {
    double same = 0.0;
    try {
      same = svm.Probability(pair->features);
    } catch (const Error&) {
      ++agreement.skipped;  // outside the model's training range
      continue;
    }
    ++agreement.pairs;
    if ((same >= threshold) == (pair->heard_same == 1)) agreement.accuracy += 1.0;
    scores.push_back(1.0 - same);
    different.push_back(pair->heard_same == 0);
  }
}

SvmAgreement ShippedAgreement(const JndSvm& svm, const std::vector<JudgedPair>& pairs, double threshold) {
  SvmAgreement agreement;
  agreement.model = svm.name();
  std::vector<const JudgedPair*> all;
  for (const JudgedPair& pair : pairs) all.push_back(&pair);
  std::vector<double> scores;
  std::vector<int> different;
  Score(svm, all, threshold, agreement, scores, different);
  if (agreement.pairs > 0) agreement.accuracy /= agreement.pairs;
  agreement.auc = RocAuc(scores, different);
  return agreement;
}

// k-fold cross-validation of an SVM trained on the judgments: each pair is
// scored by a model that never saw it. Folds from a seeded shuffle.
SvmAgreement CrossValidated(const std::vector<JudgedPair>& pairs, const std::string& dimension,
                            const ListeningReportArgs& args) {
  std::vector<size_t> order(pairs.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  CounterRng rng(args.seed, StableHash64("listen-report-folds"));
  for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.UniformInt(i)]);
  SvmAgreement agreement;
  agreement.model = std::to_string(args.folds) + "-fold cross-validated SVM trained on these judgments";
  std::vector<double> scores;
  std::vector<int> different;
  JndSvmTrainArgs train;
  // Every pair of a test shares its condition, so its lower SNR is the
  // condition minus Δ: snr_db would only repeat delta_db, and the SVM's
  // monotone envelope (which holds snr_db still) would read it off its
  // training line. Δ and the spectral distance carry what there is.
  train.features = ParseJndFeatureList("delta_db,spectral_distance");
  train.dimension = {dimension, FindJndDimension(dimension).default_delta};
  train.seed = args.seed;
  for (int fold = 0; fold < args.folds; ++fold) {
    std::vector<JndJudgment> training;
    std::vector<const JudgedPair*> held_out;
    for (size_t i = 0; i < order.size(); ++i) {
      const JudgedPair& pair = pairs[order[i]];
      if (static_cast<int>(i % static_cast<size_t>(args.folds)) == fold) held_out.push_back(&pair);
      else training.push_back({pair.features, pair.heard_same});
    }
    try {
      const JndSvm svm = JndSvm::Train(training, train);
      Score(svm, held_out, args.svm_threshold, agreement, scores, different);
    } catch (const Error&) {
      agreement.skipped += static_cast<int>(held_out.size());  // a fold with one label only
    }
  }
  if (agreement.pairs > 0) agreement.accuracy /= agreement.pairs;
  agreement.auc = RocAuc(scores, different);
  return agreement;
}

std::string Fixed(double value, int digits = 2) { return std::isfinite(value) ? FormatFixed(value, digits) : "–"; }

std::string FileSafe(const std::string& name) {
  std::string safe;
  for (char c : name) safe += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return safe;
}

}  // namespace

ListeningReport BuildListeningReport(const std::string& db_path, const ListeningReportArgs& args) {
  const ListeningStore store(db_path);
  const ListenConfig config = StoredListenConfig(store);
  ListeningReport report;
  report.dimension = config.dimension;
  report.chain = config.chain;
  report.task = TaskName(config.task);
  report.unit = FindJndDimension(config.dimension).delta_unit;
  PsychometricFitArgs fit_args;
  fit_args.guess_rate = GuessRate(config.task);
  std::map<std::string, std::vector<PsychometricTrial>> pooled;
  std::vector<JndEstimate> per_listener;
  std::vector<const StoredTrial*> judged;
  const ScreenedListeners screened = ScreenListeners(store, config.Screening());
  report.listeners = screened.listeners;
  report.included = static_cast<int>(screened.included.size());
  report.excluded = screened.excluded;
  for (const auto& [listener, trials] : screened.included) {
    for (auto& [environment, answers] : StaircaseAnswers(trials)) {
      pooled[environment].insert(pooled[environment].end(), answers.begin(), answers.end());
      per_listener.push_back(Estimate("listener " + std::to_string(listener.id), environment, answers, fit_args, args));
    }
    for (const StoredTrial& trial : trials)
      if (trial.choice && trial.kind == TrialKind::kListening) judged.push_back(&trial);
  }
  for (auto& [environment, answers] : pooled)
    report.estimates.push_back(Estimate("pooled", environment, answers, fit_args, args));
  for (JndEstimate& estimate : per_listener) report.estimates.push_back(std::move(estimate));

  if (judged.empty()) {
    report.svm_note = "no judged pairs from included listeners";
  } else {
    // Each pair rebuilt as `jnd-svm train` rebuilds an exported row.
    const ListeningCondition condition =
        ParseListeningCondition(config.chain, config.dimension, config.snr_db, "listen");
    TrialRecordings recordings(config.stimulus_seconds);
    std::vector<JudgedPair> pairs;
    for (const StoredTrial* trial : judged) {
      const TrialRecordings::Segments segments = recordings.Get(*trial);
      pairs.push_back({HeardPairFeatures(segments.clean, segments.noise, HeardPairOf(*trial, condition, config),
                                         kRate),
                       HeardSame(*trial, config.task)});
    }
    if (!args.svm_model.empty()) {
      JndSvm svm = JndSvm::Load(args.svm_model);
      if (svm.dimension().name == config.dimension)
        report.shipped = ShippedAgreement(svm, pairs, args.svm_threshold);
      else
        report.svm_note = args.svm_model + " judges " + svm.dimension().name + " pairs, not " + config.dimension;
    }
    if (static_cast<int>(pairs.size()) >= 2 * args.folds)
      report.retrained = CrossValidated(pairs, config.dimension, args);
    else
      report.svm_note = "too few judged pairs to cross-validate a freshly trained SVM";
  }
  return report;
}

std::string ListeningReportText(const ListeningReport& report) {
  std::ostringstream out;
  out << "# Listening test: " << report.dimension << " JND around " << report.chain << " (" << report.task << ")\n\n";
  out << "Listeners: " << report.listeners << ", included " << report.included << ", excluded "
      << report.excluded.size() << ".\n";
  for (const std::string& line : report.excluded) out << "- excluded " << line << "\n";
  out << "\n## JND per environment (" << report.unit << ")\n\n"
      << "JND50 / JND75: Δ where the guess-corrected detection probability is 50 % / 75 % (logistic fit, "
         "maximum likelihood); 95 % intervals from a bootstrap over trials.\n\n"
      << "| who | environment | trials | JND50 | 95 % CI | JND75 | 95 % CI | slope β |\n"
      << "|---|---|---|---|---|---|---|---|\n";
  for (const JndEstimate& estimate : report.estimates) {
    out << "| " << estimate.who << " | " << estimate.environment << " | " << estimate.trials << " | ";
    if (!estimate.fit) {
      out << "no fit: " << estimate.failure << " | | | | |\n";
      continue;
    }
    const PsychometricBootstrap& ci = *estimate.interval;
    out << Fixed(estimate.fit->DeltaAtDetection(0.5)) << " | " << Fixed(ci.jnd50.low) << " – " << Fixed(ci.jnd50.high)
        << " | " << Fixed(estimate.fit->DeltaAtDetection(0.75)) << " | " << Fixed(ci.jnd75.low) << " – "
        << Fixed(ci.jnd75.high) << " | " << Fixed(estimate.fit->beta) << " |\n";
  }
  out << "\n## The JND SVM against the listeners\n\n";
  if (!report.shipped && !report.retrained) out << "Not measured: " << report.svm_note << ".\n";
  for (const std::optional<SvmAgreement>* agreement : {&report.shipped, &report.retrained}) {
    if (!*agreement) continue;
    const SvmAgreement& a = **agreement;
    out << "- " << a.model << ": accuracy " << Fixed(100.0 * a.accuracy, 1) << " %, ROC AUC " << Fixed(a.auc, 3)
        << " on " << a.pairs << " judged pairs" << (a.skipped ? " (" + std::to_string(a.skipped) + " not scored)" : "")
        << ".\n";
  }
  if ((report.shipped || report.retrained) && !report.svm_note.empty()) out << "- " << report.svm_note << ".\n";
  out << "\nEach pair was judged once: the listeners' answer is the label (n-AFC: a right answer = heard "
         "different, so lucky guesses count as heard).\n";
  return out.str();
}

void WriteListeningReport(const ListeningReport& report, const std::string& out_dir) {
  fs::create_directories(out_dir);
  WriteFileAtomically(out_dir + "/report.md", ListeningReportText(report));
  std::vector<std::vector<std::string>> rows = {
      {"who", "environment", "trials", "jnd50", "jnd50_low", "jnd50_high", "jnd75", "jnd75_low", "jnd75_high", "alpha", "beta"}};
  for (const JndEstimate& estimate : report.estimates) {
    std::vector<std::string> row = {estimate.who, estimate.environment, std::to_string(estimate.trials)};
    if (estimate.fit) {
      const PsychometricBootstrap& ci = *estimate.interval;
      for (double value : {estimate.fit->DeltaAtDetection(0.5), ci.jnd50.low, ci.jnd50.high,
                           estimate.fit->DeltaAtDetection(0.75), ci.jnd75.low, ci.jnd75.high, estimate.fit->alpha,
                           estimate.fit->beta})
        row.push_back(FormatDouble(value));
    } else {
      row.resize(11);
    }
    rows.push_back(row);
  }
  WriteCsvFile(out_dir + "/jnd.csv", rows);
  for (const JndEstimate& estimate : report.estimates) {
    if (estimate.who != "pooled" || !estimate.fit) continue;
    // Proportion right per Δ presented, and the fitted curve.
    std::map<double, std::pair<int, int>> by_delta;  // Δ -> (right, trials)
    for (const PsychometricTrial& answer : estimate.answers) {
      by_delta[answer.delta].first += answer.correct ? 1 : 0;
      ++by_delta[answer.delta].second;
    }
    // With its binomial standard error: the staircase visits the Δ near
    // threshold often and the others a few times.
    PlotSeries observed;
    observed.name = "answers (proportion right ± 1 s.e.)";
    for (const auto& [delta, counts] : by_delta) {
      const double right = static_cast<double>(counts.first) / counts.second;
      observed.x.push_back(delta);
      observed.y.push_back(right);
      observed.y_error.push_back(std::sqrt(right * (1.0 - right) / counts.second));
    }
    PlotSeries curve;
    curve.name = "fit";
    curve.markers = false;
    const double high = std::max(by_delta.rbegin()->first, estimate.fit->DeltaAtDetection(0.9));
    for (int i = 0; i <= 100; ++i) {
      curve.x.push_back(high * i / 100.0);
      curve.y.push_back(estimate.fit->ProbabilityCorrect(high * i / 100.0));
    }
    PlotOptions options;
    options.title = "Psychometric function, " + report.dimension + ", " + estimate.environment + " (pooled)";
    options.x.label = "Δ (" + report.unit + ")";
    options.y.label = "proportion right";
    WriteLinePlot(out_dir + "/psychometric-" + FileSafe(estimate.environment), {curve, observed}, options);
  }
}

std::string ListeningReportMarkdown(const std::string& db_path) {
  ListeningReportArgs args;
  args.bootstrap = 200;
  return ListeningReportText(BuildListeningReport(db_path, args));
}

}  // namespace jsqa
