#include "augment/jnd_svm.h"

#include <libsvm/svm.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "pipeline/base/error.h"

namespace jsqa {
namespace {

// Nodes per example: one per feature (libsvm indices 1..kJndFeatureCount)
// and the index -1 terminator.
constexpr int kNodesPerExample = kJndFeatureCount + 1;
using ExampleNodes = std::array<svm_node, kNodesPerExample>;

struct ModelDeleter {
  void operator()(svm_model* model) const { svm_free_and_destroy_model(&model); }
};

void Quiet(const char*) {}

ExampleNodes ToNodes(const JndFeatures& features) {
  ExampleNodes nodes{};
  for (int i = 0; i < kJndFeatureCount; ++i)
    nodes[i] = {i + 1, features[i] / JndFeatureScale()[i]};
  nodes[kJndFeatureCount] = {-1, 0.0};
  return nodes;
}

// svm_save_model writes support vectors with 8 significant digits (and
// everything else exactly). Training on values already rounded that way
// makes a saved and reloaded model predict exactly what the trained one
// does.
ExampleNodes ToTrainingNodes(const JndFeatures& features) {
  ExampleNodes nodes = ToNodes(features);
  for (int i = 0; i < kJndFeatureCount; ++i) {
    char text[32];
    std::snprintf(text, sizeof text, "%.8g", nodes[i].value);
    nodes[i].value = std::strtod(text, nullptr);
  }
  return nodes;
}

void CheckJudgments(const std::vector<JndJudgment>& judgments) {
  std::array<size_t, 2> counts{};
  for (size_t i = 0; i < judgments.size(); ++i) {
    const JndJudgment& judgment = judgments[i];
    JSQA_CHECK(judgment.label == 0 || judgment.label == 1, "JND judgment ", i, " has label ",
               judgment.label, "; allowed: 0, 1");
    for (int f = 0; f < kJndFeatureCount; ++f)
      JSQA_CHECK(std::isfinite(judgment.features[f]), "JND judgment ", i, " has a non-finite ",
                 JndFeatureNames()[f]);
    ++counts[judgment.label];
  }
  JSQA_CHECK(counts[0] > 0 && counts[1] > 0,
             "JND SVM training needs both labels; got ", counts[1], " judged the same and ",
             counts[0], " judged different");
}

svm_parameter Parameters(const JndSvmTrainArgs& args) {
  svm_parameter param{};
  param.svm_type = C_SVC;
  param.kernel_type = RBF;
  param.gamma = args.gamma;
  param.C = args.c;
  param.cache_size = 100;  // MB of kernel cache
  param.eps = 1e-3;        // libsvm's default stopping tolerance
  param.shrinking = 1;
  param.probability = 1;
  return param;
}

// The position of label 1 in svm_predict_probability's output.
int SameLabelIndex(const svm_model& model) {
  std::array<int, 2> labels{};
  svm_get_labels(&model, labels.data());
  return labels[0] == 1 ? 0 : 1;
}

}  // namespace

const JndFeatures& JndFeatureScale() {
  static const JndFeatures scale = {10.0, 3.0, 3.0, 10.0, 10.0};
  return scale;
}

struct JndSvm::Impl {
  std::unique_ptr<svm_model, ModelDeleter> model;
  // A trained model's support vectors point into its training nodes (libsvm
  // keeps pointers, not copies), so they live as long as the model. Empty
  // for a loaded model, which owns its own.
  std::vector<ExampleNodes> training_nodes;
  int same_index = 0;
};

JndSvm::JndSvm(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
JndSvm::JndSvm(JndSvm&&) noexcept = default;
JndSvm& JndSvm::operator=(JndSvm&&) noexcept = default;
JndSvm::~JndSvm() = default;

JndSvm JndSvm::Train(const std::vector<JndJudgment>& judgments, const JndSvmTrainArgs& args,
                     double* cross_validated_accuracy) {
  CheckJudgments(judgments);
  const int count = static_cast<int>(judgments.size());
  auto impl = std::make_unique<Impl>();
  impl->training_nodes.reserve(judgments.size());
  std::vector<svm_node*> rows;
  std::vector<double> labels;
  for (const JndJudgment& judgment : judgments) {
    impl->training_nodes.push_back(ToTrainingNodes(judgment.features));
    labels.push_back(judgment.label);
  }
  for (ExampleNodes& nodes : impl->training_nodes) rows.push_back(nodes.data());
  svm_problem problem{count, labels.data(), rows.data()};

  const svm_parameter param = Parameters(args);
  if (const char* message = svm_check_parameter(&problem, &param))
    throw Error(std::string("JND SVM parameters: ") + message);
  svm_set_print_string_function(&Quiet);

  // libsvm shuffles with rand(): seeding it before each call makes training
  // and the fold split repeatable (and Train not thread-safe).
  const unsigned seed = static_cast<unsigned>(args.seed);  // low 32 bits
  if (cross_validated_accuracy) {
    JSQA_CHECK(args.folds >= 2 && args.folds <= count, "JND SVM cross-validation needs 2 to ",
               count, " folds (one per judgment at most), got ", args.folds);
    std::vector<double> predicted(judgments.size());
    std::srand(seed);
    svm_cross_validation(&problem, &param, args.folds, predicted.data());
    int correct = 0;
    for (int i = 0; i < count; ++i) correct += predicted[i] == labels[i];
    *cross_validated_accuracy = static_cast<double>(correct) / count;
  }
  std::srand(seed);
  impl->model.reset(svm_train(&problem, &param));
  impl->same_index = SameLabelIndex(*impl->model);
  return JndSvm(std::move(impl));
}

JndSvm JndSvm::Load(const std::string& path) {
  auto impl = std::make_unique<Impl>();
  impl->model.reset(svm_load_model(path.c_str()));
  JSQA_CHECK(impl->model != nullptr, "cannot load JND SVM model ", path,
             ": missing, unreadable or not a libsvm model file");
  const svm_model& model = *impl->model;
  std::array<int, 2> labels{};
  const bool binary = svm_get_nr_class(&model) == 2;
  if (binary) svm_get_labels(&model, labels.data());
  const bool zero_one = (labels[0] == 0 && labels[1] == 1) || (labels[0] == 1 && labels[1] == 0);
  JSQA_CHECK(svm_get_svm_type(&model) == C_SVC && binary && zero_one,
             "JND SVM model ", path, " is not a C-SVC model with labels 0 and 1");
  JSQA_CHECK(svm_check_probability_model(&model) != 0, "JND SVM model ", path,
             " has no probability estimates (train it with probability = 1)");
  impl->same_index = SameLabelIndex(model);
  return JndSvm(std::move(impl));
}

double JndSvm::Probability(const JndFeatures& features) const {
  const ExampleNodes nodes = ToNodes(features);
  std::array<double, 2> probabilities{};
  svm_predict_probability(impl_->model.get(), nodes.data(), probabilities.data());
  return probabilities[impl_->same_index];
}

void JndSvm::Save(const std::string& path) const {
  JSQA_CHECK(svm_save_model(path.c_str(), impl_->model.get()) == 0, "cannot write JND SVM model ",
             path);
}

}  // namespace jsqa
