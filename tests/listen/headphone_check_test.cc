#include "listen/headphone_check.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <vector>

#include "augment/counter_rng.h"
#include "pipeline/base/error.h"

namespace jsqa {
namespace {

constexpr int kRate = 48000;                      // Hz
constexpr int kFrames = 48000;                    // 1 s
constexpr int kRamp = 4800;                       // 100 ms
const double kPeak = std::pow(10.0, -12.0 / 20);  // the default -12 dBFS

// RMS of one channel (0 = left, 1 = right) over frames [begin, end).
double ChannelRms(const std::vector<float>& stereo, int channel, int begin, int end) {
  double sum = 0.0;
  for (int i = begin; i < end; ++i) {
    const double sample = stereo[2 * i + channel];
    sum += sample * sample;
  }
  return std::sqrt(sum / (end - begin));
}

TEST(HeadphoneCheckToneTest, IsOneSecondOfInterleavedStereo) {
  EXPECT_EQ(HeadphoneCheckTone(HeadphoneTone::kInPhase, kRate).size(), 2u * kFrames);
  EXPECT_EQ(HeadphoneCheckTone(HeadphoneTone::kAntiphase, 44100).size(), 2u * 44100);
}

TEST(HeadphoneCheckToneTest, InPhaseToneHasThePeakLevelInBothChannels) {
  const std::vector<float> tone = HeadphoneCheckTone(HeadphoneTone::kInPhase, kRate);
  float peak = 0.0f;
  for (int i = 0; i < kFrames; ++i) {
    EXPECT_EQ(tone[2 * i], tone[2 * i + 1]);
    peak = std::max(peak, std::abs(tone[2 * i]));
  }
  // 240 samples per 200 Hz period: frame 24060 is a crest, 100 periods in.
  EXPECT_NEAR(peak, kPeak, 1e-6);
  EXPECT_NEAR(tone[2 * 24060], kPeak, 1e-6);
  // The steady 0.8 s hold 160 whole periods: RMS = peak / √2.
  EXPECT_NEAR(ChannelRms(tone, 0, kRamp, kFrames - kRamp), kPeak / std::sqrt(2.0), 1e-6);
}

TEST(HeadphoneCheckToneTest, QuieterToneIsSixDecibelsDown) {
  const std::vector<float> loud = HeadphoneCheckTone(HeadphoneTone::kInPhase, kRate);
  const std::vector<float> quiet = HeadphoneCheckTone(HeadphoneTone::kQuieter, kRate);
  // Halving is exact in binary floating point, sample for sample.
  for (size_t i = 0; i < loud.size(); ++i) ASSERT_EQ(quiet[i], 0.5f * loud[i]) << "sample " << i;
  for (const int channel : {0, 1}) {
    const double ratio_db = 20.0 * std::log10(ChannelRms(quiet, channel, 0, kFrames) /
                                              ChannelRms(loud, channel, 0, kFrames));
    EXPECT_NEAR(ratio_db, -6.0206, 1e-4);
  }
}

TEST(HeadphoneCheckToneTest, AntiphaseChannelsCancelButEachHasTheInPhaseLevel) {
  const std::vector<float> in_phase = HeadphoneCheckTone(HeadphoneTone::kInPhase, kRate);
  const std::vector<float> antiphase = HeadphoneCheckTone(HeadphoneTone::kAntiphase, kRate);
  for (int i = 0; i < kFrames; ++i) {
    ASSERT_EQ(antiphase[2 * i] + antiphase[2 * i + 1], 0.0f) << "frame " << i;
    ASSERT_EQ(antiphase[2 * i], in_phase[2 * i]) << "frame " << i;
  }
  const double in_phase_rms = ChannelRms(in_phase, 0, 0, kFrames);
  EXPECT_GT(in_phase_rms, 0.5 * kPeak);
  EXPECT_DOUBLE_EQ(ChannelRms(antiphase, 0, 0, kFrames), in_phase_rms);
  EXPECT_DOUBLE_EQ(ChannelRms(antiphase, 1, 0, kFrames), in_phase_rms);
}

TEST(HeadphoneCheckToneTest, RaisedCosineRampsAtBothEnds) {
  const std::vector<float> tone = HeadphoneCheckTone(HeadphoneTone::kInPhase, kRate);
  EXPECT_EQ(tone[0], 0.0f);
  EXPECT_EQ(tone[2 * (kFrames - 1)], 0.0f);
  // Frame 2460 is a crest (10.25 periods) inside the onset ramp:
  // 0.5 · (1 - cos(π · 2460 / 4800)) of the peak.
  EXPECT_NEAR(tone[2 * 2460], kPeak * 0.5 * (1.0 - std::cos(std::acos(-1.0) * 2460 / 4800)), 1e-6);
  // Mean of the squared raised cosine over a ramp is 3/8: the ramps' RMS is
  // √(3/8) = 0.612 of the steady part's, at onset and offset alike.
  const double steady = ChannelRms(tone, 0, kRamp, kFrames - kRamp);
  EXPECT_NEAR(ChannelRms(tone, 0, 0, kRamp) / steady, std::sqrt(3.0 / 8.0), 1e-3);
  EXPECT_NEAR(ChannelRms(tone, 0, kFrames - kRamp, kFrames) / steady, std::sqrt(3.0 / 8.0), 1e-3);
}

TEST(HeadphoneCheckToneTest, RejectsBadArguments) {
  EXPECT_THROW(HeadphoneCheckTone(HeadphoneTone::kInPhase, 4000), UsageError);
  EXPECT_THROW(HeadphoneCheckTone(HeadphoneTone::kInPhase, kRate, 1.0), UsageError);
  EXPECT_THROW(HeadphoneCheckTone(HeadphoneTone::kInPhase, kRate, std::nan("")), UsageError);
}

TEST(HeadphoneTrialOrderTest, IsAPermutationDrawnFromTheListenersTrialStream) {
  for (int trial = 0; trial < 6; ++trial) {
    const std::array<HeadphoneTone, 3> order = HeadphoneTrialOrder(7, 1234, trial);
    EXPECT_EQ(std::set<HeadphoneTone>(order.begin(), order.end()).size(), 3u);
    EXPECT_EQ(order, HeadphoneTrialOrder(7, 1234, trial));
    // Fisher–Yates on {in phase, quieter, antiphase} from CounterRng(seed,
    // MixKeys(listener, trial)): the server can recompute any trial.
    std::array<HeadphoneTone, 3> expected = {HeadphoneTone::kInPhase, HeadphoneTone::kQuieter,
                                             HeadphoneTone::kAntiphase};
    CounterRng rng(7, MixKeys(1234, trial));
    std::swap(expected[2], expected[rng.UniformInt(3)]);
    std::swap(expected[1], expected[rng.UniformInt(2)]);
    EXPECT_EQ(order, expected);
  }
  EXPECT_THROW(HeadphoneTrialOrder(7, 1234, -1), UsageError);
}

TEST(HeadphoneTrialOrderTest, AllSixOrdersAreEquallyLikely) {
  // 6000 listeners: each order ≈ 1000 (SD 29), each correct position ≈ 2000
  // (SD 37); the bounds are 4 SD.
  std::map<std::array<HeadphoneTone, 3>, int> orders;
  std::array<int, 3> positions = {0, 0, 0};
  for (uint64_t listener = 0; listener < 6000; ++listener) {
    const std::array<HeadphoneTone, 3> order = HeadphoneTrialOrder(99, listener, 0);
    ++orders[order];
    ++positions[HeadphoneCorrectChoice(order)];
  }
  EXPECT_EQ(orders.size(), 6u);
  for (const auto& [order, count] : orders) EXPECT_NEAR(count, 1000, 116);
  for (const int count : positions) EXPECT_NEAR(count, 2000, 146);
}

TEST(HeadphoneCorrectChoiceTest, IsThePositionOfTheQuieterTone) {
  using T = HeadphoneTone;
  EXPECT_EQ(HeadphoneCorrectChoice({T::kQuieter, T::kInPhase, T::kAntiphase}), 0);
  EXPECT_EQ(HeadphoneCorrectChoice({T::kAntiphase, T::kQuieter, T::kInPhase}), 1);
  EXPECT_EQ(HeadphoneCorrectChoice({T::kInPhase, T::kAntiphase, T::kQuieter}), 2);
  EXPECT_THROW(HeadphoneCorrectChoice({T::kInPhase, T::kAntiphase, T::kInPhase}), Error);
  EXPECT_THROW(HeadphoneCorrectChoice({T::kQuieter, T::kAntiphase, T::kQuieter}), Error);
}

}  // namespace
}  // namespace jsqa
