#include "augment/jnd_features.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "augment/audio_io.h"
#include "augment/counter_rng.h"
#include "pipeline/base/error.h"
#include "augment/jnd_pair.h"
#include "augment/jnd_svm.h"
#include "augment/resampler.h"
#include "augment/segment.h"
#include "tests/test_support.h"

namespace jsqa {
namespace {

constexpr int kRate = 16000;
constexpr int64_t kSegment = 4 * kRate;
constexpr double kPi = 3.14159265358979323846;

// The first 4 s of a LibriVox clip (16 kHz).
const std::vector<float>& Speech() {
  static const std::vector<float> speech =
      Crop(ReadAudio(testing::LibrivoxClips()[0]).samples, 0, kSegment);
  return speech;
}

// A recording at 48 kHz brought to 16 kHz and looped to the segment length.
std::vector<float> Recording16k(const std::string& path) {
  const Audio audio = ReadAudio(path);
  return LoopToLength(Resample(audio.samples, audio.sample_rate, kRate), 0, kSegment);
}

const std::vector<float>& Noise() {
  static const std::vector<float> noise = Recording16k(testing::AlsaNoise());
  return noise;
}

std::vector<float> WhiteNoise(int64_t length) {
  CounterRng rng(5, 0);
  std::vector<float> noise(static_cast<size_t>(length));
  for (float& x : noise) x = static_cast<float>(rng.Uniform(-0.5, 0.5));
  return noise;
}

JndFeatures PairFeatures(double snr_a_db, double snr_b_db) {
  JndPair pair;
  MixJndPair(Speech(), Noise(), snr_a_db, snr_b_db, JndMixArgs{}, pair);
  return ComputeJndFeatures(pair.a, pair.b, Noise(), pair.snr_a_db, pair.snr_b_db, kRate);
}

TEST(JndFeaturesTest, NamesFollowTheHeaderOrder) {
  EXPECT_EQ(JndFeatureNames()[0], "snr_db");
  EXPECT_EQ(JndFeatureNames()[1], "delta_db");
  EXPECT_EQ(JndFeatureNames()[4], "noise_fluctuation");
}

TEST(JndFeaturesTest, SnrIsTheLowerOneAndDeltaTheAbsoluteDifference) {
  const JndFeatures up = PairFeatures(2.0, 5.0);
  EXPECT_NEAR(up[0], 2.0, 1e-3);
  EXPECT_NEAR(up[1], 3.0, 1e-3);
  const JndFeatures down = PairFeatures(5.0, 2.0);
  EXPECT_NEAR(down[0], 2.0, 1e-3);
  EXPECT_NEAR(down[1], 3.0, 1e-3);
  // The pair's order does not change what is heard.
  for (int i = 0; i < kJndFeatureCount; ++i) EXPECT_NEAR(up[i], down[i], 1e-6) << JndFeatureNames()[i];
}

TEST(JndFeaturesTest, SpectralDistanceIsZeroForEqualSnrsAndGrowsWithDelta) {
  EXPECT_NEAR(PairFeatures(5.0, 5.0)[2], 0.0, 1e-9);
  double previous = 0.0;
  for (const double delta : {0.5, 1.0, 2.0, 3.0, 4.5, 6.0}) {
    const double distance = PairFeatures(5.0, 5.0 + delta)[2];
    EXPECT_GT(distance, previous) << "delta " << delta << " dB";
    previous = distance;
  }
  // A 3 dB change is a few dB of spectral distance, not tens.
  EXPECT_GT(PairFeatures(5.0, 8.0)[2], 0.5);
  EXPECT_LT(PairFeatures(5.0, 8.0)[2], 6.0);
}

TEST(JndFeaturesTest, SpectralDistanceIgnoresOverallLevel) {
  std::vector<float> quieter = Speech();
  for (float& x : quieter) x *= 0.25f;
  EXPECT_NEAR(ComputeJndFeatures(Speech(), quieter, Noise(), 0.0, 0.0, kRate)[2], 0.0, 1e-3);
}

TEST(JndFeaturesTest, WhiteNoiseIsFlatAndSteady) {
  const std::vector<float> noise = WhiteNoise(kSegment);
  const JndFeatures features = ComputeJndFeatures(noise, noise, noise, 0.0, 0.0, kRate);
  EXPECT_LE(features[3], 0.0);
  EXPECT_GT(features[3], -0.2);  // dB; one frame's periodogram alone would read about -2.5
  EXPECT_LT(features[4], 0.5);   // dB of frame-level spread
}

TEST(JndFeaturesTest, SineIsFarFromFlat) {
  std::vector<float> sine(kSegment);
  for (size_t i = 0; i < sine.size(); ++i)
    sine[i] = static_cast<float>(0.5 * std::sin(2.0 * kPi * 1000.0 * i / kRate));
  EXPECT_LT(ComputeJndFeatures(sine, sine, sine, 0.0, 0.0, kRate)[3], -30.0);
}

TEST(JndFeaturesTest, RecordedNoiseAndBabbleDifferAsExpected) {
  const std::vector<float> babble = Recording16k(testing::AlsaVoiceClips()[0]);
  const JndFeatures noise = ComputeJndFeatures(Noise(), Noise(), Noise(), 0.0, 0.0, kRate);
  const JndFeatures speech = ComputeJndFeatures(babble, babble, babble, 0.0, 0.0, kRate);
  // Speech has formants and pauses: less flat and far less steady than the
  // recorded noise.
  EXPECT_LT(speech[3], noise[3]);
  EXPECT_LT(noise[3], -0.5);
  EXPECT_GT(speech[4], noise[4] + 5.0);
}

TEST(JndFeaturesTest, FrameLengthScalesWithSampleRate) {
  // At 48 kHz a 32 ms frame is 2048 samples; white noise stays flat.
  const std::vector<float> noise = WhiteNoise(3 * kSegment);
  const JndFeatures features = ComputeJndFeatures(noise, noise, noise, 0.0, 0.0, 48000);
  EXPECT_GT(features[3], -0.2);
  EXPECT_THROW(ComputeJndFeatures(WhiteNoise(1000), WhiteNoise(1000), WhiteNoise(1000), 0.0, 0.0, 48000),
               Error);
}

TEST(JndFeaturesTest, SilentFramesAreLeftOut) {
  // Zeros in front of the noise change neither its flatness nor its
  // fluctuation.
  const std::vector<float> noise = WhiteNoise(kSegment);
  std::vector<float> gapped(kSegment / 2, 0.0f);
  gapped.insert(gapped.end(), noise.begin(), noise.end());
  const JndFeatures whole = ComputeJndFeatures(noise, noise, noise, 0.0, 0.0, kRate);
  const JndFeatures with_gap = ComputeJndFeatures(gapped, gapped, gapped, 0.0, 0.0, kRate);
  EXPECT_NEAR(with_gap[3], whole[3], 0.05);
  EXPECT_LT(with_gap[4], 0.5);
}

TEST(JndFeaturesTest, ComputesOnlyTheWantedFeatures) {
  JndPair pair;
  MixJndPair(Speech(), Noise(), 2.0, 5.0, JndMixArgs{}, pair);
  const JndFeatures all = ComputeJndFeatures(pair.a, pair.b, Noise(), pair.snr_a_db, pair.snr_b_db, kRate);
  for (const char* list : {"snr_db,delta_db", "delta_db,spectral_distance", "delta_db,noise_fluctuation"}) {
    const JndFeatureMask wanted = ParseJndFeatureList(list);
    const JndFeatures some =
        ComputeJndFeatures(pair.a, pair.b, Noise(), pair.snr_a_db, pair.snr_b_db, kRate, wanted);
    for (int f = 0; f < kJndFeatureCount; ++f) {
      // snr_db is always filled in: it costs nothing.
      if (wanted[f] || f == kSnr)
        EXPECT_EQ(some[f], all[f]) << list << ": " << JndFeatureNames()[f];
      else
        EXPECT_EQ(some[f], 0.0) << list << ": " << JndFeatureNames()[f];
    }
  }
}

TEST(JndFeaturesTest, RejectsBadInputs) {
  const std::vector<float> noise = WhiteNoise(kSegment);
  const std::vector<float> shorter(noise.begin(), noise.end() - 1);
  const std::vector<float> silence(kSegment, 0.0f);
  EXPECT_THROW(ComputeJndFeatures(noise, shorter, noise, 0.0, 3.0, kRate), Error);
  EXPECT_THROW(ComputeJndFeatures(noise, noise, silence, 0.0, 3.0, kRate), Error);
  EXPECT_THROW(ComputeJndFeatures(silence, silence, noise, 0.0, 3.0, kRate), Error);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(ComputeJndFeatures(noise, noise, noise, 0.0, nan, kRate), Error);
  EXPECT_THROW(ComputeJndFeatures(noise, noise, noise, 0.0, 3.0, 0), Error);
}

}  // namespace
}  // namespace jsqa
