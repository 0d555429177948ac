#include "augment/degradations/degradation_registry.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "augment/degradations/builtin_degradations.h"
#include "tests/augment/degradations/speech_fixture.h"

namespace jsqa {
namespace {

TEST(DegradationRegistry, RefusesUnknownAndDuplicateNames) {
  try {
    BuiltinDegradations().Get("vinyl");
    FAIL() << "vinyl is no degradation";
  } catch (const Error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("unknown degradation 'vinyl'; known: white_noise, mnru"), std::string::npos) << message;
  }
  DegradationRegistry registry;
  registry.Register(MakeClipping());
  EXPECT_THROW(registry.Register(MakeClipping()), Error);
  EXPECT_EQ(registry.Names(), std::vector<std::string>{"clipping"});
}

// Every registered degradation, at both ends of its domain: the output has
// the input's length and is finite, the same stream gives
// the same bytes, and a value outside the domain is refused naming both.
TEST(DegradationRegistry, EveryDegradationKeepsLengthAndDeterminismOverItsDomain) {
  const std::vector<float>& speech = testing::FourSecondsOfSpeech();
  for (const std::string& name : BuiltinDegradations().Names()) {
    const Degradation& degradation = BuiltinDegradations().Get(name);
    const StrengthParameter parameter = degradation.strength();
    const std::vector<double> ends = parameter.levels.empty() ? std::vector<double>{parameter.min, parameter.max}
                                                              : std::vector<double>{parameter.levels.front(),
                                                                                    parameter.levels.back()};
    for (const double strength : ends) {
      SCOPED_TRACE(name + " at " + parameter.name + " = " + std::to_string(strength));
      CounterRng rng(11, 12), same_rng(11, 12);
      const DegradedAudio out = degradation.Apply(speech, {strength, {}}, rng);
      ASSERT_EQ(out.samples.size(), speech.size());
      EXPECT_TRUE(std::all_of(out.samples.begin(), out.samples.end(), [](float x) { return std::isfinite(x); }));
      EXPECT_FALSE(out.realised.empty());
      EXPECT_EQ(degradation.Apply(speech, {strength, {}}, same_rng).samples, out.samples);
    }
    CounterRng rng(1, 1);
    try {
      degradation.Apply(speech, {parameter.max + 1000.0, {}}, rng);
      ADD_FAILURE() << name << " took a strength beyond its domain";
    } catch (const Error& error) {
      EXPECT_NE(std::string(error.what()).find(name + ": " + parameter.name), std::string::npos) << error.what();
    }
  }
}

}  // namespace
}  // namespace jsqa
