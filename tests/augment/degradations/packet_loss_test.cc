#include "augment/degradations/packet_loss.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "augment/degradations/degradation_registry.h"
#include "augment/mix.h"
#include "tests/augment/degradations/speech_fixture.h"

namespace jsqa {
namespace {

double Rate(const std::vector<uint8_t>& lost) {
  return static_cast<double>(std::count(lost.begin(), lost.end(), 1)) / lost.size();
}

double MeanBurstFrames(const std::vector<uint8_t>& lost) {
  size_t bursts = 0, frames = 0;
  for (size_t k = 0; k < lost.size(); ++k) {
    frames += lost[k];
    bursts += lost[k] && (k == 0 || !lost[k - 1]);
  }
  return static_cast<double>(frames) / bursts;
}

TEST(LossPattern, RealisesItsRateAndBurstLength) {
  constexpr size_t kFrames = 200000;
  for (const double rate : {0.02, 0.1, 0.3}) {
    CounterRng random_rng(1, 2), bursty_rng(1, 2);
    const std::vector<uint8_t> random = DrawLostFrames(kFrames, rate, LossModel::kRandom, random_rng);
    const std::vector<uint8_t> bursty = DrawLostFrames(kFrames, rate, LossModel::kBursty, bursty_rng);
    EXPECT_NEAR(Rate(random), rate, 0.01 * rate + 0.002);
    EXPECT_NEAR(Rate(bursty), rate, 0.03 * rate + 0.002);
    // Independent losses: bursts of 1 / (1 - rate) frames; bursty: 3.
    EXPECT_NEAR(MeanBurstFrames(random), 1.0 / (1.0 - rate), 0.03);
    EXPECT_NEAR(MeanBurstFrames(bursty), 3.0, 0.1);
  }
}

TEST(LossPattern, AHigherRateLosesEveryFrameALowerOneDid) {
  for (const LossModel model : {LossModel::kRandom, LossModel::kBursty}) {
    CounterRng low_rng(4, 4), high_rng(4, 4);
    const std::vector<uint8_t> low = DrawLostFrames(5000, 0.1, model, low_rng);
    const std::vector<uint8_t> high = DrawLostFrames(5000, 0.2, model, high_rng);
    for (size_t k = 0; k < low.size(); ++k)
      if (low[k]) {
        ASSERT_TRUE(high[k]) << "frame " << k;
      }
  }
}

TEST(PacketLoss, ConcealsLostFramesOnPcmAndKeepsTheRest) {
  const std::vector<float>& speech = testing::FourSecondsOfSpeech();
  for (const std::string name : {"packet_loss", "packet_loss_bursty"}) {
    CounterRng rng(2, 3), pattern_rng(2, 3);
    const DegradedAudio out = BuiltinDegradations().Get(name).Apply(speech, {0.2, {}}, rng);
    const std::vector<uint8_t> lost = DrawLostFrames(LossFrameCount(speech.size()), 0.2,
                                                     name == "packet_loss" ? LossModel::kRandom : LossModel::kBursty,
                                                     pattern_rng);
    ASSERT_EQ(out.samples.size(), speech.size());
    ASSERT_EQ(out.realised.size(), 1u);
    EXPECT_DOUBLE_EQ(out.realised[0].value, Rate(lost));
    EXPECT_GT(Rate(lost), 0.1);
    size_t concealed_with_sound = 0, lost_with_speech = 0;
    for (size_t frame = 0; frame < lost.size(); ++frame) {
      const size_t begin = frame * kLossFrameSamples;
      const std::vector<float> input(speech.begin() + begin, speech.begin() + begin + kLossFrameSamples);
      const std::vector<float> output(out.samples.begin() + begin, out.samples.begin() + begin + kLossFrameSamples);
      if (!lost[frame] && !(frame > 0 && lost[frame - 1])) {
        EXPECT_EQ(output, input) << name << ": received frame " << frame << " changed";
      } else if (lost[frame] && !(frame > 0 && lost[frame - 1]) && RmsDbfs(input) > -45.0) {
        ++lost_with_speech;
        EXPECT_NE(output, input) << name << ": lost frame " << frame << " came through";
        concealed_with_sound += RmsDbfs(output) > -60.0;
      }
    }
    // Concealment fills the first frame of each burst with sound, not
    // silence (G.711 Appendix I then fades out over 60 ms).
    ASSERT_GT(lost_with_speech, 5u);
    EXPECT_GT(concealed_with_sound, lost_with_speech * 8 / 10) << name;
  }
}

}  // namespace
}  // namespace jsqa
