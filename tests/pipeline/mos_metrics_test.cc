#include "pipeline/reports/mos_metrics.h"

#include <gtest/gtest.h>

#include <cmath>

#include "pipeline/base/error.h"

namespace jsqa {
namespace {

using Values = std::vector<double>;
constexpr double kTolerance = 1e-9;

TEST(MosMetricsTest, FourPairsByHand) {
  // predicted {1, 2, 3, 4}, target {1, 3, 2, 4}; both means are 2.5.
  const MosMetrics m = ComputeMosMetrics({1, 2, 3, 4}, {1, 3, 2, 4});
  EXPECT_EQ(m.count, 4);
  // Errors {0, -1, 1, 0}: RMSE = sqrt(2 / 4), MAE = 2 / 4.
  EXPECT_NEAR(m.rmse, std::sqrt(0.5), kTolerance);
  EXPECT_NEAR(m.mae, 0.5, kTolerance);
  // Deviations p {-1.5, -.5, .5, 1.5}, t {-1.5, .5, -.5, 1.5}:
  // Sxy = 2.25 - .25 - .25 + 2.25 = 4, Sxx = Syy = 5, r = 4 / 5.
  EXPECT_NEAR(m.pcc, 0.8, kTolerance);
  // The values are their own ranks, so SRCC = PCC.
  EXPECT_NEAR(m.srcc, 0.8, kTolerance);
  // b = Sxy / Sxx = 0.8, a = 2.5 - 0.8 * 2.5 = 0.5; mapped {1.3, 2.1, 2.9, 3.7};
  // residuals {-.3, .9, -.9, .3}, squares sum to 1.8; sqrt(1.8 / (4 - 2)).
  EXPECT_NEAR(m.rmse_map, std::sqrt(0.9), kTolerance);
}

TEST(MosMetricsTest, FivePairsByHand) {
  const Values predicted = {3.0, 2.5, 4.0, 1.5, 4.5};
  const Values target = {3.5, 2.0, 4.0, 1.0, 5.0};
  const MosMetrics m = ComputeMosMetrics(predicted, target);
  EXPECT_EQ(m.count, 5);
  // Errors {-.5, .5, 0, .5, -.5}: RMSE = sqrt(4 * .25 / 5), MAE = 2 / 5.
  EXPECT_NEAR(m.rmse, std::sqrt(0.2), kTolerance);
  EXPECT_NEAR(m.mae, 0.4, kTolerance);
  // Means 15.5 / 5 = 3.1 each. Deviations p {-.1, -.6, .9, -1.6, 1.4},
  // t {.4, -1.1, .9, -2.1, 1.9}: Sxx = .01 + .36 + .81 + 2.56 + 1.96 = 5.7,
  // Syy = .16 + 1.21 + .81 + 4.41 + 3.61 = 10.2,
  // Sxy = -.04 + .66 + .81 + 3.36 + 2.66 = 7.45; r = 7.45 / sqrt(58.14).
  EXPECT_NEAR(m.pcc, 7.45 / std::sqrt(5.7 * 10.2), kTolerance);  // 0.97705
  // Both rank to {3, 2, 4, 1, 5}: same order, SRCC = 1 although PCC < 1.
  EXPECT_NEAR(m.srcc, 1.0, kTolerance);
  // Residual sum of squares of the fitted line = Syy - Sxy^2 / Sxx
  // = 10.2 - 55.5025 / 5.7 = 0.46272; sqrt(0.46272 / (5 - 2)) = 0.39273.
  EXPECT_NEAR(m.rmse_map, std::sqrt((10.2 - 7.45 * 7.45 / 5.7) / 3), kTolerance);
}

TEST(MosMetricsTest, AverageRanksShareTies) {
  EXPECT_EQ(AverageRanks({1, 2, 2, 3}), (Values{1, 2.5, 2.5, 4}));
  EXPECT_EQ(AverageRanks({3, 1, 2, 2}), (Values{4, 1, 2.5, 2.5}));
  EXPECT_EQ(AverageRanks({5, 5, 5}), (Values{2, 2, 2}));  // mean of 1, 2, 3
  EXPECT_TRUE(AverageRanks({}).empty());
}

TEST(MosMetricsTest, SpearmanWithTies) {
  // Ranks p {1, 2.5, 2.5, 4}, t {1, 2, 3, 4}; means 2.5. Deviations
  // p {-1.5, 0, 0, 1.5}, t {-1.5, -.5, .5, 1.5}: Sxy = 4.5, Sxx = 4.5, Syy = 5,
  // r = 4.5 / sqrt(22.5) = sqrt(0.9).
  EXPECT_NEAR(ComputeMosMetrics({1, 2, 2, 3}, {1, 2, 3, 4}).srcc, std::sqrt(0.9), kTolerance);
  // A monotonic but non-linear prediction: SRCC 1, PCC below 1.
  const MosMetrics squares = ComputeMosMetrics({1, 4, 9, 16}, {1, 2, 3, 4});
  EXPECT_NEAR(squares.srcc, 1.0, kTolerance);
  EXPECT_LT(squares.pcc, 0.99);
}

TEST(MosMetricsTest, ExactLinearMapHasZeroMappedRmse) {
  // target = 1 + 0.5 * predicted: the fitted line reproduces it exactly.
  const MosMetrics m = ComputeMosMetrics({1, 2, 4, 6, 8}, {1.5, 2, 3, 4, 5});
  EXPECT_NEAR(m.rmse_map, 0.0, kTolerance);
  EXPECT_NEAR(m.pcc, 1.0, kTolerance);
  EXPECT_GT(m.rmse, 1.0);  // the unmapped error is large
  // A decreasing map is just as exact; with 3 pairs N - d = 1 still divides.
  const MosMetrics reversed = ComputeMosMetrics({1, 2, 3}, {3, 2, 1});
  EXPECT_NEAR(reversed.rmse_map, 0.0, kTolerance);
  EXPECT_NEAR(reversed.pcc, -1.0, kTolerance);
  EXPECT_NEAR(reversed.srcc, -1.0, kTolerance);
}

TEST(MosMetricsTest, EmptyInputIsAllNaN) {
  const MosMetrics m = ComputeMosMetrics({}, {});
  EXPECT_EQ(m.count, 0);
  for (const double v : {m.rmse, m.mae, m.pcc, m.srcc, m.rmse_map}) EXPECT_TRUE(std::isnan(v));
}

TEST(MosMetricsTest, ConstantPredictionsHaveNaNCorrelation) {
  // predicted {3, 3, 3, 3}, target {1, 2, 3, 4}: errors {2, 1, 0, -1}.
  const MosMetrics m = ComputeMosMetrics({3, 3, 3, 3}, {1, 2, 3, 4});
  EXPECT_TRUE(std::isnan(m.pcc));
  EXPECT_TRUE(std::isnan(m.srcc));
  EXPECT_NEAR(m.rmse, std::sqrt(6.0 / 4), kTolerance);
  EXPECT_NEAR(m.mae, 1.0, kTolerance);
  // The best line is the mean target 2.5: residuals {-1.5, -.5, .5, 1.5},
  // squares sum to 5; sqrt(5 / (4 - 2)).
  EXPECT_NEAR(m.rmse_map, std::sqrt(2.5), kTolerance);
  // 0.1 three times has a mean that rounding moves off 0.1: still NaN.
  EXPECT_TRUE(std::isnan(ComputeMosMetrics({1, 2, 3}, {0.1, 0.1, 0.1}).pcc));
}

TEST(MosMetricsTest, TooFewPairsForMappedRmse) {
  const MosMetrics two = ComputeMosMetrics({1, 2}, {2, 4});
  EXPECT_TRUE(std::isnan(two.rmse_map));  // N - d = 0
  EXPECT_NEAR(two.pcc, 1.0, kTolerance);
  const MosMetrics one = ComputeMosMetrics({1}, {2});
  EXPECT_NEAR(one.rmse, 1.0, kTolerance);
  EXPECT_TRUE(std::isnan(one.pcc));
  EXPECT_TRUE(std::isnan(one.rmse_map));
}

TEST(MosMetricsTest, NonFiniteValuesGiveNaN) {
  const MosMetrics m = ComputeMosMetrics({1, NAN, 3}, {1, 2, 3});
  EXPECT_EQ(m.count, 3);
  for (const double v : {m.rmse, m.mae, m.pcc, m.srcc, m.rmse_map}) EXPECT_TRUE(std::isnan(v));
  EXPECT_TRUE(std::isnan(ComputeMosMetrics({1, 2, 3}, {1, 2, INFINITY}).srcc));
}

TEST(MosMetricsTest, SizeMismatchNamesBothSizes) {
  try {
    ComputeMosMetrics({1, 2, 3}, {1, 2});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("3 predicted and 2 target"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace jsqa
