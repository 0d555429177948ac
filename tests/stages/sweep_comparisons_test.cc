#include "stages/sweep_comparisons.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "pipeline/base/config_keys.h"
#include "pipeline/base/csv.h"
#include "pipeline/base/text_files.h"
#include "pipeline/reports/run_statistics.h"
#include "tests/test_support.h"

namespace jsqa {
namespace {
namespace fs = std::filesystem;

// Two settings of a projection-head axis, each run with three seeds: the
// points' metrics and their evaluate folders' predictions.csv, as the
// evaluate stage writes them. Setting "false" predicts 120 clips of two
// test sets closely, "true" with three times the error.
TEST(SweepComparisons, GiveEachSettingsIntervalAndTheSignificantDifference) {
  testing::TempDir dir;
  const std::vector<SweepAxis> axes = {ParseSweepAxis("model.projection_head=false,true"),
                                       ParseSweepAxis("synth.seed:finetune.seed=1:1,2:2,3:3")};
  const std::vector<SweepPoint> points = ExpandSweep(axes);
  ASSERT_EQ(points.size(), 6u);
  std::mt19937_64 generator(3);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<double> targets;
  for (int clip = 0; clip < 120; ++clip) targets.push_back(3.0 + normal(generator));
  std::vector<SweepPointResult> results(points.size());
  std::vector<double> pcc_false;
  for (size_t p = 0; p < points.size(); ++p) {
    const bool head = points[p].labels[0] == "true";
    results[p].status = "ok";
    results[p].evaluate_dir = dir / ("evaluate-" + std::to_string(p));
    fs::create_directories(results[p].evaluate_dir);
    std::vector<std::vector<std::string>> rows{{"db", "id", "path", "mos", "predicted"}};
    for (size_t clip = 0; clip < targets.size(); ++clip) {
      const double predicted = targets[clip] + (head ? 0.9 : 0.3) * normal(generator);
      rows.push_back({clip % 2 ? "NISQA_TEST_FOR" : "NISQA_TEST_P501", "c" + std::to_string(clip), "x.wav",
                      FormatDouble(targets[clip]), FormatDouble(predicted)});
    }
    WriteCsvFile(results[p].evaluate_dir + "/predictions.csv", rows);
    results[p].values["mean_pcc"] = (head ? 0.70 : 0.90) + 0.01 * static_cast<double>(p % 3);
    results[p].values["mean_srcc"] = 0.8;
    results[p].values["mean_rmse"] = head ? 0.9 : 0.3;
    if (!head) pcc_false.push_back(results[p].values["mean_pcc"]);
  }
  const std::string markdown =
      CompareSettings(axes, points, results, {"NISQA_TEST_FOR"}, dir.path().string());

  // Per setting: three seeds, mean ± t(0.975, 2)·s/√3.
  const std::vector<CsvRow> settings = ReadCsvFile(dir / "sweep-settings.csv");
  ASSERT_EQ(settings.size(), 3u);
  EXPECT_EQ(settings[1].fields[0], "model.projection_head=false");
  EXPECT_EQ(settings[1].fields[1], "3");
  const MeanInterval expected = MeanWithInterval(pcc_false);
  EXPECT_NEAR(std::stod(settings[1].fields[2]), expected.mean, 1e-12);
  EXPECT_NEAR(std::stod(settings[1].fields[3]), expected.half_width, 1e-12);
  EXPECT_NEAR(expected.half_width, 4.302653 * 0.01 / std::sqrt(3.0), 1e-6);
  EXPECT_NE(markdown.find("| model.projection_head=false | 3 | 0.910 ± 0.025 |"), std::string::npos) << markdown;

  // Paired: the closer predictions correlate better and err less, beyond
  // what resampling the clips explains.
  const std::vector<CsvRow> paired = ReadCsvFile(dir / "sweep-paired.csv");
  ASSERT_EQ(paired.size(), 2u);
  EXPECT_EQ(paired[1].fields[0], "model.projection_head=false");
  EXPECT_EQ(paired[1].fields[2], "120");
  EXPECT_GT(std::stod(paired[1].fields[3]), 0.0);
  EXPECT_EQ(paired[1].fields[6], "true");
  EXPECT_LT(std::stod(paired[1].fields[7]), 0.0);
  EXPECT_EQ(paired[1].fields[10], "true");
  EXPECT_NE(markdown.find("| significant |"), std::string::npos) << markdown;
}

}  // namespace
}  // namespace jsqa
