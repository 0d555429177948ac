#include <gtest/gtest.h>

#include <algorithm>

#include "augment/degradations/degradation_registry.h"
#include "tests/augment/degradations/speech_fixture.h"

namespace jsqa {
namespace {

// Frames of the output that are all zero where the input was not.
std::vector<bool> ZeroedFrames(const std::vector<float>& input, const std::vector<float>& output) {
  std::vector<bool> zeroed;
  for (size_t begin = 0; begin < input.size(); begin += kLossFrameSamples) {
    const size_t end = std::min(begin + kLossFrameSamples, input.size());
    const bool output_silent = std::all_of(output.begin() + begin, output.begin() + end, [](float x) { return x == 0.0f; });
    const bool input_silent = std::all_of(input.begin() + begin, input.begin() + end, [](float x) { return x == 0.0f; });
    zeroed.push_back(output_silent && !input_silent);
  }
  return zeroed;
}

TEST(TimeClipping, ZeroesFramesAtTheRateItRecords) {
  const std::vector<float>& speech = testing::FourSecondsOfSpeech();
  std::vector<bool> previous(200, false);
  for (const double rate : {0.05, 0.2, 0.5}) {
    CounterRng rng(9, 9);
    const DegradedAudio out = BuiltinDegradations().Get("time_clipping").Apply(speech, {rate, {}}, rng);
    const std::vector<bool> zeroed = ZeroedFrames(speech, out.samples);
    ASSERT_EQ(zeroed.size(), 200u);  // 4 s of 20 ms
    const double measured = static_cast<double>(std::count(zeroed.begin(), zeroed.end(), true)) / zeroed.size();
    ASSERT_EQ(out.realised.size(), 1u);
    EXPECT_DOUBLE_EQ(out.realised[0].value, measured);
    // 200 frames: the count is binomial, within 4 standard deviations.
    EXPECT_NEAR(measured, rate, 4.0 * std::sqrt(rate * (1 - rate) / 200));
    // Frames that are kept are kept exactly.
    for (size_t i = 0; i < speech.size(); ++i)
      if (!zeroed[i / kLossFrameSamples]) {
        ASSERT_EQ(out.samples[i], speech[i]) << "sample " << i;
      }
    // The same draws: a higher rate zeroes every frame a lower one did.
    for (size_t frame = 0; frame < zeroed.size(); ++frame)
      if (previous[frame]) {
        EXPECT_TRUE(zeroed[frame]) << "frame " << frame << " at rate " << rate;
      }
    previous = zeroed;
  }
}

}  // namespace
}  // namespace jsqa
