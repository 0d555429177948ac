#include "listen/psychometric_fit.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "augment/counter_rng.h"
#include "pipeline/base/error.h"

namespace jsqa {
namespace {

PsychometricFit Truth(PsychometricShape shape, double guess_rate, double alpha, double beta) {
  PsychometricFit truth;
  truth.args.shape = shape;
  truth.args.guess_rate = guess_rate;
  truth.alpha = alpha;
  truth.beta = beta;
  return truth;
}

// Method of constant stimuli: 11 levels Δ = 0.5, 1.0, ..., 5.5, per_level
// trials each, answered by the true function from CounterRng(seed, 1).
std::vector<PsychometricTrial> Simulate(const PsychometricFit& truth, int per_level,
                                        uint64_t seed) {
  std::vector<PsychometricTrial> trials;
  CounterRng rng(seed, 1);
  for (int level = 0; level < 11; ++level) {
    const double delta = 0.5 + 0.5 * level;
    for (int i = 0; i < per_level; ++i) {
      trials.push_back({delta, rng.NextUnit() < truth.ProbabilityCorrect(delta)});
    }
  }
  return trials;
}

std::string ErrorMessage(const std::vector<PsychometricTrial>& trials,
                         const PsychometricFitArgs& args) {
  try {
    FitPsychometric(trials, args);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(PsychometricFitTest, ProbabilityAndJndFormulas) {
  PsychometricFit logistic = Truth(PsychometricShape::kLogistic, 0.5, 2.0, 0.5);
  // γ + (1 - γ - λ) / 2 at α: 74 % correct in 2AFC with λ = 0.02.
  EXPECT_DOUBLE_EQ(logistic.ProbabilityCorrect(2.0), 0.74);
  EXPECT_DOUBLE_EQ(logistic.DeltaAtDetection(0.5), 2.0);
  EXPECT_DOUBLE_EQ(logistic.DeltaAtDetection(0.75), 2.0 + 0.5 * std::log(3.0));
  EXPECT_NEAR(logistic.ProbabilityCorrect(2.0 + 0.5 * std::log(3.0)), 0.5 + 0.48 * 0.75, 1e-12);

  PsychometricFit gaussian = Truth(PsychometricShape::kCumulativeGaussian, 0.0, 2.0, 0.5);
  EXPECT_DOUBLE_EQ(gaussian.DeltaAtDetection(0.5), 2.0);
  EXPECT_NEAR(gaussian.DeltaAtDetection(0.75), 2.0 + 0.5 * 0.6744897501960817, 1e-12);
  EXPECT_NEAR(gaussian.DeltaAtDetection(0.8413447460685429), 2.5, 1e-9);  // Φ(1)
  EXPECT_NEAR(gaussian.ProbabilityCorrect(2.5), 0.98 * 0.8413447460685429, 1e-12);
  for (const double detection : {0.1, 0.3, 0.9}) {
    EXPECT_NEAR(gaussian.ProbabilityCorrect(gaussian.DeltaAtDetection(detection)), 0.98 * detection,
                1e-12);
  }
  EXPECT_THROW(gaussian.DeltaAtDetection(1.0), Error);
  EXPECT_THROW(logistic.DeltaAtDetection(0.0), Error);
}

// 2002 trials (182 at each of 11 levels). The tolerances are 3.5 standard
// deviations of the estimates over 50 such simulations: in 2AFC, where the
// guess rate hides half the information, α 0.09 and β 0.06 (logistic) or
// 0.09 (Gaussian); in same/different α 0.05 and β 0.02 (logistic) or 0.04
// (Gaussian).
TEST(PsychometricFitTest, RecoversLogistic2Afc) {
  const PsychometricFit truth = Truth(PsychometricShape::kLogistic, 0.5, 3.0, 0.5);
  const PsychometricFit fit = FitPsychometric(Simulate(truth, 182, 1), truth.args);
  EXPECT_EQ(fit.trials, 2002);
  EXPECT_NEAR(fit.alpha, 3.0, 0.32);
  EXPECT_NEAR(fit.beta, 0.5, 0.2);
}

TEST(PsychometricFitTest, RecoversLogisticSameDifferent) {
  const PsychometricFit truth = Truth(PsychometricShape::kLogistic, 0.0, 3.0, 0.5);
  const PsychometricFit fit = FitPsychometric(Simulate(truth, 182, 2), truth.args);
  EXPECT_NEAR(fit.alpha, 3.0, 0.17);
  EXPECT_NEAR(fit.beta, 0.5, 0.08);
}

TEST(PsychometricFitTest, RecoversCumulativeGaussian2Afc) {
  const PsychometricFit truth = Truth(PsychometricShape::kCumulativeGaussian, 0.5, 3.0, 0.8);
  const PsychometricFit fit = FitPsychometric(Simulate(truth, 182, 3), truth.args);
  EXPECT_NEAR(fit.alpha, 3.0, 0.32);
  EXPECT_NEAR(fit.beta, 0.8, 0.33);
}

TEST(PsychometricFitTest, RecoversCumulativeGaussianSameDifferent) {
  const PsychometricFit truth = Truth(PsychometricShape::kCumulativeGaussian, 0.0, 3.0, 0.8);
  const PsychometricFit fit = FitPsychometric(Simulate(truth, 182, 4), truth.args);
  EXPECT_NEAR(fit.alpha, 3.0, 0.16);
  EXPECT_NEAR(fit.beta, 0.8, 0.13);
}

TEST(PsychometricFitTest, FitIsTheMaximumOfTheLikelihood) {
  const PsychometricFit truth = Truth(PsychometricShape::kLogistic, 0.5, 3.0, 0.5);
  const std::vector<PsychometricTrial> trials = Simulate(truth, 30, 5);
  const PsychometricFit fit = FitPsychometric(trials, truth.args);
  EXPECT_NEAR(fit.log_likelihood,
              PsychometricLogLikelihood(trials, truth.args, fit.alpha, fit.beta), 1e-9);
  // No point of a fine grid around the fit (±0.5 in α, ×/÷ 1.5 in β) is better.
  for (int i = -50; i <= 50; ++i) {
    for (int j = -20; j <= 20; ++j) {
      const double alpha = fit.alpha + 0.01 * i;
      const double beta = fit.beta * std::pow(1.5, j / 20.0);
      EXPECT_LE(PsychometricLogLikelihood(trials, truth.args, alpha, beta),
                fit.log_likelihood + 1e-9)
          << "alpha " << alpha << " beta " << beta;
    }
  }
}

TEST(PsychometricFitTest, SeparableAnswersStopAtTheBracketsNarrowEdge) {
  // Wrong up to Δ = 3, correct from Δ = 4, no guesses, no lapses: the
  // likelihood grows as β shrinks, so β ends on range / 1000.
  PsychometricFitArgs args;
  args.guess_rate = 0.0;
  args.lapse_rate = 0.0;
  std::vector<PsychometricTrial> trials;
  for (int delta = 1; delta <= 6; ++delta) {
    trials.push_back({static_cast<double>(delta), delta >= 4});
  }
  const PsychometricFit fit = FitPsychometric(trials, args);
  EXPECT_NEAR(fit.beta, 5.0 / 1000.0, 1e-9);
  EXPECT_GT(fit.alpha, 3.0);
  EXPECT_LT(fit.alpha, 4.0);
  EXPECT_NEAR(fit.log_likelihood, 0.0, 1e-6);
}

TEST(PsychometricFitTest, ErrorsNameTheReason) {
  const PsychometricFitArgs args;
  EXPECT_NE(ErrorMessage({{1, true}, {2, false}, {3, true}, {4, true}}, args)
                .find("4 trials; needs at least 5"),
            std::string::npos);
  EXPECT_NE(ErrorMessage({{1, true}, {2, false}, {std::nan(""), true}, {4, true}, {5, true}}, args)
                .find("trial 2 has delta nan"),
            std::string::npos);
  EXPECT_NE(ErrorMessage({{2, true}, {2, false}, {2, true}, {2, true}, {2, true}}, args)
                .find("all 5 trials have delta = 2"),
            std::string::npos);
  EXPECT_NE(ErrorMessage({{1, true}, {2, true}, {3, true}, {4, true}, {5, true}}, args)
                .find("all 5 answers are correct"),
            std::string::npos);

  const std::vector<PsychometricTrial> good = {
      {1, false}, {2, false}, {3, true}, {4, true}, {5, true}};
  PsychometricFitArgs bad;
  bad.guess_rate = 1.0;
  EXPECT_THROW(FitPsychometric(good, bad), UsageError);
  EXPECT_NE(ErrorMessage(good, bad).find("guess_rate = 1"), std::string::npos);
  bad = {};
  bad.lapse_rate = -0.1;
  EXPECT_NE(ErrorMessage(good, bad).find("lapse_rate = -0.1"), std::string::npos);
  bad = {};
  bad.guess_rate = 0.6;
  bad.lapse_rate = 0.5;
  EXPECT_NE(ErrorMessage(good, bad).find("guess_rate + lapse_rate = 1.1"), std::string::npos);
}

TEST(PsychometricBootstrapTest, IntervalCoversTheTruthAndNarrowsWithMoreTrials) {
  const PsychometricFit truth = Truth(PsychometricShape::kLogistic, 0.5, 3.0, 0.5);
  const double jnd75 = truth.DeltaAtDetection(0.75);
  // 297 and 3003 trials, 200 resamples each.
  const PsychometricBootstrap few = BootstrapJnd(Simulate(truth, 27, 6), truth.args, 200, 7);
  const PsychometricBootstrap many = BootstrapJnd(Simulate(truth, 273, 8), truth.args, 200, 9);
  for (const PsychometricBootstrap* b : {&few, &many}) {
    EXPECT_EQ(b->resamples + b->failed, 200);
    EXPECT_EQ(b->failed, 0);
    EXPECT_LT(b->jnd50.low, 3.0);
    EXPECT_GT(b->jnd50.high, 3.0);
    EXPECT_LT(b->jnd75.low, jnd75);
    EXPECT_GT(b->jnd75.high, jnd75);
    EXPECT_LT(b->jnd50.high, b->jnd75.high);
  }
  // Ten times the trials: widths shrink by about √10 ≈ 3.2.
  const double few_width = few.jnd50.high - few.jnd50.low;
  const double many_width = many.jnd50.high - many.jnd50.low;
  EXPECT_LT(many_width, 0.5 * few_width);
  EXPECT_GT(many_width, 0.1 * few_width);
  EXPECT_LT(many.jnd75.high - many.jnd75.low, 0.5 * (few.jnd75.high - few.jnd75.low));
}

TEST(PsychometricBootstrapTest, SeedFixesTheResult) {
  const PsychometricFit truth = Truth(PsychometricShape::kCumulativeGaussian, 0.0, 3.0, 0.8);
  const std::vector<PsychometricTrial> trials = Simulate(truth, 10, 10);
  const PsychometricBootstrap a = BootstrapJnd(trials, truth.args, 50, 42);
  const PsychometricBootstrap b = BootstrapJnd(trials, truth.args, 50, 42);
  const PsychometricBootstrap c = BootstrapJnd(trials, truth.args, 50, 43);
  EXPECT_EQ(a.jnd50.low, b.jnd50.low);
  EXPECT_EQ(a.jnd50.high, b.jnd50.high);
  EXPECT_EQ(a.jnd75.low, b.jnd75.low);
  EXPECT_EQ(a.jnd75.high, b.jnd75.high);
  EXPECT_NE(a.jnd50.low, c.jnd50.low);
}

TEST(PsychometricBootstrapTest, CountsResamplesThatCannotBeFitted) {
  // One wrong answer in six: about (5/6)^6 = 33 % of resamples hold none.
  const std::vector<PsychometricTrial> trials = {{1, false}, {2, true}, {3, true},
                                                 {4, true},  {5, true}, {6, true}};
  PsychometricFitArgs args;
  args.guess_rate = 0.0;
  const PsychometricBootstrap result = BootstrapJnd(trials, args, 100, 1);
  EXPECT_EQ(result.resamples + result.failed, 100);
  EXPECT_GT(result.failed, 15);
  EXPECT_LT(result.failed, 55);
  EXPECT_LE(result.jnd50.low, result.jnd50.high);
}

TEST(PsychometricBootstrapTest, RejectsBadInput) {
  const std::vector<PsychometricTrial> good = {
      {1, false}, {2, false}, {3, true}, {4, true}, {5, true}};
  EXPECT_THROW(BootstrapJnd(good, PsychometricFitArgs{}, 1, 1), UsageError);
  EXPECT_THROW(BootstrapJnd({{1, false}, {2, true}}, PsychometricFitArgs{}, 100, 1), Error);
}

}  // namespace
}  // namespace jsqa
