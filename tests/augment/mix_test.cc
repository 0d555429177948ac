#include "augment/mix.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "augment/active_speech_level.h"
#include "augment/audio_io.h"
#include "pipeline/base/error.h"
#include "augment/resampler.h"
#include "augment/segment.h"
#include "tests/test_support.h"

namespace jsqa {
namespace {

constexpr int kRate = 16000;

// Real speech: a LibriVox clip at 16 kHz, loaded once for the whole suite.
const std::vector<float>& Speech() {
  static const std::vector<float> speech = ReadAudio(testing::LibrivoxClips()[0]).samples;
  return speech;
}

// alsa-utils' Noise.wav brought down from 48 kHz and looped to the speech's
// length.
const std::vector<float>& Noise() {
  static const std::vector<float> noise = [] {
    const Audio recording = ReadAudio(testing::AlsaNoise());
    return LoopToLength(Resample(recording.samples, recording.sample_rate, kRate), 1234,
                        static_cast<int64_t>(Speech().size()));
  }();
  return noise;
}

bool AllFinite(const MixResult& result) {
  for (const auto* signal : {&result.mixture, &result.clean, &result.scaled_noise})
    for (const float x : *signal)
      if (!std::isfinite(x)) return false;
  return std::isfinite(result.noise_gain) && std::isfinite(result.gain) &&
         std::isfinite(result.realised_snr_db);
}

double MaxSumError(const MixResult& result) {
  double worst = 0.0;
  for (size_t i = 0; i < result.mixture.size(); ++i)
    worst = std::max(worst, std::abs(static_cast<double>(result.mixture[i]) - result.clean[i] -
                                     result.scaled_noise[i]));
  return worst;
}

// The active-speech SNR as mix.h defines it: energies over the samples
// P.56 marks active in the clean speech (its mask is tested on its own in
// active_speech_level_test.cc).
double ActiveSpeechSnrDb(const std::vector<float>& clean, const std::vector<float>& noise) {
  const std::vector<unsigned char> active =
      ActiveSpeechMask(clean, kRate, MeasureActiveSpeechLevel(clean, kRate).level_db);
  double clean_energy = 0.0;
  double noise_energy = 0.0;
  for (size_t i = 0; i < clean.size(); ++i) {
    if (!active[i]) continue;
    clean_energy += static_cast<double>(clean[i]) * clean[i];
    noise_energy += static_cast<double>(noise[i]) * noise[i];
  }
  return 10.0 * std::log10(clean_energy / noise_energy);
}

TEST(MixTest, RealisedSnrMatchesTargetOnRealSpeechAndNoise) {
  for (double snr = -5.0; snr <= 30.0; snr += 2.5) {
    SCOPED_TRACE(snr);
    MixArgs args;
    args.snr_db = snr;
    const MixResult result = MixAtSnr(Speech(), Noise(), args);
    ASSERT_TRUE(AllFinite(result));
    // Recomputed from the returned components, as a reader of a shard would.
    EXPECT_NEAR(SnrDb(result.clean, result.scaled_noise), snr, 0.01);
    EXPECT_NEAR(result.realised_snr_db, SnrDb(result.clean, result.scaled_noise), 1e-9);
    EXPECT_LT(MaxSumError(result), 1e-6);
    EXPECT_FALSE(result.peak_limited);
    EXPECT_NEAR(RmsDbfs(result.mixture), -25.0, 0.01);
    EXPECT_LE(Peak(result.mixture), 0.99);
  }
}

TEST(MixTest, ActiveSpeechModeMeasuresOverSpeechFrames) {
  // One second of silence either side makes a third of the frames inactive.
  std::vector<float> clean(kRate, 0.0f);
  clean.insert(clean.end(), Speech().begin(), Speech().end());
  clean.insert(clean.end(), kRate, 0.0f);
  const std::vector<float> noise = LoopToLength(Noise(), 0, static_cast<int64_t>(clean.size()));

  for (const double snr : {-5.0, 0.0, 10.0, 30.0}) {
    SCOPED_TRACE(snr);
    MixArgs args;
    args.snr_db = snr;
    args.snr_mode = SnrMode::kActiveSpeech;
    args.sample_rate = kRate;
    const MixResult result = MixAtSnr(clean, noise, args);
    ASSERT_TRUE(AllFinite(result));
    EXPECT_NEAR(ActiveSpeechSnrDb(result.clean, result.scaled_noise), snr, 0.01);
    EXPECT_NEAR(result.realised_snr_db, snr, 0.01);
    // Noise in the silent frames counts against the whole-segment SNR only.
    EXPECT_LT(SnrDb(result.clean, result.scaled_noise), snr - 1.0);
  }
}

TEST(MixTest, NormalisesTheMixtureLevel) {
  for (const double target : {-35.0, -30.0, -20.0}) {
    MixArgs args;
    args.target_dbfs = target;
    const MixResult result = MixAtSnr(Speech(), Noise(), args);
    EXPECT_NEAR(RmsDbfs(result.mixture), target, 0.01);
    EXPECT_FALSE(result.peak_limited);
  }
}

TEST(MixTest, NanTargetLeavesTheLevelAsMixed) {
  MixArgs args;
  args.target_dbfs = std::numeric_limits<double>::quiet_NaN();
  const MixResult result = MixAtSnr(Speech(), Noise(), args);
  EXPECT_EQ(result.gain, 1.0);
  EXPECT_EQ(result.clean, Speech());
  EXPECT_NEAR(SnrDb(result.clean, result.scaled_noise), args.snr_db, 0.01);
}

TEST(MixTest, PeakLimitingScalesEverythingAndKeepsTheSnr) {
  // Speech peaks lie far above its RMS, so a -6 dBFS mixture would clip.
  MixArgs args;
  args.snr_db = 20.0;
  args.target_dbfs = -6.0;
  const MixResult result = MixAtSnr(Speech(), Noise(), args);
  EXPECT_TRUE(result.peak_limited);
  EXPECT_NEAR(Peak(result.mixture), args.max_peak, 1e-6);
  EXPECT_LT(RmsDbfs(result.mixture), args.target_dbfs);
  EXPECT_NEAR(SnrDb(result.clean, result.scaled_noise), 20.0, 0.01);
  EXPECT_LT(MaxSumError(result), 1e-6);
}

TEST(MixTest, RejectsSilentInputs) {
  const std::vector<float> silence(Speech().size(), 0.0f);
  EXPECT_THROW(MixAtSnr(silence, Noise(), {}), Error);
  EXPECT_THROW(MixAtSnr(Speech(), silence, {}), Error);
}

TEST(MixTest, RejectsNoiseSilentDuringActiveSpeech) {
  // Speech in the first second, noise in the third only: the speech's
  // active samples (its hangover included) never meet the noise.
  std::vector<float> clean(3 * kRate, 0.0f);
  std::vector<float> noise(3 * kRate, 0.0f);
  for (int i = 0; i < kRate; ++i) {
    clean[i] = Speech()[kRate + i];
    noise[2 * kRate + i] = Noise()[i];
  }
  MixArgs args;
  args.snr_mode = SnrMode::kActiveSpeech;
  EXPECT_THROW(MixAtSnr(clean, noise, args), Error);
  args.snr_mode = SnrMode::kWholeSegment;
  EXPECT_TRUE(AllFinite(MixAtSnr(clean, noise, args)));
}

TEST(MixArgumentsTest, RejectsBadShapesValuesAndSettings) {
  const std::vector<float> a{0.1f, -0.2f, 0.3f};
  const std::vector<float> b{0.05f, 0.02f, -0.01f};
  EXPECT_THROW(MixAtSnr({}, {}, {}), Error);
  EXPECT_THROW(MixAtSnr(a, {0.1f, 0.2f}, {}), Error);
  EXPECT_THROW(MixAtSnr({0.1f, std::nanf(""), 0.2f}, b, {}), Error);
  EXPECT_THROW(MixAtSnr(a, {0.1f, std::numeric_limits<float>::infinity(), 0.2f}, {}), Error);

  MixArgs args;
  args.snr_db = std::numeric_limits<double>::infinity();
  EXPECT_THROW(MixAtSnr(a, b, args), Error);
  args = {};
  args.max_peak = 0.0;
  EXPECT_THROW(MixAtSnr(a, b, args), Error);
  args = {};
  args.snr_mode = SnrMode::kActiveSpeech;
  args.sample_rate = 0;
  EXPECT_THROW(MixAtSnr(a, b, args), Error);
  EXPECT_TRUE(AllFinite(MixAtSnr(a, b, {})));
}

TEST(SignalLevelsTest, MeasuresEnergyLevelPeakAndSnr) {
  std::vector<float> sine(48000);
  for (size_t i = 0; i < sine.size(); ++i)
    sine[i] = static_cast<float>(std::sin(2 * M_PI * 1000.0 * i / 48000.0));
  EXPECT_NEAR(RmsDbfs(sine), -3.0103, 1e-3);  // a full-scale sine
  EXPECT_NEAR(Peak(sine), 1.0, 1e-6);
  EXPECT_NEAR(Energy(sine), 24000.0, 1e-3);
  EXPECT_NEAR(SnrDb(sine, std::vector<float>(48000, 0.1f)), 10.0 * std::log10(24000.0 / 480.0),
              1e-4);
  EXPECT_EQ(RmsDbfs(std::vector<float>(10, 0.0f)), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(RmsDbfs({}), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(Peak({-0.5f, 0.25f}), 0.5);
  EXPECT_THROW(SnrDb(sine, std::vector<float>(48000, 0.0f)), Error);
}

}  // namespace
}  // namespace jsqa
