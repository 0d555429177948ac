#include "augment/jnd_svm.h"

#include <libsvm/svm.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <utility>

#include "pipeline/base/config_keys.h"
#include "pipeline/base/error.h"
#include "pipeline/base/text_files.h"

namespace jsqa {
namespace {

// Nodes per example: one per feature (libsvm indices 1..kJndFeatureCount)
// and the index -1 terminator.
constexpr int kNodesPerExample = kJndFeatureCount + 1;
using ExampleNodes = std::array<svm_node, kNodesPerExample>;

// The features used and the training ranges follow the libsvm model in
// the file, one line each:
//   #jsqa-jnd-svm version 2
//   #jsqa-jnd-svm dimension <name> <delta scale>   (version 1: snr 3)
//   #jsqa-jnd-svm features <feature> <feature> ...
//   #jsqa-jnd-svm range <feature> <min> <max>      (for all five)
// libsvm's loader reads exactly total_sv lines of support vectors and
// ignores what follows them, so libsvm's tools still read the file.
constexpr const char* kTrailerTag = "#jsqa-jnd-svm";
constexpr int kTrailerVersion = 2;

struct ModelDeleter {
  void operator()(svm_model* model) const { svm_free_and_destroy_model(&model); }
};

void Quiet(const char*) {}

// JndFeatureScale() with Δ's scale the dimension's.
JndFeatures ScaleFor(const JndModelDimension& dimension) {
  JndFeatures scale = JndFeatureScale();
  scale[kDelta] = dimension.delta_scale;
  return scale;
}

ExampleNodes ToNodes(const JndFeatures& features, const JndFeatureMask& used, const JndFeatures& scale) {
  ExampleNodes nodes{};
  for (int i = 0; i < kJndFeatureCount; ++i)
    nodes[i] = {i + 1, used[i] ? features[i] / scale[i] : 0.0};
  nodes[kJndFeatureCount] = {-1, 0.0};
  return nodes;
}

// svm_save_model writes support vectors with 8 significant digits (and
// everything else exactly). Training on values already rounded that way
// makes a saved and reloaded model predict exactly what the trained one
// does.
ExampleNodes ToTrainingNodes(const JndFeatures& features, const JndFeatureMask& used, const JndFeatures& scale) {
  ExampleNodes nodes = ToNodes(features, used, scale);
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

// Each feature's range over the judgments, widened outwards to whole
// hundredths so that the file (written with two decimals) holds exactly
// the ranges the trained model checks against.
JndTrainingRanges RangesOf(const std::vector<JndJudgment>& judgments) {
  JndTrainingRanges ranges;
  for (int f = 0; f < kJndFeatureCount; ++f) {
    double lo = judgments.front().features[f];
    double hi = lo;
    for (const JndJudgment& judgment : judgments) {
      lo = std::min(lo, judgment.features[f]);
      hi = std::max(hi, judgment.features[f]);
    }
    ranges[f] = {std::floor(lo * 100.0) / 100.0, std::ceil(hi * 100.0) / 100.0};
  }
  return ranges;
}

size_t FeatureIndex(const std::string& name) {
  const auto at = std::find(JndFeatureNames().begin(), JndFeatureNames().end(), name);
  return static_cast<size_t>(at - JndFeatureNames().begin());  // kJndFeatureCount if unknown
}

struct Trailer {
  JndModelDimension dimension;
  JndFeatureMask features{};
  JndTrainingRanges ranges{};
};

// What follows the libsvm model in text, the file at path.
Trailer ReadTrailer(const std::string& text, const std::string& path) {
  std::array<bool, kJndFeatureCount> found{};
  Trailer trailer;
  bool features_found = false;
  bool any = false;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(kTrailerTag, 0) != 0) continue;
    any = true;
    std::istringstream fields(line.substr(std::string(kTrailerTag).size()));
    std::string key;
    fields >> key;
    if (key == "version") {
      int version = 0;
      JSQA_CHECK(fields >> version && version >= 1 && version <= kTrailerVersion, "JND SVM model ", path,
                 ": unsupported '", line, "' (this build reads versions 1 to ", kTrailerVersion, ")");
      continue;
    }
    if (key == "dimension") {
      JSQA_CHECK(fields >> trailer.dimension.name >> trailer.dimension.delta_scale &&
                     trailer.dimension.delta_scale > 0.0 && std::isfinite(trailer.dimension.delta_scale),
                 "JND SVM model ", path, ": malformed line '", line, "'");
      continue;
    }
    std::string name;
    if (key == "features") {
      while (fields >> name) {
        const size_t f = FeatureIndex(name);
        JSQA_CHECK(f < kJndFeatureCount, "JND SVM model ", path, ": unknown feature in '", line, "'");
        trailer.features[f] = true;
      }
      features_found = true;
      continue;
    }
    double lo = 0.0;
    double hi = 0.0;
    JSQA_CHECK(key == "range" && fields >> name >> lo >> hi && std::isfinite(lo) && std::isfinite(hi) && lo <= hi,
               "JND SVM model ", path, ": malformed line '", line, "'");
    const size_t f = FeatureIndex(name);
    JSQA_CHECK(f < kJndFeatureCount, "JND SVM model ", path, ": unknown feature in '", line, "'");
    trailer.ranges[f] = {lo, hi};
    found[f] = true;
  }
  JSQA_CHECK(any, "JND SVM model ", path,
             " records no training ranges (it was written before jsqa-pipeline kept them, or by another "
             "program): retrain it with `jsqa-pipeline jnd-svm train`, which records them");
  for (int f = 0; f < kJndFeatureCount; ++f)
    JSQA_CHECK(found[f], "JND SVM model ", path, " records no training range for ", JndFeatureNames()[f]);
  JSQA_CHECK(features_found && trailer.features[kDelta], "JND SVM model ", path,
             " does not say which features it uses, or leaves out delta_db");
  return trailer;
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

JndFeatureMask ParseJndFeatureList(const std::string& list) {
  JndFeatureMask mask{};
  std::string allowed;
  for (const std::string& name : JndFeatureNames()) allowed += (allowed.empty() ? "" : ", ") + name;
  std::istringstream names(list);
  bool any = false;
  for (std::string name; std::getline(names, name, ',');) {
    const size_t f = FeatureIndex(name);
    if (f >= kJndFeatureCount) throw UsageError("unknown JND feature '" + name + "'; allowed: " + allowed);
    mask[f] = true;
    any = true;
  }
  if (!any) throw UsageError("no JND features given; allowed: " + allowed);
  if (!mask[kDelta]) throw UsageError("the JND features '" + list + "' leave out delta_db, which a JND SVM needs");
  return mask;
}

std::string JndFeatureList(const JndFeatureMask& mask) {
  std::string list;
  for (int f = 0; f < kJndFeatureCount; ++f)
    if (mask[f]) list += (list.empty() ? "" : ",") + JndFeatureNames()[f];
  return list;
}

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
  JndModelDimension dimension;
  JndFeatures scale = JndFeatureScale();
  JndFeatureMask features = kAllJndFeatures;
  JndTrainingRanges ranges{};
  std::string name = "(trained in memory)";
};

JndSvm::JndSvm(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
JndSvm::JndSvm(JndSvm&&) noexcept = default;
JndSvm& JndSvm::operator=(JndSvm&&) noexcept = default;
JndSvm::~JndSvm() = default;

JndSvm JndSvm::Train(const std::vector<JndJudgment>& judgments, const JndSvmTrainArgs& args,
                     double* cross_validated_accuracy) {
  CheckJudgments(judgments);
  JSQA_CHECK(args.features[kDelta], "a JND SVM must use delta_db (got features ", JndFeatureList(args.features),
             ")");
  const int count = static_cast<int>(judgments.size());
  JSQA_CHECK(args.dimension.delta_scale > 0.0, "a JND SVM's delta scale must be > 0 (got ",
             args.dimension.delta_scale, ")");
  auto impl = std::make_unique<Impl>();
  impl->dimension = args.dimension;
  impl->scale = ScaleFor(args.dimension);
  impl->features = args.features;
  impl->ranges = RangesOf(judgments);
  impl->training_nodes.reserve(judgments.size());
  std::vector<svm_node*> rows;
  std::vector<double> labels;
  for (const JndJudgment& judgment : judgments) {
    impl->training_nodes.push_back(ToTrainingNodes(judgment.features, args.features, impl->scale));
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
  impl->name = path;
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
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  JSQA_CHECK(file.good() || file.eof(), "cannot read JND SVM model ", path);
  const Trailer trailer = ReadTrailer(text.str(), path);
  impl->dimension = trailer.dimension;
  impl->scale = ScaleFor(trailer.dimension);
  impl->features = trailer.features;
  impl->ranges = trailer.ranges;
  return JndSvm(std::move(impl));
}

double JndSvm::SvmProbability(const JndFeatures& features) const {
  const ExampleNodes nodes = ToNodes(features, impl_->features, impl_->scale);
  std::array<double, 2> probabilities{};
  svm_predict_probability(impl_->model.get(), nodes.data(), probabilities.data());
  return probabilities[impl_->same_index];
}

// Why a running minimum rather than a wider prior alone: training on Δ up
// to 24 dB fixes the shipped model inside that range, but an RBF SVM is a
// sum of bumps around its support vectors and promises nothing between or
// beyond them (nor for noise unlike its training noise), and a model
// trained on someone's listening tests may cover any range. The minimum
// over the smaller Δ of the same pair makes "a larger SNR difference is
// never more likely heard as the same" hold by construction, for any
// model, base SNR and noise; where the SVM already falls with Δ (the
// shipped one, inside its range) it changes nothing.
//
// "The same pair at a smaller Δ" keeps snr_db and the noise features and
// scales spectral_distance in proportion to Δ: the distance between the
// two mixtures is 0 at Δ = 0 and grows about linearly for the Δ of a JND,
// so the line stays among pairs that exist (holding the distance fixed
// would ask the SVM about Δ = 0 pairs that differ audibly, which it never
// saw). The grid points depend only on that line, not on the query's Δ,
// and linear interpolation of a non-increasing sequence is non-increasing:
// exact, not approximately so. Cost: Δ / kJndEnvelopeStepDb + 2 SVM
// evaluations (14 at Δ = 3 dB).
double JndSvm::Probability(const JndFeatures& query) const {
  JndFeatures features = query;
  for (const int f : {kSnr, kDelta}) {
    if (!impl_->features[f]) continue;
    const JndFeatureRange& range = impl_->ranges[f];
    const double value = query[f];
    // The message's parts are built only when the check fails.
    const auto unit = [&] { return f == kSnr || impl_->dimension.name == "snr" ? " dB" : ""; };
    JSQA_CHECK(Answers(f, value),
               "JND SVM model ", impl_->name, " was trained on ", JndFeatureNames()[f],
               f == kSnr                             ? " (a pair's lower SNR: s - delta when the draw goes down)"
               : impl_->dimension.name == "snr" ? " (the SNR difference)"
                                                : " (the " + impl_->dimension.name + " difference)",
               " from ", FormatFixed(range.min, 2), " to ", FormatFixed(range.max, 2), unit(), "; this pair's ",
               FormatFixed(value, 2), unit(), " is more than ", FormatDouble(Tolerance(f)), unit(),
               " outside it: retrain the model over the range the config asks for "
               "(jsqa-pipeline jnd-svm prior --snr-min/--snr-max/--delta-max) or narrow jnd.snr_*/jnd.delta_*");
    features[f] = std::clamp(value, range.min, range.max);
  }
  // The noise's features are clamped without a limit, so that no one of
  // them is read beyond what training saw (CHiME-3's BUS, below 2 kHz, is
  // 27 dB less flat than any noise of the shipped model's prior). That
  // alone does not make an unfamiliar noise familiar: a combination no
  // training noise had still falls between the support vectors, where the
  // kernel decays to the bias (with all five features, the wider prior's
  // model called every BUS pair different, even at Δ = 0). Hence the
  // shipped model, whose labels come from the SNRs alone, leaves the noise
  // out (JndFeatureMask).
  for (const int f : {kNoiseFlatness, kNoiseFluctuation})
    features[f] = std::clamp(query[f], impl_->ranges[f].min, impl_->ranges[f].max);

  const JndFeatureRange& delta_range = impl_->ranges[kDelta];
  const JndFeatureRange& distance_range = impl_->ranges[kSpectralDistance];
  // Spectral distance per dB of Δ, as measured (before any clamp, so that
  // queries on one line share it).
  const double slope = query[kDelta] > 0.0 ? query[kSpectralDistance] / query[kDelta] : 0.0;
  const double step = kJndEnvelopeStepDb * impl_->dimension.delta_scale / JndFeatureScale()[kDelta];
  const auto on_line = [&](int k) {
    JndFeatures point = features;
    point[kDelta] = std::clamp(k * step, delta_range.min, delta_range.max);
    point[kSpectralDistance] = std::clamp(slope * point[kDelta], distance_range.min, distance_range.max);
    return SvmProbability(point);
  };
  const double position = features[kDelta] / step;
  const int below = static_cast<int>(std::floor(position));
  double envelope = on_line(0);
  for (int k = 1; k <= below; ++k) envelope = std::min(envelope, on_line(k));
  const double fraction = position - below;
  if (fraction <= 0.0) return envelope;
  const double next = std::min(envelope, on_line(below + 1));
  return envelope + fraction * (next - envelope);
}

const JndTrainingRanges& JndSvm::training_ranges() const { return impl_->ranges; }

const JndFeatureMask& JndSvm::features() const { return impl_->features; }

double JndSvm::Tolerance(int feature) const {
  return feature == kDelta ? kJndRangeToleranceDb * impl_->dimension.delta_scale / JndFeatureScale()[kDelta]
                           : kJndRangeToleranceDb;
}

bool JndSvm::Answers(int feature, double value) const {
  if (feature != kSnr && feature != kDelta) return true;
  if (!impl_->features[static_cast<size_t>(feature)]) return true;
  const JndFeatureRange& range = impl_->ranges[static_cast<size_t>(feature)];
  return value >= range.min - Tolerance(feature) && value <= range.max + Tolerance(feature);
}

const std::string& JndSvm::name() const { return impl_->name; }

const JndModelDimension& JndSvm::dimension() const { return impl_->dimension; }

void JndSvm::Save(const std::string& path) const {
  JSQA_CHECK(svm_save_model(path.c_str(), impl_->model.get()) == 0, "cannot write JND SVM model ", path);
  std::ofstream file(path, std::ios::binary | std::ios::app);
  file << kTrailerTag << " version " << kTrailerVersion << "\n";
  file << kTrailerTag << " dimension " << impl_->dimension.name << " " << FormatDouble(impl_->dimension.delta_scale)
       << "\n";
  file << kTrailerTag << " features";
  for (int f = 0; f < kJndFeatureCount; ++f)
    if (impl_->features[f]) file << " " << JndFeatureNames()[f];
  file << "\n";
  for (int f = 0; f < kJndFeatureCount; ++f)
    file << kTrailerTag << " range " << JndFeatureNames()[f] << " " << FormatFixed(impl_->ranges[f].min, 2) << " "
         << FormatFixed(impl_->ranges[f].max, 2) << "\n";
  file.close();
  JSQA_CHECK(!file.fail(), "cannot write JND SVM model ", path);
}

}  // namespace jsqa
