#include "augment/jnd_pair.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "augment/audio_io.h"
#include "augment/mix.h"
#include "augment/resampler.h"
#include "augment/segment.h"
#include "pipeline/base/error.h"
#include "tests/test_support.h"

namespace jsqa {
namespace {

constexpr int kRate = 16000;
constexpr int64_t kSegment = 4 * kRate;

const std::vector<float>& Speech() {
  static const std::vector<float> speech = Crop(ReadAudio(testing::LibrivoxClips()[0]).samples, 0, kSegment);
  return speech;
}

const std::vector<float>& Noise() {
  static const std::vector<float> noise = [] {
    const Audio recording = ReadAudio(testing::AlsaNoise());
    return LoopToLength(Resample(recording.samples, recording.sample_rate, kRate), 777, kSegment);
  }();
  return noise;
}

// The pair as the definition in jnd_pair.h reads, built from MixAtSnr: each
// mixture unscaled, then both brought to the target RMS and limited
// together.
JndPair PairFromMixAtSnr(double snr_a_db, double snr_b_db, const JndMixArgs& args) {
  const auto unscaled = [&](double snr_db) {
    MixArgs mix;
    mix.snr_db = snr_db;
    mix.snr_mode = args.snr_mode;
    mix.sample_rate = args.sample_rate;
    mix.target_dbfs = std::numeric_limits<double>::quiet_NaN();
    mix.max_peak = std::numeric_limits<double>::max();
    return MixAtSnr(Speech(), Noise(), mix);
  };
  const MixResult a = unscaled(snr_a_db);
  const MixResult b = unscaled(snr_b_db);
  double gain_a = std::pow(10.0, (args.target_dbfs - RmsDbfs(a.mixture)) / 20.0);
  double gain_b = std::pow(10.0, (args.target_dbfs - RmsDbfs(b.mixture)) / 20.0);
  const double peak = std::max(gain_a * Peak(a.mixture), gain_b * Peak(b.mixture));
  if (peak > args.max_peak) {
    gain_a *= args.max_peak / peak;
    gain_b *= args.max_peak / peak;
  }
  JndPair pair;
  pair.gain_a = gain_a;
  pair.gain_b = gain_b;
  for (const float x : a.mixture) pair.a.push_back(static_cast<float>(gain_a * x));
  for (const float x : b.mixture) pair.b.push_back(static_cast<float>(gain_b * x));
  pair.snr_a_db = a.realised_snr_db;
  pair.snr_b_db = b.realised_snr_db;
  pair.clean = a.clean;
  pair.noise_a = a.scaled_noise;
  pair.noise_b = b.scaled_noise;
  return pair;
}

// Shards store these samples and SNRs: one pass per mixture must give the
// same bits as mixing each with MixAtSnr and measuring it afterwards.
TEST(JndPairTest, SameBitsAsMixAtSnrAndLevelMatching) {
  for (const SnrMode mode : {SnrMode::kWholeSegment, SnrMode::kActiveSpeech}) {
    for (const double target_dbfs : {-25.0, -3.0}) {  // -3 dBFS is peak limited
      JndMixArgs args;
      args.snr_mode = mode;
      args.target_dbfs = target_dbfs;
      JndPair pair;
      MixJndPair(Speech(), Noise(), 4.0, 6.5, args, pair);
      const JndPair expected = PairFromMixAtSnr(4.0, 6.5, args);
      EXPECT_EQ(pair.snr_a_db, expected.snr_a_db);
      EXPECT_EQ(pair.snr_b_db, expected.snr_b_db);
      EXPECT_EQ(pair.gain_a, expected.gain_a);
      EXPECT_EQ(pair.gain_b, expected.gain_b);
      EXPECT_EQ(pair.a, expected.a);
      EXPECT_EQ(pair.b, expected.b);
      EXPECT_EQ(pair.clean, expected.clean);
      EXPECT_EQ(pair.noise_a, expected.noise_a);
      EXPECT_EQ(pair.noise_b, expected.noise_b);
    }
  }
}

TEST(JndPairTest, BothMixturesAtTheTargetLevelAndUnderThePeakLimit) {
  JndPair pair;
  MixJndPair(Speech(), Noise(), 0.0, 3.0, JndMixArgs{}, pair);
  EXPECT_NEAR(RmsDbfs(pair.a), -25.0, 1e-3);
  EXPECT_NEAR(RmsDbfs(pair.b), -25.0, 1e-3);
  EXPECT_NEAR(pair.snr_b_db - pair.snr_a_db, 3.0, 1e-3);

  JndMixArgs loud;
  loud.target_dbfs = -3.0;
  MixJndPair(Speech(), Noise(), 0.0, 3.0, loud, pair);
  // The limit holds before the samples are rounded to float (half an ulp).
  EXPECT_LE(std::max(Peak(pair.a), Peak(pair.b)), loud.max_peak + 1e-7);
  EXPECT_NEAR(RmsDbfs(pair.a), RmsDbfs(pair.b), 1e-3);
}

TEST(JndPairTest, RejectsSilentOrNonFiniteInputs) {
  const std::vector<float> silence(kSegment, 0.0f);
  std::vector<float> with_nan = Noise();
  with_nan[1000] = std::nanf("");
  JndPair pair;
  EXPECT_THROW(MixJndPair(silence, Noise(), 0.0, 3.0, JndMixArgs{}, pair), Error);
  EXPECT_THROW(MixJndPair(Speech(), silence, 0.0, 3.0, JndMixArgs{}, pair), Error);
  EXPECT_THROW(MixJndPair(Speech(), with_nan, 0.0, 3.0, JndMixArgs{}, pair), Error);
  EXPECT_THROW(MixJndPair(Speech(), Noise(), 0.0, std::nan(""), JndMixArgs{}, pair), Error);
}

}  // namespace
}  // namespace jsqa
