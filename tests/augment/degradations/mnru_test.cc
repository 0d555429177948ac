#include <gtest/gtest.h>

#include <cmath>

#include "augment/degradations/degradation_registry.h"
#include "tests/augment/degradations/speech_fixture.h"

namespace jsqa {
namespace {

DegradedAudio ApplyMnru(double q_db) {
  CounterRng rng(3, 4);
  return BuiltinDegradations().Get("mnru").Apply(testing::FourSecondsOfSpeech(), {q_db, {}}, rng);
}

TEST(Mnru, RealisesQFromItsSignalCorrelatedNoise) {
  for (const double q_db : {-20.0, 0.0, 15.0, 30.0}) {
    const DegradedAudio out = ApplyMnru(q_db);
    EXPECT_NEAR(testing::SnrOfDifferenceDb(testing::FourSecondsOfSpeech(), out.samples), q_db, 0.01);
    ASSERT_EQ(out.realised.size(), 1u);
    EXPECT_EQ(out.realised[0].name, "q_db");
    EXPECT_NEAR(out.realised[0].value, q_db, 0.01);
  }
}

// The noise is the speech times white noise: silent where the speech is,
// and its power follows the speech's envelope.
TEST(Mnru, TheNoiseFollowsTheSpeech) {
  const std::vector<float>& speech = testing::FourSecondsOfSpeech();
  const DegradedAudio out = ApplyMnru(10.0);
  const size_t block = 320;  // 20 ms
  std::vector<double> speech_power, noise_power;
  for (size_t begin = 0; begin + block <= speech.size(); begin += block) {
    double s = 0.0, n = 0.0;
    for (size_t i = begin; i < begin + block; ++i) {
      s += static_cast<double>(speech[i]) * speech[i];
      const double d = static_cast<double>(out.samples[i]) - speech[i];
      n += d * d;
      if (speech[i] == 0.0f) {
        EXPECT_EQ(out.samples[i], 0.0f) << "sample " << i;
      }
    }
    speech_power.push_back(10.0 * std::log10(s + 1e-20));
    noise_power.push_back(10.0 * std::log10(n + 1e-20));
  }
  // Per 20 ms block, the noise sits about Q = 10 dB under the speech, louder
  // blocks and quieter ones alike (unlike additive noise).
  size_t near = 0;
  for (size_t k = 0; k < speech_power.size(); ++k) near += std::fabs(speech_power[k] - noise_power[k] - 10.0) < 3.0;
  EXPECT_GT(static_cast<double>(near) / speech_power.size(), 0.9);
}

}  // namespace
}  // namespace jsqa
