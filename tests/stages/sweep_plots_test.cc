// The sweep's plots from made-up point results (no training): what their
// legends, x axes and error bars say for the demo's sweep of JND Δ ×
// projection head, and with a seed axis.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "stages/sweep_runner.h"
#include "tests/svg_text.h"
#include "tests/test_support.h"

namespace jsqa {
namespace {
namespace fs = std::filesystem;
using testing::CountText;
using testing::SvgTexts;

// Writes point p's result.json and an evaluate summary with mean PCC pcc[p].
SweepOptions FakeSweep(const testing::TempDir& dir, const std::vector<SweepAxis>& axes, const std::vector<double>& pcc) {
  SweepOptions options;
  options.axes = axes;
  options.run_dir = dir.path().string();
  options.sweep_dir = dir.path().string();
  for (size_t p = 0; p < pcc.size(); ++p) {
    const fs::path evaluate = dir.path() / ("evaluate-" + std::to_string(p));
    fs::create_directories(evaluate);
    testing::WriteBytes((evaluate / "summary.json").string(),
                        nlohmann::json{{"mean", {{"pcc", pcc[p]}, {"srcc", pcc[p]}, {"rmse", 1 - pcc[p]}}},
                                       {"datasets", nlohmann::json::object()}}
                            .dump());
    char name[32];
    std::snprintf(name, sizeof(name), "point-%03zu", p);
    const fs::path point = fs::path(options.sweep_dir) / name;
    fs::create_directories(point);
    testing::WriteBytes((point / "result.json").string(),
                        nlohmann::json{{"status", "ok"}, {"stages", {{"evaluate", evaluate.string()}}}}.dump());
  }
  return options;
}

SweepPlan Plan(const SweepOptions& options) {
  SweepPlan plan;
  plan.points = ExpandSweep(options.axes);
  return plan;
}

TEST(SweepPlotsTest, DemoSweepLegendsNameEverySettingAndAxesAreCategories) {
  testing::TempDir dir;
  const SweepOptions options =
      FakeSweep(dir,
                {ParseSweepAxis("jnd.delta_min_db:jnd.delta_max_db=0:1,0:3"),
                 ParseSweepAxis("model.projection_head=false,true")},
                {0.62, 0.55, 0.71, 0.60});
  CollectSweep(options, Plan(options));

  // Against Δ: a line per projection-head setting, Δ ranges as categories.
  const auto delta = SvgTexts(dir / "sweep-mean_pcc-vs-jnd.delta_min_db+jnd.delta_max_db.svg");
  EXPECT_TRUE(fs::exists(dir / "sweep-mean_pcc-vs-jnd.delta_min_db+jnd.delta_max_db.png"));
  EXPECT_EQ(CountText(delta, "model.projection_head = false"), 1u);
  EXPECT_EQ(CountText(delta, "model.projection_head = true"), 1u);
  EXPECT_EQ(CountText(delta, "0–1"), 1u);
  EXPECT_EQ(CountText(delta, "0–3"), 1u);
  EXPECT_EQ(CountText(delta, "JND Δ range (dB)"), 1u);
  EXPECT_EQ(CountText(delta, "mean PCC vs JND Δ range (dB)"), 1u);

  // Against the projection head: false/true categories, a line per Δ range.
  const auto head = SvgTexts(dir / "sweep-mean_pcc-vs-model.projection_head.svg");
  EXPECT_EQ(CountText(head, "Δ 0–1 dB"), 1u);
  EXPECT_EQ(CountText(head, "Δ 0–3 dB"), 1u);
  EXPECT_EQ(CountText(head, "false"), 1u);
  EXPECT_EQ(CountText(head, "true"), 1u);
  EXPECT_EQ(CountText(head, "model.projection_head"), 1u);
  for (const char* number : {"0.0", "0.5", "1.0"}) EXPECT_EQ(CountText(head, number), 0u) << number;
}

TEST(SweepPlotsTest, SeedsArePooledIntoMeansWithErrorBars) {
  testing::TempDir dir;
  // Δ × seed: the seed axis changes fastest.
  const SweepOptions options = FakeSweep(
      dir, {ParseSweepAxis("jnd.delta_min_db:jnd.delta_max_db=0:1,0:3"), ParseSweepAxis("pretrain.seed=1,2,3")},
      {0.60, 0.64, 0.62, 0.70, 0.74, 0.72});
  CollectSweep(options, Plan(options));
  const std::string svg = dir / "sweep-mean_pcc-vs-jnd.delta_min_db+jnd.delta_max_db.svg";
  const auto texts = SvgTexts(svg);
  EXPECT_EQ(CountText(texts, "mean PCC vs JND Δ range (dB) (mean ± s.d. over seeds)"), 1u);
  EXPECT_EQ(CountText(texts, "mean PCC"), 1u);  // the one line's legend entry
  EXPECT_EQ(CountText(texts, "●"), 2u + 2u);    // a marker per Δ range, two in the legend sample
  // The first series colour (tab10 blue): the line, its legend sample, and
  // a bar with two caps at each of the two Δ ranges.
  EXPECT_EQ(testing::CountSvgElements(svg, "polyline", "stroke=\"#1F77B4\""), 2u + 2u * 3u);
  // No plot against the seeds themselves.
  EXPECT_FALSE(fs::exists(dir / "sweep-mean_pcc-vs-pretrain.seed.png"));
}

}  // namespace
}  // namespace jsqa
