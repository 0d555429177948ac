#include "augment/degradations/degradation_chain.h"

#include <gtest/gtest.h>

#include <cmath>

#include "augment/degradations/band_limit.h"
#include "augment/degradations/jnd_dimension.h"
#include "tests/augment/degradations/speech_fixture.h"

namespace jsqa {
namespace {

const std::vector<ChainStep> kNoiseLowpassClipping = {{"white_noise", 15.0}, {"lowpass", 3400.0}, {"clipping", 0.3}};

TEST(DegradationChain, AppliesItsStepsInOrderEachFromItsOwnStream) {
  const std::vector<float>& speech = testing::FourSecondsOfSpeech();
  const ChainOutput out = ApplyChain(speech, kNoiseLowpassClipping, 21, 22);
  std::vector<float> expected = speech;
  for (size_t i = 0; i < kNoiseLowpassClipping.size(); ++i) {
    CounterRng rng(21, MixKeys(22, i));
    expected = BuiltinDegradations()
                   .Get(kNoiseLowpassClipping[i].degradation)
                   .Apply(expected, {kNoiseLowpassClipping[i].strength, {}}, rng)
                   .samples;
  }
  EXPECT_EQ(out.samples, expected);
  ASSERT_EQ(out.realised.size(), 3u);
  EXPECT_NEAR(out.realised[0][0].value, 15.0, 0.01);
  EXPECT_EQ(ChainText(kNoiseLowpassClipping), "white_noise(15)>lowpass(3400)>clipping(0.3)");
}

TEST(DegradationChain, APairDiffersOnlyInItsDimensionAndSharesEveryDraw) {
  const std::vector<float>& speech = testing::FourSecondsOfSpeech();
  // SNR: B is 3 dB noisier, with the very same noise.
  const ChainPair snr = MakeChainPair(speech, {{"white_noise", 15.0}}, 0, 3.0, false, 5, 6);
  EXPECT_EQ(snr.steps_b[0].strength, 12.0);
  EXPECT_NEAR(snr.a.realised[0][0].value - snr.b.realised[0][0].value, 3.0, 0.01);
  const double ratio = std::pow(10.0, 3.0 / 20.0);
  for (size_t i = 0; i < speech.size(); i += 1009)
    EXPECT_NEAR(snr.b.samples[i] - speech[i], ratio * (snr.a.samples[i] - speech[i]), 1e-6);

  // A cut-off: 1 Bark apart, everything else equal.
  const ChainPair cutoff = MakeChainPair(speech, kNoiseLowpassClipping, 1, 1.0, true, 5, 6);
  EXPECT_NEAR(HzToBark(cutoff.steps_b[1].strength) - HzToBark(cutoff.steps_a[1].strength), 1.0, 1e-9);
  EXPECT_EQ(cutoff.steps_a[0].strength, cutoff.steps_b[0].strength);
  EXPECT_EQ(cutoff.steps_a[2].strength, cutoff.steps_b[2].strength);
  EXPECT_EQ(cutoff.a.realised[0][0].value, cutoff.b.realised[0][0].value) << "the same noise";
}

// A packet-loss step after a codec is the codec's channel: its decoder
// conceals the pattern the loss step draws, and a pair shares the pattern.
TEST(DegradationChain, ACodecConcealsTheLossOfTheStepAfterIt) {
  const std::vector<float>& speech = testing::FourSecondsOfSpeech();
  const std::vector<ChainStep> steps = {{"amr_wb", 12.65}, {"packet_loss", 0.2}};
  const ChainPair pair = MakeChainPair(speech, steps, 0, 1.0, true, 8, 9);
  EXPECT_EQ(pair.steps_b[0].strength, 14.25) << "one mode up";
  for (const ChainOutput* out : {&pair.a, &pair.b}) {
    ASSERT_EQ(out->realised.size(), 2u);
    ASSERT_EQ(out->realised[1].size(), 1u);
    EXPECT_EQ(out->realised[1][0].name, "loss_rate");
    double concealed = -1.0;
    for (const Realised& value : out->realised[0])
      if (value.name == "lost_frames") concealed = value.value;
    EXPECT_EQ(concealed, out->realised[1][0].value) << "the codec concealed the loss step's pattern";
  }
  EXPECT_EQ(pair.a.realised[1][0].value, pair.b.realised[1][0].value) << "one pattern for the pair";
  EXPECT_GT(pair.a.realised[1][0].value, 0.1);
  // Without the codec the loss is concealed on PCM, a different signal.
  EXPECT_NE(ApplyChain(speech, {{"packet_loss", 0.2}}, 8, 9).samples, pair.a.samples);
}

TEST(DegradationChain, AShiftLeavingTheDomainTurnsAroundAndOneThatCannotIsRefused) {
  const Degradation& noise = BuiltinDegradations().Get("white_noise");
  EXPECT_EQ(ShiftStrength(noise, 59.0, 3.0, true), 56.0);
  EXPECT_EQ(ShiftStrength(noise, 20.0, 3.0, true), 23.0);
  EXPECT_THROW(ShiftStrength(noise, 20.0, 100.0, true), Error);
}

TEST(DegradationChain, AFailingStepIsNamedWithTheChain) {
  try {
    ApplyChain(testing::FourSecondsOfSpeech(), {{"lowpass", 3400.0}, {"clipping", 7.0}}, 1, 2);
    FAIL() << "a clipping threshold of 7 is outside [0.01, 1]";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("step 2 (clipping) of lowpass(3400)>clipping(7): clipping: threshold = 7"),
              std::string::npos)
        << error.what();
  }
}

TEST(JndDimension, EveryDegradationHasOneAndOnlyPublishedStepsAreValidated) {
  for (const std::string& name : BuiltinDegradations().Names())
    EXPECT_NO_THROW(DimensionOf(BuiltinDegradations().Get(name))) << name;
  EXPECT_TRUE(FindJndDimension("snr").validated);
  EXPECT_TRUE(FindJndDimension("c50").validated);
  EXPECT_FALSE(FindJndDimension("codec_mode").validated);
  EXPECT_FALSE(FindJndDimension("loss_rate").validated);
  EXPECT_THROW(FindJndDimension("warmth"), Error);
}

}  // namespace
}  // namespace jsqa
