#include "listen/screening.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "pipeline/base/error.h"

namespace jsqa {
namespace {

ScreeningCounts Counts(int headphone_correct, int headphone_answered, int catch_correct,
                       int catch_answered) {
  ScreeningCounts counts;
  counts.headphone_correct = headphone_correct;
  counts.headphone_answered = headphone_answered;
  counts.catch_correct = catch_correct;
  counts.catch_answered = catch_answered;
  return counts;
}

TEST(ScreeningTest, FiveOfSixHeadphoneTrialsPass) {
  for (const int correct : {5, 6}) {
    const ScreeningResult result = Screen(Counts(correct, 6, 0, 0), ScreeningRule{});
    EXPECT_TRUE(result.headphones_passed);
    EXPECT_TRUE(result.catch_passed);  // no catch trial answered: nothing to fail
    EXPECT_TRUE(result.included());
    EXPECT_EQ(result.reason, "");
  }
}

TEST(ScreeningTest, FourOfSixHeadphoneTrialsFail) {
  const ScreeningResult result = Screen(Counts(4, 6, 5, 5), ScreeningRule{});
  EXPECT_FALSE(result.headphones_passed);
  EXPECT_TRUE(result.catch_passed);
  EXPECT_FALSE(result.included());
  EXPECT_EQ(result.reason, "headphone check 4/6 correct (needs 5)");
}

TEST(ScreeningTest, UnfinishedHeadphoneCheckHasNotPassed) {
  // Even all correct so far is not a pass until all six are answered.
  const ScreeningResult result = Screen(Counts(3, 3, 0, 0), ScreeningRule{});
  EXPECT_FALSE(result.headphones_passed);
  EXPECT_FALSE(result.included());
  EXPECT_EQ(result.reason, "headphone check not finished (3/6)");
  EXPECT_EQ(Screen(Counts(0, 0, 0, 0), ScreeningRule{}).reason,
            "headphone check not finished (0/6)");
}

TEST(ScreeningTest, CatchFractionAtTheThresholdPasses) {
  const ScreeningRule rule;
  EXPECT_TRUE(Screen(Counts(6, 6, 4, 5), rule).catch_passed);   // 0.8
  EXPECT_TRUE(Screen(Counts(6, 6, 8, 10), rule).catch_passed);  // 0.8
  EXPECT_TRUE(Screen(Counts(6, 6, 5, 5), rule).included());
  const ScreeningResult three_of_five = Screen(Counts(6, 6, 3, 5), rule);
  EXPECT_TRUE(three_of_five.headphones_passed);
  EXPECT_FALSE(three_of_five.catch_passed);
  EXPECT_EQ(three_of_five.reason, "catch trials 3/5 correct (needs 80 %)");
  EXPECT_FALSE(Screen(Counts(6, 6, 79, 100), rule).catch_passed);  // 0.79

  ScreeningRule seventy;
  seventy.catch_min_correct = 0.7;
  EXPECT_TRUE(Screen(Counts(6, 6, 7, 10), seventy).catch_passed);
  EXPECT_FALSE(Screen(Counts(6, 6, 6, 10), seventy).catch_passed);
  EXPECT_EQ(Screen(Counts(6, 6, 6, 10), seventy).reason, "catch trials 6/10 correct (needs 70 %)");

  // 0.55 · 100 rounds to 55.00000000000001; 55/100 is still the threshold.
  ScreeningRule fifty_five;
  fifty_five.catch_min_correct = 0.55;
  EXPECT_TRUE(Screen(Counts(6, 6, 55, 100), fifty_five).catch_passed);
  EXPECT_FALSE(Screen(Counts(6, 6, 54, 100), fifty_five).catch_passed);
}

TEST(ScreeningTest, BothFailuresAreNamed) {
  EXPECT_EQ(Screen(Counts(2, 6, 1, 4), ScreeningRule{}).reason,
            "headphone check 2/6 correct (needs 5); catch trials 1/4 correct (needs 80 %)");
  EXPECT_EQ(Screen(Counts(2, 2, 1, 4), ScreeningRule{}).reason,
            "headphone check not finished (2/6); catch trials 1/4 correct (needs 80 %)");
}

TEST(ScreeningTest, OtherRulesApply) {
  ScreeningRule rule;
  rule.headphone_trials = 12;
  rule.headphone_min_correct = 10;
  EXPECT_TRUE(Screen(Counts(10, 12, 0, 0), rule).headphones_passed);
  EXPECT_EQ(Screen(Counts(9, 12, 0, 0), rule).reason, "headphone check 9/12 correct (needs 10)");
}

TEST(ScreeningTest, NoHeadphoneTrialsMeansNoHeadphoneCheck) {
  ScreeningRule rule;
  rule.headphone_trials = 0;
  rule.headphone_min_correct = 0;
  EXPECT_TRUE(Screen(Counts(0, 0, 0, 0), rule).included());
  const ScreeningResult result = Screen(Counts(0, 0, 1, 2), rule);
  EXPECT_TRUE(result.headphones_passed);
  EXPECT_EQ(result.reason, "catch trials 1/2 correct (needs 80 %)");
  EXPECT_THROW(Screen(Counts(1, 1, 0, 0), rule), Error);
}

TEST(ScreeningTest, ImpossibleCountsAreErrors) {
  EXPECT_THROW(Screen(Counts(4, 3, 0, 0), ScreeningRule{}), Error);  // more correct than answered
  EXPECT_THROW(Screen(Counts(-1, 3, 0, 0), ScreeningRule{}), Error);
  EXPECT_THROW(Screen(Counts(6, 7, 0, 0), ScreeningRule{}), Error);  // more than 6 trials
  EXPECT_THROW(Screen(Counts(6, 6, 3, 2), ScreeningRule{}), Error);
  EXPECT_THROW(Screen(Counts(6, 6, -1, 2), ScreeningRule{}), Error);
}

TEST(ScreeningRuleTest, BadRulesNameTheField) {
  const auto message = [](const ScreeningRule& rule) -> std::string {
    try {
      ValidateScreeningRule(rule);
    } catch (const UsageError& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_EQ(message(ScreeningRule{}), "no error");
  ScreeningRule rule;
  rule.headphone_trials = -1;
  EXPECT_NE(message(rule).find("headphone_trials = -1"), std::string::npos);
  rule = {};
  rule.headphone_min_correct = 7;
  EXPECT_NE(message(rule).find("headphone_min_correct = 7"), std::string::npos);
  rule.headphone_min_correct = -1;
  EXPECT_NE(message(rule).find("headphone_min_correct = -1"), std::string::npos);
  rule = {};
  rule.catch_min_correct = 80.0;
  EXPECT_NE(message(rule).find("catch_min_correct = 80"), std::string::npos);
  rule.catch_min_correct = std::nan("");
  EXPECT_NE(message(rule).find("catch_min_correct = nan"), std::string::npos);
  EXPECT_THROW(Screen(ScreeningCounts{}, rule), UsageError);
}

}  // namespace
}  // namespace jsqa
