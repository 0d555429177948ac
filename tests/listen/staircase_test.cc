#include "listen/staircase.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "augment/counter_rng.h"
#include "pipeline/base/error.h"

namespace jsqa {
namespace {

// The simulated 2AFC listener: P(correct) = 0.5 + 0.5 · logistic((Δ - α) / β).
constexpr double kAlpha = 3.0;
constexpr double kBeta = 0.5;

double ListenerProbabilityCorrect(double delta) {
  return 0.5 + 0.5 / (1.0 + std::exp(-(delta - kAlpha) / kBeta));
}

// The Δ at which the listener answers correctly with probability p: the
// inverse of ListenerProbabilityCorrect.
double ListenerDeltaAt(double p) {
  const double detection = 2.0 * p - 1.0;
  return kAlpha + kBeta * std::log(detection / (1.0 - detection));
}

// Mean threshold of `runs` independent staircases, listener r answering
// from CounterRng(seed, r).
double MeanThreshold(const StaircaseRule& rule, int runs, uint64_t seed) {
  double sum = 0.0;
  for (int r = 0; r < runs; ++r) {
    Staircase staircase(rule);
    CounterRng rng(seed, static_cast<uint64_t>(r));
    while (!staircase.Finished()) {
      staircase.Record(rng.NextUnit() < ListenerProbabilityCorrect(staircase.NextDelta()));
    }
    const std::optional<double> threshold = staircase.Threshold();
    EXPECT_TRUE(threshold.has_value()) << "run " << r;
    sum += threshold.value_or(0.0);
  }
  return sum / runs;
}

// Smaller steps and more reversals than the default: less bias, more trials.
StaircaseRule FineRule(int down) {
  StaircaseRule rule;
  rule.down = down;
  rule.steps = {1.0, 0.5, 0.25};
  rule.reversals_to_stop = 12;
  rule.reversals_to_average = 8;
  rule.max_trials = 120;
  return rule;
}

void ExpectSameState(const Staircase& a, const Staircase& b) {
  EXPECT_EQ(a.NextDelta(), b.NextDelta());
  EXPECT_EQ(a.trials(), b.trials());
  EXPECT_EQ(a.reversals(), b.reversals());
  EXPECT_EQ(a.reversal_deltas(), b.reversal_deltas());
  EXPECT_EQ(a.trial_deltas(), b.trial_deltas());
  EXPECT_EQ(a.Threshold(), b.Threshold());
  EXPECT_EQ(a.Finished(), b.Finished());
}

TEST(StaircaseTargetProbabilityTest, MatchesLevittForOneUp) {
  EXPECT_NEAR(StaircaseTargetProbability(2, 1), 0.707107, 1e-6);
  EXPECT_NEAR(StaircaseTargetProbability(3, 1), 0.793701, 1e-6);
  EXPECT_DOUBLE_EQ(StaircaseTargetProbability(1, 1), 0.5);
  // One down after two wrong in a row: P(wrong)^2 = 0.5, Levitt's 29.3 %.
  EXPECT_NEAR(StaircaseTargetProbability(1, 2), 0.292893, 1e-6);
}

TEST(StaircaseTargetProbabilityTest, GeneralRuleBalancesMoves) {
  // 2-down/2-up is symmetric in correct and wrong.
  EXPECT_NEAR(StaircaseTargetProbability(2, 2), 0.5, 1e-12);
  // 3-down/2-up: expected down moves per run of correct answers,
  // p^2 / (1 - p^3), equal expected up moves per run of wrong ones,
  // q / (1 - q^2).
  const double p = StaircaseTargetProbability(3, 2);
  const double q = 1.0 - p;
  EXPECT_NEAR(p * p / (1.0 - p * p * p), q / (1.0 - q * q), 1e-9);
  EXPECT_GT(p, 0.5);
  EXPECT_LT(p, StaircaseTargetProbability(3, 1));
}

TEST(StaircaseTargetProbabilityTest, RejectsRunsBelowOne) {
  EXPECT_THROW(StaircaseTargetProbability(0, 1), UsageError);
  EXPECT_THROW(StaircaseTargetProbability(2, 0), UsageError);
}

TEST(StaircaseTest, AllCorrectFallsByTheFirstStepAndStopsAtMinDelta) {
  Staircase staircase{StaircaseRule{}};
  while (!staircase.Finished()) staircase.Record(true);
  // No reversal ever, so the step stays steps[0] = 2 and Δ rests at 0.
  ASSERT_EQ(staircase.trials(), 60);
  const std::vector<double>& deltas = staircase.trial_deltas();
  EXPECT_EQ(std::vector<double>(deltas.begin(), deltas.begin() + 9),
            (std::vector<double>{6, 6, 4, 4, 2, 2, 0, 0, 0}));
  for (const double delta : deltas) EXPECT_GE(delta, 0.0);
  EXPECT_EQ(staircase.NextDelta(), 0.0);
  EXPECT_EQ(staircase.reversals(), 0);
  EXPECT_FALSE(staircase.Threshold().has_value());
}

TEST(StaircaseTest, ReversalsAreDirectionChangesAtThePeakOrValley) {
  Staircase staircase{StaircaseRule{}};
  for (const bool correct : {true, true, false, true, true, false, false, true, true}) {
    staircase.Record(correct);
  }
  // 6 → 4 (first move, step 2), up at 4 (reversal 1, step 1) → 5, down at 5
  // (reversal 2, step 0.5) → 4.5, up at 4.5 (reversal 3) → 5, up again (no
  // reversal) → 5.5, down at 5.5 (reversal 4) → 5.
  EXPECT_EQ(staircase.trial_deltas(), (std::vector<double>{6, 6, 4, 5, 5, 4.5, 5, 5.5, 5.5}));
  EXPECT_EQ(staircase.reversal_deltas(), (std::vector<double>{4, 5, 4.5, 5.5}));
  EXPECT_EQ(staircase.NextDelta(), 5.0);
  // Fewer than reversals_to_average = 6 reversals: all four are averaged.
  EXPECT_DOUBLE_EQ(staircase.Threshold().value(), 4.75);
  EXPECT_FALSE(staircase.Finished());
}

TEST(StaircaseTest, AWrongAnswerRestartsTheRunOfCorrectOnes) {
  Staircase staircase{StaircaseRule{}};
  staircase.Record(true);
  staircase.Record(false);  // first move: up by 2, no reversal
  EXPECT_EQ(staircase.NextDelta(), 8.0);
  staircase.Record(true);
  EXPECT_EQ(staircase.NextDelta(), 8.0);  // one correct after the wrong one is not two
  staircase.Record(true);
  EXPECT_EQ(staircase.reversal_deltas(), (std::vector<double>{8.0}));
  EXPECT_EQ(staircase.NextDelta(), 7.0);
  EXPECT_FALSE(staircase.Threshold().has_value());  // one reversal
}

TEST(StaircaseTest, AClampedMoveStillCountsItsDirection) {
  StaircaseRule rule;
  rule.start = 19.0;
  Staircase staircase(rule);
  staircase.Record(false);  // 19 + 2 clamped to 20
  staircase.Record(false);  // stays at 20, still an up move
  EXPECT_EQ(staircase.NextDelta(), 20.0);
  staircase.Record(true);
  staircase.Record(true);  // down after up: a reversal at the ceiling
  EXPECT_EQ(staircase.trial_deltas(), (std::vector<double>{19, 20, 20, 20}));
  EXPECT_EQ(staircase.reversal_deltas(), (std::vector<double>{20.0}));
  EXPECT_EQ(staircase.NextDelta(), 19.0);

  // And at the floor: six correct take 6 to 0, a wrong answer reverses there.
  Staircase floor{StaircaseRule{}};
  for (int i = 0; i < 8; ++i) floor.Record(true);
  floor.Record(false);
  EXPECT_EQ(floor.reversal_deltas(), (std::vector<double>{0.0}));
  EXPECT_EQ(floor.NextDelta(), 1.0);
}

TEST(StaircaseTest, StopsAtReversalsToStopAndRefusesMoreAnswers) {
  StaircaseRule rule;
  rule.down = 1;
  Staircase staircase(rule);
  // 1-down/1-up with alternating answers: every move after the first reverses.
  for (int i = 0; i < 9; ++i) {
    ASSERT_FALSE(staircase.Finished()) << "trial " << i;
    staircase.Record(i % 2 == 0);
  }
  EXPECT_TRUE(staircase.Finished());
  EXPECT_EQ(staircase.reversals(), 8);
  EXPECT_EQ(staircase.reversal_deltas(), (std::vector<double>{4, 5, 4.5, 5, 4.5, 5, 4.5, 5}));
  // The last six: three at 4.5 and three at 5.
  EXPECT_DOUBLE_EQ(staircase.Threshold().value(), 4.75);
  EXPECT_THROW(staircase.Record(true), Error);
  EXPECT_EQ(staircase.trials(), 9);
}

TEST(StaircaseTest, StopsAtMaxTrials) {
  StaircaseRule rule;
  rule.max_trials = 5;
  Staircase staircase(rule);
  for (int i = 0; i < 5; ++i) staircase.Record(false);
  EXPECT_TRUE(staircase.Finished());
  EXPECT_THROW(staircase.Record(false), Error);
}

TEST(StaircaseTest, ReplayingTheAnswersRebuildsTheStaircase) {
  const StaircaseRule rule = FineRule(3);
  Staircase live(rule);
  std::vector<bool> answers;
  CounterRng rng(11, 5);
  while (!live.Finished()) {
    const bool correct = rng.NextUnit() < ListenerProbabilityCorrect(live.NextDelta());
    live.Record(correct);
    answers.push_back(correct);
    ExpectSameState(ReplayStaircase(rule, answers), live);
  }
  EXPECT_GE(live.reversals(), 2);
  answers.push_back(true);
  EXPECT_THROW(ReplayStaircase(rule, answers), Error);
}

TEST(StaircaseTest, TwoDownOneUpConvergesOn70Point7PercentCorrect) {
  const double target = ListenerDeltaAt(StaircaseTargetProbability(2, 1));
  EXPECT_NEAR(target, 2.8267, 1e-4);
  // Over 200 staircases the mean's standard error is ≈ 0.04 (default rule)
  // and ≈ 0.03 (fine rule). The default rule's 2-dB then 1-dB steps, large
  // against β = 0.5, bias it low by ≈ 0.08; the fine rule's by < 0.02.
  EXPECT_NEAR(MeanThreshold(StaircaseRule{}, 200, 1), target, 0.2);
  EXPECT_NEAR(MeanThreshold(FineRule(2), 200, 2), target, 0.1);
}

TEST(StaircaseTest, ThreeDownOneUpConvergesOn79Point4PercentCorrect) {
  StaircaseRule rule;
  rule.down = 3;
  const double target = ListenerDeltaAt(StaircaseTargetProbability(3, 1));
  EXPECT_NEAR(target, 3.1766, 1e-4);
  // Standard errors ≈ 0.03 (default rule) and ≈ 0.02 (fine rule); the
  // 3-down track is nearly unbiased with either.
  EXPECT_NEAR(MeanThreshold(rule, 200, 3), target, 0.12);
  EXPECT_NEAR(MeanThreshold(FineRule(3), 200, 4), target, 0.08);
}

TEST(StaircaseRuleTest, DefaultIsValid) { EXPECT_NO_THROW(ValidateStaircaseRule(StaircaseRule{})); }

TEST(StaircaseRuleTest, BadRulesNameTheField) {
  const std::vector<std::pair<std::string, std::function<void(StaircaseRule&)>>> cases = {
      {"down = 0", [](StaircaseRule& r) { r.down = 0; }},
      {"up = -1", [](StaircaseRule& r) { r.up = -1; }},
      {"steps is empty", [](StaircaseRule& r) { r.steps.clear(); }},
      {"steps[1] = 0", [](StaircaseRule& r) { r.steps[1] = 0.0; }},
      {"steps[0] = nan", [](StaircaseRule& r) { r.steps = {std::nan("")}; }},
      {"min_delta = 5, max_delta = 5",
       [](StaircaseRule& r) { r.min_delta = r.max_delta = r.start = 5.0; }},
      {"start = 25", [](StaircaseRule& r) { r.start = 25.0; }},
      {"start = -1", [](StaircaseRule& r) { r.start = -1.0; }},
      {"reversals_to_stop = 0", [](StaircaseRule& r) { r.reversals_to_stop = 0; }},
      {"max_trials = 0", [](StaircaseRule& r) { r.max_trials = 0; }},
      {"reversals_to_average = 1", [](StaircaseRule& r) { r.reversals_to_average = 1; }},
      {"reversals_to_average = 9", [](StaircaseRule& r) { r.reversals_to_average = 9; }},
  };
  for (const auto& [field, spoil] : cases) {
    StaircaseRule rule;
    spoil(rule);
    try {
      Staircase staircase(rule);
      ADD_FAILURE() << "no error for " << field;
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find(field), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace jsqa
