#include "pipeline/reports/run_statistics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace jsqa {
namespace {

TEST(MeanWithInterval, IsStudentsTInterval) {
  // n = 4, mean 2.5, s = 1.2910: t(0.975, 3) = 3.1824 → 3.1824 · 1.2910 / 2.
  const MeanInterval interval = MeanWithInterval({1.0, 2.0, 3.0, 4.0});
  EXPECT_EQ(interval.count, 4);
  EXPECT_DOUBLE_EQ(interval.mean, 2.5);
  EXPECT_NEAR(interval.half_width, 3.182446 * std::sqrt(5.0 / 3.0) / 2.0, 1e-5);
  // A failed run (NaN) is left out; one value has no interval.
  const MeanInterval one = MeanWithInterval({0.7, NAN});
  EXPECT_EQ(one.count, 1);
  EXPECT_DOUBLE_EQ(one.mean, 0.7);
  EXPECT_TRUE(std::isnan(one.half_width));
}

// Two simulated systems scoring 200 clips of two test sets: B is A plus
// noise, so A correlates better with the targets; a third equals A but
// for tiny noise, so it is not significantly different.
TEST(PairedBootstrap, FindsARealDifferenceAndNotANegligibleOne) {
  std::mt19937_64 generator(7);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<PairedClip> worse, same;
  for (int i = 0; i < 200; ++i) {
    const std::string group = i % 2 ? "NISQA_TEST_FOR" : "NISQA_TEST_P501";
    const double target = 3.0 + normal(generator);
    const double a = target + 0.5 * normal(generator);
    worse.push_back({group, target, a, a + 1.0 * normal(generator)});
    same.push_back({group, target, a, a + 0.001 * normal(generator)});
  }
  const PairedDifference real = PairedBootstrap(worse, &MosMetrics::pcc, 1000, 1);
  EXPECT_GT(real.difference, 0.1);
  EXPECT_GT(real.low, 0.0);
  EXPECT_LE(real.low, real.difference);
  EXPECT_GE(real.high, real.difference);
  EXPECT_TRUE(real.significant);
  const PairedDifference rmse = PairedBootstrap(worse, &MosMetrics::rmse, 1000, 1);
  EXPECT_LT(rmse.high, 0.0) << "A's RMSE is lower";
  EXPECT_TRUE(rmse.significant);
  const PairedDifference negligible = PairedBootstrap(same, &MosMetrics::pcc, 1000, 1);
  EXPECT_FALSE(negligible.significant) << negligible.low << " .. " << negligible.high;
  // The same seed, the same interval.
  const PairedDifference again = PairedBootstrap(worse, &MosMetrics::pcc, 1000, 1);
  EXPECT_EQ(again.low, real.low);
  EXPECT_EQ(again.high, real.high);
}

}  // namespace
}  // namespace jsqa
