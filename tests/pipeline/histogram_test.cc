// Histogram bins and counts by hand, and the chart they draw read back from
// its SVG (legend entries with counts, one outline per group, no markers).
#include "pipeline/reports/histogram.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "pipeline/base/error.h"
#include "tests/svg_text.h"
#include "tests/test_support.h"

namespace jsqa {
namespace {

TEST(HistogramTest, BinsCoverTheValuesOnMultiplesOfTheWidth) {
  const HistogramBins bins = BinsFor({{"a", {-3.5, 0.2}}, {"b", {4.0, std::nan("")}}}, 2.0);
  EXPECT_EQ(bins.lo, -4.0);
  EXPECT_EQ(bins.hi, 6.0);  // 4.0 sits on an edge: its bin is [4, 6)
  EXPECT_EQ(bins.count(), 5u);
  const HistogramBins none = BinsFor({{"empty", {}}}, 0.5);
  EXPECT_EQ(none.count(), 1u);
}

TEST(HistogramTest, CountsPerBinWithOutliersInTheEdgeBins) {
  const HistogramBins bins{0.0, 3.0, 1.0};
  const std::vector<double> counts =
      BinCounts({-7.0, 0.0, 0.5, 0.999, 1.0, 2.5, 3.0, 99.0, std::numeric_limits<double>::infinity()}, bins);
  EXPECT_EQ(counts, (std::vector<double>{4, 1, 3}));
}

TEST(HistogramTest, DrawsOneOutlinePerGroupNamedWithItsCount) {
  testing::TempDir dir;
  PlotOptions options;
  options.title = "active speech level";
  options.x.label = "dBov";
  WriteHistogram(dir / "levels",
                 {{"train-clean-100", {-30, -28.5, -27, -26.2}}, {"dev-clean", {-35, -29, std::nan("")}}},
                 {-36, -24, 2}, options);
  const std::vector<std::string> texts = testing::SvgTexts(dir / "levels.svg");
  EXPECT_EQ(testing::CountText(texts, "active speech level"), 1u);
  EXPECT_EQ(testing::CountText(texts, "count"), 1u);
  EXPECT_EQ(testing::CountText(texts, "train-clean-100 (4)"), 1u);
  EXPECT_EQ(testing::CountText(texts, "dev-clean (2)"), 1u);
  // The outline and its legend sample in each group's colour (tab10 blue,
  // orange), and no point markers (drawn as text glyphs).
  EXPECT_EQ(testing::CountSvgElements(dir / "levels.svg", "polyline", "stroke=\"#1F77B4\""), 2u);
  EXPECT_EQ(testing::CountSvgElements(dir / "levels.svg", "polyline", "stroke=\"#FF7F0E\""), 2u);
  EXPECT_EQ(testing::CountText(texts, "●"), 0u);
  EXPECT_TRUE(std::filesystem::exists(dir / "levels.png"));
}

TEST(HistogramTest, UnusableBinsThrowNamingThePath) {
  testing::TempDir dir;
  const std::string path = dir / "bad";
  for (const HistogramBins& bins : {HistogramBins{0, 1, 0}, HistogramBins{1, 1, 0.1}, HistogramBins{0, 1e6, 1}}) {
    try {
      WriteHistogram(path, {{"a", {0.5}}}, bins, {});
      ADD_FAILURE() << "expected an error";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace jsqa
