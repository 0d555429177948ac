#include <gtest/gtest.h>

#include <cmath>

#include "augment/degradations/degradation_registry.h"
#include "augment/mix.h"
#include "tests/augment/degradations/speech_fixture.h"

namespace jsqa {
namespace {

TEST(Clipping, ClipsAtTheThresholdAndCountsTheClippedFraction) {
  const std::vector<float>& speech = testing::FourSecondsOfSpeech();
  const double peak = Peak(speech);
  for (const double threshold : {0.05, 0.2, 0.5}) {
    CounterRng rng(1, 1);
    const DegradedAudio out = BuiltinDegradations().Get("clipping").Apply(speech, {threshold, {}}, rng);
    const float limit = static_cast<float>(threshold * peak);
    size_t above = 0;
    for (size_t i = 0; i < speech.size(); ++i) {
      if (std::fabs(speech[i]) >= limit) {
        ++above;
        EXPECT_EQ(std::fabs(out.samples[i]), limit) << "sample " << i;
      } else {
        EXPECT_EQ(out.samples[i], speech[i]) << "sample " << i;
      }
    }
    EXPECT_FLOAT_EQ(Peak(out.samples), limit);
    ASSERT_EQ(out.realised.size(), 2u);
    EXPECT_EQ(out.realised[1].name, "clipped_fraction");
    EXPECT_DOUBLE_EQ(out.realised[1].value, static_cast<double>(above) / speech.size());
    EXPECT_GT(above, 0u);
  }
}

}  // namespace
}  // namespace jsqa
