#include <gtest/gtest.h>

#include <cmath>

#include "augment/degradations/degradation_registry.h"
#include "tests/augment/degradations/speech_fixture.h"

namespace jsqa {
namespace {

DegradedAudio AddWhiteNoise(double snr_db, uint64_t key = 7) {
  CounterRng rng(1, key);
  return BuiltinDegradations().Get("white_noise").Apply(testing::FourSecondsOfSpeech(), {snr_db, {}}, rng);
}

TEST(WhiteNoise, RealisesTheSnrWithinAHundredthOfADecibel) {
  for (const double snr_db : {-5.0, 0.0, 12.5, 40.0}) {
    const DegradedAudio out = AddWhiteNoise(snr_db);
    ASSERT_EQ(out.samples.size(), testing::FourSecondsOfSpeech().size());
    // Measured here from the output, independently of what Apply recorded.
    EXPECT_NEAR(testing::SnrOfDifferenceDb(testing::FourSecondsOfSpeech(), out.samples), snr_db, 0.01);
    ASSERT_EQ(out.realised.size(), 1u);
    EXPECT_EQ(out.realised[0].name, "snr_db");
    EXPECT_NEAR(out.realised[0].value, snr_db, 0.01);
  }
}

TEST(WhiteNoise, APairSharesItsNoiseAndDiffersOnlyInItsGain) {
  const std::vector<float>& speech = testing::FourSecondsOfSpeech();
  const DegradedAudio a = AddWhiteNoise(10.0), b = AddWhiteNoise(13.0);
  // Same draws: b's noise is a's scaled by 10^(-3/20).
  const double ratio = std::pow(10.0, -3.0 / 20.0);
  for (size_t i = 0; i < speech.size(); i += 997)
    EXPECT_NEAR(b.samples[i] - speech[i], ratio * (a.samples[i] - speech[i]), 1e-6) << "sample " << i;
  EXPECT_NE(AddWhiteNoise(10.0, 8).samples, a.samples) << "another key draws other noise";
  EXPECT_EQ(AddWhiteNoise(10.0).samples, a.samples) << "same key, same bytes";
}

TEST(WhiteNoise, RefusesSilenceAndStrengthsOutsideItsDomain) {
  CounterRng rng(1, 2);
  const Degradation& noise = BuiltinDegradations().Get("white_noise");
  EXPECT_THROW(noise.Apply(std::vector<float>(1600, 0.0f), {10.0, {}}, rng), Error);
  try {
    noise.Apply(testing::FourSecondsOfSpeech(), {70.0, {}}, rng);
    FAIL() << "70 dB is outside [-10, 60]";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("white_noise: snr_db = 70 is outside its domain, [-10, 60] dB"),
              std::string::npos)
        << error.what();
  }
}

}  // namespace
}  // namespace jsqa
