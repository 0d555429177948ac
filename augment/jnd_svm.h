// The JND SVM: libsvm C-SVC (RBF kernel) with probability outputs, deciding
// whether a pair is heard as the same (within the JND).
//
// Features are scaled by fixed, documented constants (JndFeatureScale), so
// a model file is a plain libsvm model and nothing else.
#pragma once

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

struct JndSvmTrainArgs {
  double c = 4.0;       // C-SVC cost
  double gamma = 0.5;   // RBF gamma, on scaled features
  int folds = 5;        // cross-validation folds for the reported accuracy
  uint64_t seed = 1;    // libsvm's shuffles (it uses rand())
};

class JndSvm {
 public:
  // Loads a libsvm model file; throws jsqa::Error naming the path.
  static JndSvm Load(const std::string& path);
  // Trains on judgments (both labels must occur); cross_validated_accuracy
  // (fraction) is filled when given.
  static JndSvm Train(const std::vector<JndJudgment>& judgments, const JndSvmTrainArgs& args,
                      double* cross_validated_accuracy = nullptr);

  JndSvm(JndSvm&&) noexcept;
  JndSvm& operator=(JndSvm&&) noexcept;
  ~JndSvm();

  // P(label = 1). Thread-safe (libsvm prediction only reads the model).
  double Probability(const JndFeatures& features) const;
  void Save(const std::string& path) const;

 private:
  struct Impl;
  explicit JndSvm(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace jsqa
