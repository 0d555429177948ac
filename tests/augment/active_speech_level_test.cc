// ITU-T P.56 method B active speech level: hand-computed cases, the
// Recommendation's worked properties, and real speech.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "augment/active_speech_level.h"
#include "augment/audio_io.h"
#include "augment/mix.h"
#include "tests/test_support.h"

namespace jsqa {
namespace {

constexpr int kRate = 16000;
constexpr double kPi = 3.14159265358979323846;

std::vector<float> Tone(double amplitude, double seconds, double hz = 1000.0) {
  std::vector<float> x(static_cast<size_t>(seconds * kRate));
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(amplitude * std::sin(2 * kPi * hz * i / kRate));
  return x;
}

std::vector<float> Concat(std::vector<float> a, const std::vector<float>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// A square wave of amplitude 0.5 is active throughout: its active level is
// its RMS, 20·log10(0.5) = −6.02 dBov, and so is its long-term level.
TEST(ActiveSpeechLevel, SquareWaveIsActiveThroughoutAtItsRms) {
  std::vector<float> square(10 * kRate);
  for (size_t i = 0; i < square.size(); ++i) square[i] = (i / 8) % 2 ? 0.5f : -0.5f;  // 1 kHz
  const ActiveSpeechLevel level = MeasureActiveSpeechLevel(square, kRate);
  EXPECT_NEAR(level.long_term_db, 20 * std::log10(0.5), 1e-9);
  // Only the envelope's first ~22 ms (rising to the thresholds; nothing
  // before the first sample counts as active) are not active.
  EXPECT_NEAR(level.level_db, 20 * std::log10(0.5), 0.01);
  EXPECT_GT(level.activity, 0.997);
}

// A tone's level: a sine of amplitude A is at 20·log10(A/√2) dBov (a
// full-scale sine at −3.01 dBov).
TEST(ActiveSpeechLevel, ATonesLevelIsItsRms) {
  for (double amplitude : {1.0, 0.1, 0.01}) {
    const ActiveSpeechLevel level = MeasureActiveSpeechLevel(Tone(amplitude, 5.0), kRate);
    // 5 s of tone: its first ~23 ms (the envelope's rise) are not active,
    // which puts the level 0.02 dB above the RMS.
    EXPECT_NEAR(level.level_db, 20 * std::log10(amplitude / std::sqrt(2.0)), 0.03) << amplitude;
  }
}

// Half the time silent (pauses far longer than the 0.2 s hangover): the
// active level stays the tone's, the long-term level falls by 3 dB, less
// what the hangover and the envelope's decay add to the active time.
TEST(ActiveSpeechLevel, FiftyPercentPausesPutTheActiveLevelAbout3dBAboveTheLongTerm) {
  std::vector<float> signal;
  for (int burst = 0; burst < 5; ++burst) signal = Concat(Concat(signal, Tone(0.3, 4.0)), std::vector<float>(4 * kRate));
  const ActiveSpeechLevel level = MeasureActiveSpeechLevel(signal, kRate);
  const double tone_db = 20 * std::log10(0.3 / std::sqrt(2.0));
  EXPECT_NEAR(level.long_term_db, tone_db - 3.0103, 0.01);
  // 4 s bursts, each active about 0.2 s longer (hangover) plus the decay.
  EXPECT_GT(level.activity, 0.5);
  EXPECT_LT(level.activity, 0.56);
  EXPECT_GT(level.level_db - level.long_term_db, 2.5);
  EXPECT_LT(level.level_db - level.long_term_db, 3.0103);
  EXPECT_NEAR(level.level_db, tone_db, 0.5);
}

// Scaling by 2^k moves every threshold crossing by exactly one threshold
// step per factor 2: the level moves by 20·log10(2^k), the activity not at all.
TEST(ActiveSpeechLevel, ScalingShiftsTheLevelAndKeepsTheActivity) {
  std::mt19937 random(7);
  std::normal_distribution<float> normal(0.0f, 0.05f);
  std::vector<float> speechlike;
  for (int burst = 0; burst < 8; ++burst) {
    for (int i = 0; i < kRate / 2; ++i) speechlike.push_back(normal(random));
    speechlike.insert(speechlike.end(), kRate / 2, 0.0f);
  }
  const ActiveSpeechLevel base = MeasureActiveSpeechLevel(speechlike, kRate);
  std::vector<float> louder = speechlike;
  for (float& x : louder) x *= 4.0f;
  const ActiveSpeechLevel scaled = MeasureActiveSpeechLevel(louder, kRate);
  EXPECT_NEAR(scaled.level_db - base.level_db, 20 * std::log10(4.0), 1e-6);
  EXPECT_NEAR(scaled.activity, base.activity, 1e-9);
}

// Silence, and 16-bit dither alone (−1, 0, +1 LSB alike: RMS √(2/3) LSB,
// −92.06 dBov): nothing is active, so a level rule has nothing to normalise.
TEST(ActiveSpeechLevel, SilenceAndDitherHaveNoActivity) {
  const ActiveSpeechLevel silence = MeasureActiveSpeechLevel(std::vector<float>(4 * kRate), kRate);
  EXPECT_EQ(silence.activity, 0.0);
  EXPECT_TRUE(std::isinf(silence.level_db));
  std::mt19937 random(3);
  std::vector<float> dither(4 * kRate);
  for (float& x : dither) x = static_cast<float>(static_cast<int>(random() % 3) - 1) / 32768.0f;
  const ActiveSpeechLevel level = MeasureActiveSpeechLevel(dither, kRate);
  EXPECT_EQ(level.activity, 0.0);
  EXPECT_TRUE(std::isinf(level.level_db));
  EXPECT_NEAR(level.long_term_db, 20 * std::log10(std::sqrt(2.0 / 3.0) / 32768), 0.05);
}

// 3 s of leading silence then 1 s of speech: the active level is the
// speech's own, the activity about a quarter.
TEST(ActiveSpeechLevel, LeadingSilenceLowersTheActivityNotTheLevel) {
  const Audio audio = ReadAudio(testing::LibrivoxClips().at(0));
  std::vector<float> speech(audio.samples.begin(), audio.samples.begin() + std::min<size_t>(audio.samples.size(), audio.sample_rate));
  const ActiveSpeechLevel alone = MeasureActiveSpeechLevel(speech, audio.sample_rate);
  const ActiveSpeechLevel late =
      MeasureActiveSpeechLevel(Concat(std::vector<float>(3 * audio.sample_rate), speech), audio.sample_rate);
  ASSERT_TRUE(alone.any_activity());
  EXPECT_NEAR(late.level_db, alone.level_db, 0.01);
  EXPECT_NEAR(late.activity, alone.activity / 4, 0.01);
  // Real speech: active level above its long-term level, activity below 1.
  EXPECT_GT(alone.level_db, alone.long_term_db);
  EXPECT_LT(alone.activity, 1.0);
}

// The mask at the level's own threshold (15.9 dB under the tone's level): a
// 1 s tone between two seconds of silence is active from about 21 ms after
// its onset (the two 30 ms smoothers reaching 18 % of the tone's mean |x|)
// to 0.2 s (the hangover) plus about 90 ms (their decay to that threshold)
// after its end; the silence before it never is.
TEST(ActiveSpeechMask, CoversTheToneAndItsHangover) {
  const std::vector<float> signal = Concat(Concat(std::vector<float>(2 * kRate), Tone(0.3, 1.0)), std::vector<float>(2 * kRate));
  const ActiveSpeechLevel level = MeasureActiveSpeechLevel(signal, kRate);
  const std::vector<unsigned char> mask = ActiveSpeechMask(signal, kRate, level.level_db);
  ASSERT_EQ(mask.size(), signal.size());
  const auto first = std::find(mask.begin(), mask.end(), 1) - mask.begin();
  const auto last = mask.rend() - std::find(mask.rbegin(), mask.rend(), 1) - 1;
  EXPECT_GE(first, 2 * kRate);
  EXPECT_NEAR(first - 2 * kRate, 0.021 * kRate, 0.003 * kRate);
  EXPECT_NEAR(last - 3 * kRate, 0.29 * kRate, 0.02 * kRate);
  EXPECT_EQ(std::count(mask.begin() + first, mask.begin() + last + 1, 1), last - first + 1);
  const std::vector<unsigned char> none = ActiveSpeechMask(signal, kRate, -std::numeric_limits<double>::infinity());
  EXPECT_EQ(std::count(none.begin(), none.end(), 0), static_cast<long>(none.size()));
}

// On real speech with pauses the mask's share of the samples is the
// activity the level implies (Σx² / (count · level)), within the step
// between two of the Recommendation's thresholds.
TEST(ActiveSpeechMask, AgreesWithTheMeasuredActivityOnRealSpeech) {
  for (const auto& clip : testing::LibrivoxClips()) {
    SCOPED_TRACE(clip);
    const Audio audio = ReadAudio(clip);
    const std::vector<float> signal = Concat(Concat(std::vector<float>(audio.sample_rate), audio.samples),
                                             std::vector<float>(audio.sample_rate));
    const ActiveSpeechLevel level = MeasureActiveSpeechLevel(signal, audio.sample_rate);
    ASSERT_TRUE(level.any_activity());
    const std::vector<unsigned char> mask = ActiveSpeechMask(signal, audio.sample_rate, level.level_db);
    const double share = static_cast<double>(std::count(mask.begin(), mask.end(), 1)) / signal.size();
    EXPECT_GT(share, 0.3);
    EXPECT_LT(share, 0.95);  // the padding alone keeps it under 1
    EXPECT_NEAR(share, level.activity, 0.05);
  }
}

// The Recommendation's rule as written, one sample at a time: every
// threshold's hangover counter updated on every sample. The implementation
// counts from runs of the envelope's octave instead; both must give the
// same counts, so the same level and activity to the last bit.
ActiveSpeechLevel LiteralP56(const std::vector<float>& x, int rate) {
  const double g = std::exp(-1.0 / (0.03 * rate));
  const int64_t hangover = static_cast<int64_t>(std::ceil(0.2 * rate));
  std::vector<int64_t> active(15, 0), hang(15, hangover);
  double p = 0, q = 0, sum = 0;
  for (const float sample : x) {
    sum += static_cast<double>(sample) * sample;
    p = g * p + (1 - g) * std::abs(static_cast<double>(sample));
    q = g * q + (1 - g) * p;
    for (int j = 0; j < 15; ++j) {
      if (q >= std::ldexp(1.0, j - 15)) {
        ++active[j];
        hang[j] = 0;
      } else if (hang[j] < hangover) {
        ++active[j];
        ++hang[j];
      }
    }
  }
  ActiveSpeechLevel result{-std::numeric_limits<double>::infinity(), 0, 10 * std::log10(sum / x.size())};
  double previous_level = 0, previous_difference = 0;
  for (int j = 0; j < 15 && active[j] > 0; ++j) {
    const double level = 10.0 * std::log10(sum / static_cast<double>(active[j]));
    const double difference = level - 20.0 * std::log10(std::ldexp(1.0, j - 15));
    if (difference <= 15.9) {
      result.level_db = j == 0 ? level
                               : previous_level + (previous_difference - 15.9) / (previous_difference - difference) *
                                                      (level - previous_level);
      break;
    }
    previous_level = level;
    previous_difference = difference;
    result.level_db = level;
  }
  if (std::isfinite(result.level_db))
    result.activity = std::min(1.0, sum / (static_cast<double>(x.size()) * std::pow(10.0, result.level_db / 10.0)));
  return result;
}

TEST(ActiveSpeechLevel, CountsExactlyAsTheLiteralRule) {
  std::vector<std::pair<std::vector<float>, int>> signals;
  for (const auto& clip : testing::LibrivoxClips()) {
    const Audio audio = ReadAudio(clip);
    signals.push_back({Concat(Concat(std::vector<float>(audio.sample_rate / 3), audio.samples), std::vector<float>(audio.sample_rate / 7)), audio.sample_rate});
  }
  const Audio noise = ReadAudio(testing::AlsaNoise());  // 48 kHz
  signals.push_back({noise.samples, noise.sample_rate});
  std::mt19937 random(5);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> bursts;  // levels stepping over many thresholds, with pauses around the hangover's length
  for (int burst = 0; burst < 40; ++burst) {
    const float scale = std::ldexp(1.0f, -1 - burst % 15);
    for (int i = 0; i < kRate / 10; ++i) bursts.push_back(0.3f * scale * normal(random));
    bursts.insert(bursts.end(), static_cast<size_t>(kRate / 5 + (burst % 3 - 1) * 40), 0.0f);
  }
  signals.push_back({bursts, kRate});
  signals.push_back({Tone(0.5, 0.01), kRate});  // shorter than the hangover
  for (const auto& [signal, rate] : signals) {
    const ActiveSpeechLevel expected = LiteralP56(signal, rate);
    const ActiveSpeechLevel measured = MeasureActiveSpeechLevel(signal, rate);
    EXPECT_EQ(measured.level_db, expected.level_db) << signal.size() << " samples at " << rate;
    EXPECT_EQ(measured.activity, expected.activity) << signal.size() << " samples at " << rate;
  }
}

}  // namespace
}  // namespace jsqa
