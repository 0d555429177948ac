// The speech checks synthesis applies to each segment before it makes a
// pair (JndConfig::SpeechSegmentProblem), on real speech and on the damaged
// recordings real corpora hold, and the P.56 level rule of the mixtures.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "augment/active_speech_level.h"
#include "augment/audio_io.h"
#include "augment/sample_defects.h"
#include "augment/jnd_pair.h"
#include "pipeline/synthesis/jnd_config.h"
#include "pipeline/synthesis/noise_bank.h"
#include "tests/test_support.h"

namespace jsqa {
namespace {

constexpr int kRate = 16000;

// 4 s of a Debian recording at 16 kHz (LibriVox speech), scaled by gain.
std::vector<float> Speech(double gain = 1.0, size_t samples = 4 * kRate) {
  const Audio audio = ReadAudio(testing::LibrivoxClips().at(0));
  EXPECT_EQ(audio.sample_rate, kRate);
  std::vector<float> speech(samples, 0.0f);
  for (size_t i = 0; i < samples && i < audio.samples.size(); ++i) speech[i] = static_cast<float>(gain * audio.samples[i]);
  return speech;
}

std::optional<SkipReason> Problem(const JndConfig& jnd, const std::vector<float>& clean, std::string* why = nullptr) {
  return jnd.SpeechSegmentProblem(clean, kRate, why);
}

TEST(SpeechSegmentChecks, RealSpeechPasses) {
  const JndConfig jnd;
  EXPECT_EQ(Problem(jnd, Speech()), std::nullopt);
}

// A damaged recording holding only 16-bit dither: no P.56 activity at all,
// where the RMS rule would have amplified it by about 67 dB.
TEST(SpeechSegmentChecks, DitherOnlyIsQuietSpeech) {
  std::mt19937 random(5);
  std::vector<float> dither(4 * kRate);
  for (float& x : dither) x = static_cast<float>(static_cast<int>(random() % 3) - 1) / 32768.0f;
  std::string why;
  EXPECT_EQ(Problem(JndConfig(), dither, &why), SkipReason::kQuietSpeech);
  EXPECT_EQ(why, "active speech level none dBov, under jnd.min_speech_level = -60");
}

TEST(SpeechSegmentChecks, SpeechUnderTheFloorIsQuietSpeech) {
  const JndConfig jnd;
  const double level = MeasureActiveSpeechLevel(Speech(), kRate).level_db;
  // 50 dB quieter than the recording: under −60 dBov.
  std::string why;
  EXPECT_EQ(Problem(jnd, Speech(std::pow(10.0, -50 / 20.0)), &why), SkipReason::kQuietSpeech) << level;
  EXPECT_NE(why.find("under jnd.min_speech_level = -60"), std::string::npos) << why;
}

// 3 s of leading silence and 1 s of speech (with its own pauses): active
// 18 % of the segment, under the 20 % minimum: mostly silence. 2 s of each
// is kept.
TEST(SpeechSegmentChecks, ThreeSecondsOfLeadingSilenceBeforeOneOfSpeechIsMostlySilence) {
  const JndConfig jnd;
  const std::vector<float> speech = Speech();
  std::vector<float> late_second(4 * kRate, 0.0f), half(4 * kRate, 0.0f);
  std::copy(speech.begin(), speech.begin() + kRate, late_second.begin() + 3 * kRate);
  std::copy(speech.begin(), speech.begin() + 2 * kRate, half.begin() + 2 * kRate);
  std::string why;
  EXPECT_EQ(Problem(jnd, late_second, &why), SkipReason::kMostlySilence);
  EXPECT_EQ(why, "active 18.2 % of the segment, under jnd.min_speech_activity = 0.2");
  EXPECT_EQ(Problem(jnd, half, &why), std::nullopt) << why;
}

// Quiet but above the floor: kept at the default 40 dB, skipped when the
// user allows only 20 dB of gain.
TEST(SpeechSegmentChecks, GainOverTheMaximumIsSkipped) {
  JndConfig jnd;
  const std::vector<float> quiet = Speech(std::pow(10.0, -30 / 20.0));
  EXPECT_EQ(Problem(jnd, quiet), std::nullopt);
  jnd.max_gain_db = 20;
  std::string why;
  EXPECT_EQ(Problem(jnd, quiet, &why), SkipReason::kGainTooLarge);
  EXPECT_NE(why.find("over jnd.max_gain_db = 20"), std::string::npos) << why;
}

// level_rule = active: both mixtures at the target P.56 active level. P.56
// is not exactly scale-invariant (a gain moves the envelope between its
// 6 dB-spaced thresholds), so a mixture scaled by the measured gain lands
// within 0.1 dB of the target, as with ITU-T's own sv56 normalisation.
TEST(LevelRule, ActiveRuleBringsBothMixturesToTheTargetActiveLevel) {
  const std::vector<float> clean = Speech();
  const Audio noise_audio = ReadAudio(testing::AlsaNoise());
  std::vector<float> noise(clean.size());
  for (size_t i = 0; i < noise.size(); ++i) noise[i] = noise_audio.samples[i % noise_audio.samples.size()];
  JndMixArgs args;
  args.level_rule = LevelRule::kActiveSpeech;
  args.target_level_db = -26.0;
  JndPair pair;
  MixJndPair(clean, noise, 10.0, 13.0, args, pair);
  EXPECT_NEAR(MeasureActiveSpeechLevel(pair.a, kRate).level_db, -26.0, 0.1);
  EXPECT_NEAR(MeasureActiveSpeechLevel(pair.b, kRate).level_db, -26.0, 0.1);
  EXPECT_NEAR(pair.snr_b_db - pair.snr_a_db, 3.0, 1e-6);
}

// Noise with digital dropouts: runs of exact zeros (a recorder's lost
// packets). 50 ms at 16 kHz is 800 samples.
TEST(Dropouts, RunsOfExactZerosAreFoundAndMeasured) {
  const Audio audio = ReadAudio(testing::AlsaNoise());
  std::vector<float> noise(audio.samples.begin(), audio.samples.begin() + 4 * kRate);
  EXPECT_LT(LongestZeroRun(noise), 800);  // real noise: no dropout
  EXPECT_EQ(DropoutFraction(noise, 800), 0.0);
  std::fill(noise.begin() + 1000, noise.begin() + 2000, 0.0f);        // a 62.5 ms dropout
  std::fill(noise.begin() + 10000, noise.begin() + 10400, 0.0f);      // 25 ms: under the minimum
  EXPECT_EQ(LongestZeroRun(noise), 1000);
  EXPECT_DOUBLE_EQ(DropoutFraction(noise, 800), 1000.0 / noise.size());
  std::fill(noise.begin(), noise.begin() + 3 * kRate, 0.0f);         // mostly dropout
  EXPECT_GT(DropoutFraction(noise, 800), 0.5);
}

// Source clipping: the Debian recording as it is has no full-scale run;
// amplified 8× into a 16-bit file it has many, and reads back with them.
TEST(Clipping, FullScaleRunsAreFoundInAClippedRecording) {
  testing::TempDir dir;
  const std::vector<float> speech = Speech();
  EXPECT_EQ(ClippedRuns(speech), 0);
  std::vector<float> loud = speech;
  for (float& x : loud) x = std::clamp(8.0f * x, -1.0f, 1.0f);
  WriteAudio(dir / "clipped.wav", loud, kRate);
  const Audio clipped = ReadAudio(dir / "clipped.wav");
  EXPECT_GT(ClippedRuns(clipped.samples), 10);
  EXPECT_EQ(ClippedRuns({0.5f, 1.0f, 1.0f, 0.2f, -1.0f}), 0);  // two in a row is not clipping
  EXPECT_EQ(ClippedRuns({1.0f, 1.0f, 1.0f, 1.0f, 0.0f, -1.0f, -1.0f, -1.0f}), 2);
}

// A noise recording that is mostly dropouts is left out of the bank with
// its code; one with a short dropout stays (its segments there are redrawn).
TEST(Dropouts, AMostlyDropoutRecordingIsLeftOutOfTheNoiseBank) {
  testing::TempDir dir;
  const Audio audio = ReadAudio(testing::AlsaNoise());
  std::vector<float> noise(audio.samples.begin(), audio.samples.begin() + 4 * kRate);
  std::vector<float> short_gap = noise, mostly_gap = noise;
  std::fill(short_gap.begin() + 1000, short_gap.begin() + 2000, 0.0f);
  std::fill(mostly_gap.begin(), mostly_gap.begin() + 3 * kRate, 0.0f);
  std::vector<ManifestItem> items;
  for (const auto& [name, samples] : {std::pair{"short-gap", short_gap}, std::pair{"mostly-gap", mostly_gap}}) {
    const std::string path = dir / (std::string(name) + ".wav");
    WriteAudio(path, samples, kRate);
    ManifestItem item;
    item.item.id = name;
    item.item.path = path;
    item.sample_rate = kRate;
    item.frames = static_cast<int64_t>(samples.size());
    item.channels = 1;
    items.push_back(item);
  }
  NoiseBankArgs args;
  args.dropout_samples = JndConfig().DropoutSamples(kRate);
  EXPECT_EQ(args.dropout_samples, 800);
  const NoiseBank bank(items, args);
  ASSERT_EQ(bank.size(), 1u);
  EXPECT_EQ(bank.Id(0), "short-gap");
  ASSERT_EQ(bank.skipped().size(), 1u);
  EXPECT_EQ(bank.skipped()[0].code, SkipReason::kDropouts);
  EXPECT_EQ(bank.skipped()[0].reason,
            dir / "mostly-gap.wav" + ": 75 % of the recording is digital dropouts (runs of exact zeros of 800 "
                                      "samples or more)");
}

}  // namespace
}  // namespace jsqa
