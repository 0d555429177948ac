// The JND SVM: libsvm C-SVC (RBF kernel) with probability outputs, deciding
// whether a pair is heard as the same (within the JND).
//
// Features are scaled by fixed, documented constants (JndFeatureScale). A
// model file is a plain libsvm model (libsvm's own tools read it) followed
// by lines that libsvm's loader ignores, each starting "#jsqa-jnd-svm":
// the features it uses and the range of every feature over the training
// judgments.
//
// A model may leave features out (JndFeatureMask); the file says which.
//
// Two guarantees that a bare RBF SVM does not give (an RBF kernel decays to
// the bias away from its support vectors, so a model trained on Δ ≤ 6 dB
// once called 95 % of Δ = 10-15 dB pairs "the same"):
//   - P(same) never rises with Δ (see Probability);
//   - a pair whose lower SNR or Δ lies more than kJndRangeToleranceDb
//     outside the model's training range is an error naming the model file
//     and the range, never an extrapolated guess.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "augment/jnd_features.h"

struct svm_model;

namespace jsqa {

// A labelled example: label 1 = heard as the same (within the JND).
struct JndJudgment {
  JndFeatures features{};
  int label = 0;
};

// The constants each feature is divided by before it reaches libsvm, in
// JndFeatureNames() order, so that all five span a few units and one RBF
// gamma suits them: snr_db / 10 (the SNR range of a sweep is tens of dB),
// delta_db / 3 (one unit ≈ one JND), spectral_distance / 3,
// noise_flatness / 10 and noise_fluctuation / 10. Changing them invalidates
// every saved model.
const JndFeatures& JndFeatureScale();

// The smallest and largest value of a feature over a model's training
// judgments, in the feature's own unit (dB).
struct JndFeatureRange {
  double min = 0.0;
  double max = 0.0;
};
using JndTrainingRanges = std::array<JndFeatureRange, kJndFeatureCount>;

// A query's snr_db (the pair's lower SNR) and delta_db may lie this far
// outside the training range, dB: they are then clamped to the range (the
// model is read at its edge, never beyond). Farther out, Probability
// throws. One dB is a third of a JND: a uniform draw's largest value falls
// short of the range it was drawn from by about that little, and no more.
constexpr double kJndRangeToleranceDb = 1.0;

// The Δ grid, dB, on which Probability takes its running minimum.
constexpr double kJndEnvelopeStepDb = 0.25;

// Which features a model uses (JndFeatureMask, jnd_features.h). An unused
// one reaches libsvm as 0 for every pair, so the model cannot depend on it,
// nor extrapolate along it, and ComputeJndFeatures need not compute it.
// Judgments labelled from the SNRs alone (the prior of augment/jnd_prior.h)
// say nothing about the noise: a model trained on them that used the
// noise's features would only have learnt the few training noises, and
// answered at random for any other (see README).
// "snr_db,delta_db" <-> mask. Parsing throws UsageError naming an unknown
// name (and the allowed ones), an empty list, or a list without delta_db.
JndFeatureMask ParseJndFeatureList(const std::string& list);
std::string JndFeatureList(const JndFeatureMask& mask);

// What a model judges: a JND dimension's name ("snr", "codec_mode", ...),
// and the Δ that counts as one unit for its kernel, in the dimension's own
// unit (delta_db's scale, 3 dB, for snr: one unit ≈ one JND). Pairs of
// another dimension carry Δ in its unit in the delta_db slot, and their
// base in the snr_db slot is the noise step's SNR. The envelope's Δ step
// and the range tolerance scale with it (a twelfth, a third).
struct JndModelDimension {
  std::string name = "snr";
  double delta_scale = 3.0;
};

struct JndSvmTrainArgs {
  JndModelDimension dimension;
  double c = 4.0;       // C-SVC cost
  double gamma = 0.5;   // RBF gamma, on scaled features
  int folds = 5;        // cross-validation folds for the reported accuracy
  uint64_t seed = 1;    // libsvm's shuffles (it uses rand())
  JndFeatureMask features = kAllJndFeatures;  // must include delta_db
};

class JndSvm {
 public:
  // Loads a model file; throws jsqa::Error naming the path if it is not a
  // libsvm C-SVC model with probabilities, or records no training ranges
  // (a file from before they were recorded: retrain it).
  static JndSvm Load(const std::string& path);
  // Trains on judgments (both labels must occur); cross_validated_accuracy
  // (fraction) is filled when given. The training ranges are those of the
  // judgments' features.
  static JndSvm Train(const std::vector<JndJudgment>& judgments, const JndSvmTrainArgs& args,
                      double* cross_validated_accuracy = nullptr);

  JndSvm(JndSvm&&) noexcept;
  JndSvm& operator=(JndSvm&&) noexcept;
  ~JndSvm();

  // P(heard as the same), non-increasing in delta_db when the other
  // features hold still and spectral_distance grows in proportion to
  // delta_db (as it does, to first order, for one pair of recordings mixed
  // at a growing Δ): the running minimum of the SVM's probability along
  // that line on a kJndEnvelopeStepDb grid, interpolated linearly. Throws
  // jsqa::Error naming the model and its range when snr_db or delta_db is
  // more than kJndRangeToleranceDb outside it; closer, they are clamped to
  // it, and the other features always are. Thread-safe (libsvm prediction
  // only reads the model).
  double Probability(const JndFeatures& features) const;
  const JndTrainingRanges& training_ranges() const;
  const JndFeatureMask& features() const;
  // False when the model uses feature (a JndFeatureNames() index) and value
  // lies more than kJndRangeToleranceDb outside its training range for
  // snr_db or delta_db, i.e. when Probability would throw for it.
  bool Answers(int feature, double value) const;
  // The file it was loaded from, or "(trained in memory)".
  const std::string& name() const;
  // What it judges (a model file without the line is an snr model).
  const JndModelDimension& dimension() const;
  // Writes the libsvm model and the training ranges; throws naming path.
  void Save(const std::string& path) const;

 private:
  struct Impl;
  explicit JndSvm(std::unique_ptr<Impl> impl);
  double SvmProbability(const JndFeatures& features) const;
  // How far outside its training range a feature may be (Answers): the
  // dB tolerance for snr_db, scaled with the dimension's Δ for delta_db.
  double Tolerance(int feature) const;
  std::unique_ptr<Impl> impl_;
};

}  // namespace jsqa
