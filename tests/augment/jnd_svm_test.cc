#include "augment/jnd_svm.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "augment/audio_io.h"
#include "augment/counter_rng.h"
#include "pipeline/base/error.h"
#include "augment/jnd_pair.h"
#include "augment/jnd_prior.h"
#include "augment/resampler.h"
#include "augment/segment.h"
#include "tests/test_support.h"

namespace jsqa {
namespace {

constexpr int kRate = 16000;
constexpr int64_t kSegment = 2 * kRate;

TEST(JndPriorTest, ThresholdsAtThePublishedPoints) {
  EXPECT_DOUBLE_EQ(JndThresholdDb(0.0), 2.9);
  EXPECT_DOUBLE_EQ(JndThresholdDb(6.0), 3.5);
  EXPECT_DOUBLE_EQ(JndThresholdDb(3.0), 3.2);
  EXPECT_DOUBLE_EQ(JndThresholdDb(-30.0), 2.5);
  EXPECT_DOUBLE_EQ(JndThresholdDb(40.0), 4.5);
}

TEST(JndPriorTest, HalfAtTheThresholdAndFallingWithDelta) {
  for (const double snr : {-5.0, 0.0, 6.0, 20.0}) {
    EXPECT_NEAR(JndSameProbability(snr, JndThresholdDb(snr)), 0.5, 1e-12);
    double previous = 1.0;
    for (double delta = 0.0; delta <= 8.0; delta += 0.25) {
      const double p = JndSameProbability(snr, delta);
      EXPECT_LT(p, previous) << snr << " dB, delta " << delta;
      EXPECT_DOUBLE_EQ(JndSameProbability(snr, -delta), p);
      previous = p;
    }
  }
  // One spread (1 dB) below the threshold: Φ(1).
  EXPECT_NEAR(JndSameProbability(0.0, 1.9), 0.841344746, 1e-9);
  EXPECT_NEAR(JndSameProbability(6.0, 4.5), 0.158655254, 1e-9);
}

// Pairs from real speech and alsa-utils' Noise.wav, labelled by the prior:
// what `jnd-svm prior` + `jnd-svm train` do, in memory.
class JndSvmTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    speech_ = new std::vector<float>(ReadAudio(testing::LibrivoxClips()[0]).samples);
    const Audio noise = ReadAudio(testing::AlsaNoise());
    noise_ = new std::vector<float>(Resample(noise.samples, noise.sample_rate, kRate));
    training_ = new std::vector<JndJudgment>(Judgments(0, 300, 0.0, 6.0));
  }
  static void TearDownTestSuite() {
    delete speech_;
    delete noise_;
    delete training_;
  }

  // count judgments keyed first..first+count, Δ ~ U[delta_min, delta_max).
  static std::vector<JndJudgment> Judgments(uint64_t first, int count, double delta_min, double delta_max) {
    std::vector<JndJudgment> judgments;
    for (uint64_t key = first; key < first + count; ++key) {
      CounterRng rng(11, key);
      const std::vector<float> clean =
          Crop(*speech_, PickOffset(rng, static_cast<int64_t>(speech_->size()), kSegment), kSegment);
      const std::vector<float> noise =
          LoopToLength(*noise_, PickOffset(rng, static_cast<int64_t>(noise_->size()), kSegment), kSegment);
      const double snr = rng.Uniform(-5.0, 20.0);
      const double delta = rng.Uniform(delta_min, delta_max);
      JndPair pair;
      MixJndPair(clean, noise, snr, snr + delta, JndMixArgs{}, pair);
      JndJudgment judgment;
      judgment.features = ComputeJndFeatures(pair.a, pair.b, noise, pair.snr_a_db, pair.snr_b_db, kRate);
      judgment.label = rng.NextUnit() < JndSameProbability(snr, delta) ? 1 : 0;
      judgments.push_back(judgment);
    }
    return judgments;
  }

  static std::vector<float>* speech_;
  static std::vector<float>* noise_;
  static std::vector<JndJudgment>* training_;
};

std::vector<float>* JndSvmTest::speech_ = nullptr;
std::vector<float>* JndSvmTest::noise_ = nullptr;
std::vector<JndJudgment>* JndSvmTest::training_ = nullptr;

TEST_F(JndSvmTest, SeparatesSmallFromLargeDifferences) {
  double accuracy = 0.0;
  const JndSvm svm = JndSvm::Train(*training_, JndSvmTrainArgs{}, &accuracy);
  // Prior labels are noisy near the threshold (spread 1 dB), so even the
  // prior itself scores only about 87 % on them.
  EXPECT_GT(accuracy, 0.75);
  EXPECT_LE(accuracy, 1.0);

  int correct = 0;
  const std::vector<JndJudgment> small = Judgments(10000, 40, 0.0, 1.5);
  const std::vector<JndJudgment> large = Judgments(20000, 40, 5.0, 6.0);
  for (const JndJudgment& judgment : small) correct += svm.Probability(judgment.features) >= 0.5;
  for (const JndJudgment& judgment : large) correct += svm.Probability(judgment.features) < 0.5;
  EXPECT_GT(correct / 80.0, 0.8);
}

TEST_F(JndSvmTest, SavedModelPredictsIdentically) {
  const JndSvm svm = JndSvm::Train(*training_, JndSvmTrainArgs{});
  testing::TempDir dir;
  svm.Save(dir / "jnd.model");
  const JndSvm loaded = JndSvm::Load(dir / "jnd.model");
  for (const JndJudgment& judgment : Judgments(30000, 20, 0.0, 6.0)) {
    const double p = svm.Probability(judgment.features);
    EXPECT_GE(p, 0.0);
    EXPECT_LE(p, 1.0);
    EXPECT_EQ(loaded.Probability(judgment.features), p);
  }
}

TEST_F(JndSvmTest, TrainingIsDeterministicForASeed) {
  JndSvmTrainArgs args;
  args.seed = 42;
  double accuracy_1 = 0.0;
  double accuracy_2 = 0.0;
  const JndSvm first = JndSvm::Train(*training_, args, &accuracy_1);
  const JndSvm second = JndSvm::Train(*training_, args, &accuracy_2);
  EXPECT_EQ(accuracy_1, accuracy_2);
  testing::TempDir dir;
  first.Save(dir / "first.model");
  second.Save(dir / "second.model");
  EXPECT_EQ(testing::ReadBytes(dir / "first.model"), testing::ReadBytes(dir / "second.model"));
}

TEST_F(JndSvmTest, MovedModelKeepsPredicting) {
  JndSvm svm = JndSvm::Train(*training_, JndSvmTrainArgs{});
  const double p = svm.Probability(training_->front().features);
  const JndSvm moved = std::move(svm);
  EXPECT_EQ(moved.Probability(training_->front().features), p);
}

TEST_F(JndSvmTest, NeedsBothLabels) {
  std::vector<JndJudgment> same(training_->begin(), training_->begin() + 20);
  for (JndJudgment& judgment : same) judgment.label = 1;
  try {
    JndSvm::Train(same, JndSvmTrainArgs{});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("both labels"), std::string::npos) << e.what();
  }
  EXPECT_THROW(JndSvm::Train({}, JndSvmTrainArgs{}), Error);
  std::vector<JndJudgment> bad_label(training_->begin(), training_->begin() + 20);
  bad_label[3].label = 2;
  EXPECT_THROW(JndSvm::Train(bad_label, JndSvmTrainArgs{}), Error);
}

TEST_F(JndSvmTest, RejectsBadParameters) {
  JndSvmTrainArgs args;
  args.c = -1.0;
  EXPECT_THROW(JndSvm::Train(*training_, args), Error);
  args = JndSvmTrainArgs{};
  args.folds = 1;
  double accuracy = 0.0;
  EXPECT_THROW(JndSvm::Train(*training_, args, &accuracy), Error);
}

// Features 0-4: snr_db, delta_db, spectral_distance, noise_flatness,
// noise_fluctuation. The query moved to another Δ along its own line:
// spectral distance in proportion, the rest held.
JndFeatures AtDelta(const JndFeatures& features, double delta) {
  JndFeatures moved = features;
  moved[1] = delta;
  moved[2] = features[1] > 0.0 ? features[2] / features[1] * delta : 0.0;
  return moved;
}

std::string FileText(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

TEST_F(JndSvmTest, ProbabilityNeverRisesWithDelta) {
  // All five features, trained on Δ < 6 dB: the RBF kernel alone rises
  // again between and past its support vectors; the envelope must not.
  const JndSvm svm = JndSvm::Train(*training_, JndSvmTrainArgs{});
  const double delta_max = svm.training_ranges()[1].max + kJndRangeToleranceDb;
  for (const JndJudgment& judgment : Judgments(40000, 30, 0.5, 6.0)) {
    double previous = 1.0;
    for (double delta = 0.0; delta <= delta_max; delta += 0.05) {
      const double p = svm.Probability(AtDelta(judgment.features, delta));
      // (AtDelta's line and Probability's agree to the last bit or so.)
      EXPECT_LE(p, previous + 1e-12) << "delta " << delta << " dB, snr " << judgment.features[0] << " dB";
      previous = p;
    }
  }
}

TEST_F(JndSvmTest, WithoutNoiseFeaturesAnyNoiseGetsTheSameAnswer) {
  JndSvmTrainArgs args;
  args.features = ParseJndFeatureList("snr_db,delta_db");
  const JndSvm svm = JndSvm::Train(*training_, args);
  for (const JndJudgment& judgment : Judgments(50000, 10, 0.0, 6.0)) {
    JndFeatures unlike = judgment.features;
    unlike[2] += 7.0;   // spectral distance
    unlike[3] = -55.0;  // flatter than nothing in training: a low-passed noise
    unlike[4] = 40.0;   // fluctuation
    EXPECT_EQ(svm.Probability(unlike), svm.Probability(judgment.features));
  }
  // And it never rises with Δ, for any base SNR.
  for (double snr = -5.0; snr <= 20.0; snr += 5.0) {
    double previous = 1.0;
    for (double delta = 0.0; delta <= 6.0; delta += 0.1) {
      const double p = svm.Probability({snr, delta, 0.0, -20.0, 3.0});
      EXPECT_LE(p, previous) << snr << " dB, delta " << delta;
      previous = p;
    }
  }
}

TEST_F(JndSvmTest, QueryFarOutsideTheTrainingRangeNamesModelAndRange) {
  testing::TempDir dir;
  const std::string path = dir / "jnd.model";
  JndSvm::Train(*training_, JndSvmTrainArgs{}).Save(path);
  const JndSvm svm = JndSvm::Load(path);
  const JndFeatureRange snr = svm.training_ranges()[0];
  const JndFeatureRange delta = svm.training_ranges()[1];
  const JndFeatures inside = training_->front().features;
  char range[64];
  std::snprintf(range, sizeof range, "from %.2f to %.2f dB", delta.min, delta.max);
  try {
    svm.Probability(AtDelta(inside, delta.max + kJndRangeToleranceDb + 0.5));
    FAIL() << "expected an error for a Δ beyond the training range";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find(path), std::string::npos) << message;
    EXPECT_NE(message.find("delta_db"), std::string::npos) << message;
    EXPECT_NE(message.find(range), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
  JndFeatures low = inside;
  low[0] = snr.min - kJndRangeToleranceDb - 0.5;
  try {
    svm.Probability(low);
    FAIL() << "expected an error for an SNR below the training range";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("snr_db"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
  // Within the tolerance the query is clamped to the range's edge: the
  // model is read there, not beyond.
  EXPECT_NEAR(svm.Probability(AtDelta(inside, delta.max + 0.5 * kJndRangeToleranceDb)),
              svm.Probability(AtDelta(inside, delta.max)), 1e-12);
  JndFeatures high = inside;
  high[0] = snr.max + 0.5 * kJndRangeToleranceDb;
  JndFeatures edge = inside;
  edge[0] = snr.max;
  EXPECT_EQ(svm.Probability(high), svm.Probability(edge));
}

TEST_F(JndSvmTest, ModelFileRecordsFeaturesAndRanges) {
  JndSvmTrainArgs args;
  args.features = ParseJndFeatureList("snr_db,delta_db,spectral_distance");
  const JndSvm svm = JndSvm::Train(*training_, args);
  testing::TempDir dir;
  svm.Save(dir / "jnd.model");
  const std::string text = FileText(dir / "jnd.model");
  EXPECT_NE(text.find("\n#jsqa-jnd-svm features snr_db delta_db spectral_distance\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\n#jsqa-jnd-svm range delta_db "), std::string::npos);
  const JndSvm loaded = JndSvm::Load(dir / "jnd.model");
  EXPECT_EQ(loaded.features(), args.features);
  EXPECT_EQ(loaded.name(), dir / "jnd.model");
  for (int f = 0; f < kJndFeatureCount; ++f) {
    EXPECT_EQ(loaded.training_ranges()[f].min, svm.training_ranges()[f].min) << JndFeatureNames()[f];
    EXPECT_EQ(loaded.training_ranges()[f].max, svm.training_ranges()[f].max) << JndFeatureNames()[f];
  }
  // Every training judgment lies inside the recorded ranges.
  for (const JndJudgment& judgment : *training_)
    for (int f = 0; f < kJndFeatureCount; ++f) {
      EXPECT_GE(judgment.features[f], svm.training_ranges()[f].min);
      EXPECT_LE(judgment.features[f], svm.training_ranges()[f].max);
    }
  for (const JndJudgment& judgment : Judgments(60000, 10, 0.0, 6.0))
    EXPECT_EQ(loaded.Probability(judgment.features), svm.Probability(judgment.features));
}

TEST(JndFeatureListTest, ParsesNamesAndRefusesUnknownOnesOrNoDelta) {
  EXPECT_EQ(JndFeatureList(ParseJndFeatureList("delta_db,snr_db")), "snr_db,delta_db");
  EXPECT_EQ(JndFeatureList(kAllJndFeatures), "snr_db,delta_db,spectral_distance,noise_flatness,noise_fluctuation");
  try {
    ParseJndFeatureList("snr_db,delta_db,loudness");
    FAIL() << "expected an error";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("'loudness'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("noise_fluctuation"), std::string::npos) << e.what();
  }
  EXPECT_THROW(ParseJndFeatureList("snr_db"), UsageError);
  EXPECT_THROW(ParseJndFeatureList(""), UsageError);
}

TEST_F(JndSvmTest, ModelWithoutTrainingRangesIsAOneLineError) {
  // What svm_save_model alone wrote, as every model before the ranges.
  testing::TempDir dir;
  JndSvm::Train(*training_, JndSvmTrainArgs{}).Save(dir / "full.model");
  std::istringstream lines(FileText(dir / "full.model"));
  std::string bare;
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("#jsqa-jnd-svm", 0) != 0) bare += line + "\n";
  const std::string path = dir / "old.model";
  testing::WriteBytes(path, bare);
  try {
    JndSvm::Load(path);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find(path), std::string::npos) << message;
    EXPECT_NE(message.find("records no training ranges"), std::string::npos) << message;
    EXPECT_NE(message.find("jnd-svm train"), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

TEST(JndSvmLoadTest, GarbageOrMissingFileNamesThePath) {
  testing::TempDir dir;
  const std::string garbage = dir / "garbage.model";
  testing::WriteBytes(garbage, "this is not a libsvm model\n\x01\x02\x03");
  for (const std::string& path : {garbage, dir / "missing.model"}) {
    try {
      JndSvm::Load(path);
      FAIL() << "expected an error for " << path;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace jsqa
