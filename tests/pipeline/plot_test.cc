// What the PLplot charts say, read back from their SVG text (titles, axis
// labels, category ticks, legend entries) and element counts, plus the PNG's
// header. Not pixel tests: fonts and anti-aliasing may change with PLplot.
#include "pipeline/reports/plot.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <thread>

#include "pipeline/base/error.h"
#include "pipeline/reports/smoothing.h"
#include "tests/svg_text.h"
#include "tests/test_support.h"

namespace jsqa {
namespace {
namespace fs = std::filesystem;

// Width and height from a PNG's IHDR chunk, after checking the signature.
std::pair<uint32_t, uint32_t> PngSize(const std::string& path) {
  const std::string bytes = testing::ReadBytes(path);
  EXPECT_GE(bytes.size(), 24u) << path;
  if (bytes.size() < 24) return {0, 0};
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8)) << path;
  EXPECT_EQ(bytes.substr(12, 4), "IHDR") << path;
  const auto be32 = [&](size_t at) {
    uint32_t value = 0;
    for (size_t i = 0; i < 4; ++i) value = (value << 8) | static_cast<uint8_t>(bytes[at + i]);
    return value;
  };
  return {be32(16), be32(20)};
}

void ExpectThrowsNaming(const std::function<void()>& action, const std::string& text) {
  try {
    action();
    ADD_FAILURE() << "expected an error naming " << text;
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
  }
}

PlotOptions Options(const std::string& title, const std::string& x, const std::string& y) {
  PlotOptions options;
  options.title = title;
  options.x.label = x;
  options.y.label = y;
  return options;
}

TEST(PlotTest, WritesPngAndSvgOfTheAskedSizeBesideEachOther) {
  testing::TempDir dir;
  PlotOptions options = Options("Loss", "step", "MSE");
  options.width = 640;
  options.height = 400;
  WriteLinePlot(dir / "curve.png", {{"train", {0, 1, 2, 3}, {1.0, 0.6, 0.4, 0.3}}}, options);
  EXPECT_EQ(PngSize(dir / "curve.png"), std::make_pair(640u, 400u));
  const std::string svg = testing::ReadBytes(dir / "curve.svg");
  EXPECT_EQ(svg.rfind("<?xml", 0), 0u);
  EXPECT_NE(svg.find("viewBox=\"0 0 640 400\""), std::string::npos);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  // A path without extension names both files too; no temporary is left.
  WriteLinePlot(dir / "bare", {}, PlotOptions{});
  EXPECT_EQ(PngSize(dir / "bare.png"), std::make_pair(800u, 500u));
  EXPECT_TRUE(fs::exists(dir / "bare.svg"));
  for (const auto& entry : fs::directory_iterator(dir.path()))
    EXPECT_NE(entry.path().extension(), ".tmp") << entry.path();
}

TEST(PlotTest, SvgNamesTitleAxesAndEachSeriesInUtf8) {
  testing::TempDir dir;
  WriteLinePlot(dir / "sweep.png",
                {{"Δ 0–1 dB", {0, 1}, {0.41, 0.38}}, {"Δ 0–3 dB", {0, 1}, {0.52, 0.47}}, {"#1 & <b>", {0, 1}, {0.5, 0.5}}},
                Options("mean PCC vs projection head", "model.projection_head", "mean PCC"));
  const std::vector<std::string> texts = testing::SvgTexts(dir / "sweep.svg");
  EXPECT_EQ(testing::CountText(texts, "mean PCC vs projection head"), 1u);
  EXPECT_EQ(testing::CountText(texts, "model.projection_head"), 1u);
  EXPECT_EQ(testing::CountText(texts, "mean PCC"), 1u);
  // Distinct series, distinct legend entries, each exactly once; PLplot's
  // '#' escape and XML's specials come out as written.
  EXPECT_EQ(testing::CountText(texts, "Δ 0–1 dB"), 1u);
  EXPECT_EQ(testing::CountText(texts, "Δ 0–3 dB"), 1u);
  EXPECT_EQ(testing::CountText(texts, "#1 & <b>"), 1u);
}

TEST(PlotTest, CategoricalAxisLabelsCategoriesNotNumbers) {
  testing::TempDir dir;
  PlotOptions options = Options("", "model.projection_head", "mean PCC");
  options.x.categories = {"false", "true"};
  WriteLinePlot(dir / "bool", {{"Δ 0–1 dB", {0, 1}, {12, 17}}}, options);
  const std::vector<std::string> texts = testing::SvgTexts(dir / "bool.svg");
  EXPECT_EQ(testing::CountText(texts, "false"), 1u);
  EXPECT_EQ(testing::CountText(texts, "true"), 1u);
  for (const char* number : {"0.0", "0.2", "0.5", "1.0", "-0.5"}) EXPECT_EQ(testing::CountText(texts, number), 0u) << number;

  options.x.categories = {"0–1", "0–3", "3–6"};
  WriteLinePlot(dir / "ranges", {{"a", {0, 1, 2}, {1, 2, 3}}}, options);
  const std::vector<std::string> ranges = testing::SvgTexts(dir / "ranges.svg");
  for (const char* label : {"0–1", "0–3", "3–6"}) EXPECT_EQ(testing::CountText(ranges, label), 1u) << label;
}

TEST(PlotTest, ErrorBarsAddLines) {
  testing::TempDir dir;
  PlotOptions options = Options("", "x", "y");
  options.x.categories = {"a", "b", "c"};
  PlotSeries series{"mean over 3 seeds", {0, 1, 2}, {0.5, 0.6, 0.55}};
  WriteLinePlot(dir / "plain", {series}, options);
  series.y_error = {0.05, 0.02, 0.0};  // no bar where the spread is 0
  WriteLinePlot(dir / "bars", {series}, options);
  // Lines in the series' colour (tab10 blue): the curve and its legend
  // sample, then a bar and two caps for each of the two non-zero errors.
  EXPECT_EQ(testing::CountSvgElements(dir / "plain.svg", "polyline", "stroke=\"#1F77B4\""), 2u);
  EXPECT_EQ(testing::CountSvgElements(dir / "bars.svg", "polyline", "stroke=\"#1F77B4\""), 2u + 2u * 3u);
  EXPECT_EQ(testing::CountText(testing::SvgTexts(dir / "bars.svg"), "mean over 3 seeds"), 1u);
}

TEST(PlotTest, RawAndSmoothedCurvesAreBothInTheLegend) {
  testing::TempDir dir;
  PlotSeries loss{"NT-Xent loss", {}, {}};
  for (int step = 0; step < 200; ++step) {
    loss.x.push_back(step);
    loss.y.push_back(2.0 * std::exp(-step / 50.0) + 0.2 * (step % 2));
  }
  WriteLinePlot(dir / "loss", RawAndSmoothed(loss, 0), Options("pretraining loss", "step", "loss"));
  const std::vector<std::string> texts = testing::SvgTexts(dir / "loss.svg");
  EXPECT_EQ(testing::CountText(texts, "NT-Xent loss, raw"), 1u);
  EXPECT_EQ(testing::CountText(texts, "NT-Xent loss, EMA over 10 points"), 1u);
}

TEST(PlotTest, ScatterHasItsLegendAndIdentityLine) {
  testing::TempDir dir;
  PlotOptions options = Options("NISQA_TEST_FOR", "predicted MOS", "subjective MOS");
  options.width = 500;
  options.height = 500;
  const PlotSeries points{"NISQA_TEST_FOR (5 clips)", {1, 2, 3, 4, 5}, {1.5, 2.2, 2.8, 4.4, 4.6}};
  WriteScatterPlot(dir / "plain", {points}, options, false);
  WriteScatterPlot(dir / "identity", {points}, options, true);
  EXPECT_EQ(PngSize(dir / "identity.png"), std::make_pair(500u, 500u));
  const std::vector<std::string> texts = testing::SvgTexts(dir / "identity.svg");
  EXPECT_EQ(testing::CountText(texts, "NISQA_TEST_FOR (5 clips)"), 1u);
  EXPECT_EQ(testing::CountText(texts, "●"), 5u + 1u);  // a marker per point and one in the legend
  EXPECT_GT(testing::CountSvgElements(dir / "identity.svg", "polyline"), testing::CountSvgElements(dir / "plain.svg", "polyline"));
}

TEST(PlotTest, EmptyConstantAndNonFiniteSeriesStillGiveValidCharts) {
  testing::TempDir dir;
  PlotOptions options = Options("empty", "x", "y");
  options.width = 300;
  options.height = 200;
  WriteLinePlot(dir / "none.png", {}, options);
  WriteLinePlot(dir / "empty.png", {{"empty", {}, {}}}, options);
  WriteLinePlot(dir / "nan.png", {{"nan", {0, 1, NAN, 3}, {NAN, INFINITY, 2, 4}, {1, 1, NAN, INFINITY}}}, options);
  WriteLinePlot(dir / "single.png", {{"one", {5}, {0}}}, options);
  WriteScatterPlot(dir / "scatter.png", {{"", {}, {}}}, options, true);
  WriteScatterPlot(dir / "equal.png", {{"", {3, 3}, {3, 3}}}, options, false);
  for (const char* name : {"none", "empty", "nan", "single", "scatter", "equal"}) {
    EXPECT_EQ(PngSize(dir / (std::string(name) + ".png")), std::make_pair(300u, 200u)) << name;
    EXPECT_EQ(testing::CountText(testing::SvgTexts(dir / (std::string(name) + ".svg")), "empty"), std::string(name) == "empty" ? 2u : 1u)
        << name;  // the title (and the series "empty")
  }
}

TEST(PlotTest, SameInputGivesTheSameBytes) {
  testing::TempDir dir;
  const std::vector<PlotSeries> series{{"a", {0, 1, 2}, {3, 1, 2}, {0.1, 0.2, 0.3}}};
  WriteLinePlot(dir / "one", series, Options("t", "x", "y"));
  WriteLinePlot(dir / "two", series, Options("t", "x", "y"));
  EXPECT_EQ(testing::ReadBytes(dir / "one.png"), testing::ReadBytes(dir / "two.png"));
  EXPECT_EQ(testing::ReadBytes(dir / "one.svg"), testing::ReadBytes(dir / "two.svg"));
}

TEST(PlotTest, ThreadsDrawOneAtATime) {
  testing::TempDir dir;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 3; ++i)
        WriteLinePlot(dir / ("t" + std::to_string(t) + "-" + std::to_string(i)),
                      {{"thread " + std::to_string(t), {0, 1}, {double(t), double(i)}}}, Options("", "x", "y"));
    });
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < 4; ++t)
    for (int i = 0; i < 3; ++i) {
      const std::string stem = dir / ("t" + std::to_string(t) + "-" + std::to_string(i));
      EXPECT_EQ(PngSize(stem + ".png"), std::make_pair(800u, 500u));
      EXPECT_EQ(testing::CountText(testing::SvgTexts(stem + ".svg"), "thread " + std::to_string(t)), 1u) << stem;
    }
}

TEST(PlotTest, BadPathsAndInputsThrowNamingThem) {
  testing::TempDir dir;
  const std::string missing_folder = dir / "no/such/folder/plot.png";
  ExpectThrowsNaming([&] { WriteLinePlot(missing_folder, {}, PlotOptions{}); }, dir / "no/such/folder/plot");
  // A folder where the file should go: the rename fails, the temporary goes.
  fs::create_directory(dir / "taken.png");
  fs::create_directory(dir / "taken.png/inside");
  ExpectThrowsNaming([&] { WriteScatterPlot(dir / "taken.png", {}, PlotOptions{}, false); }, dir / "taken.png");
  EXPECT_FALSE(fs::exists(dir / "taken.png.tmp"));

  ExpectThrowsNaming([&] { WriteLinePlot(dir / "bad.png", {{"bad series", {1, 2}, {1}}}, PlotOptions{}); },
                     "bad series");
  ExpectThrowsNaming([&] { WriteLinePlot(dir / "bad.png", {{"bars", {1, 2}, {1, 2}, {0.1}}}, PlotOptions{}); },
                     "bars");
  PlotOptions tiny;
  tiny.width = 100;
  ExpectThrowsNaming([&] { WriteScatterPlot(dir / "tiny.png", {}, tiny, false); }, "100x500");
  ExpectThrowsNaming([&] { WriteScatterPlot(dir / "tiny.png", {}, tiny, false); }, dir / "tiny");
}

TEST(SmoothingTest, ExponentialMovingAverageSkipsNonFiniteValues) {
  const PlotSeries raw{"loss", {0, 1, 2, 3, 4}, {1, 3, NAN, 3, 3}};
  const PlotSeries smoothed = ExponentialMovingAverage(raw, "smooth", 3);  // alpha = 0.5
  EXPECT_EQ(smoothed.name, "smooth");
  EXPECT_EQ(smoothed.x, raw.x);
  ASSERT_EQ(smoothed.y.size(), 5u);
  EXPECT_DOUBLE_EQ(smoothed.y[0], 1);
  EXPECT_DOUBLE_EQ(smoothed.y[1], 2);
  EXPECT_TRUE(std::isnan(smoothed.y[2]));
  EXPECT_DOUBLE_EQ(smoothed.y[3], 2.5);
  EXPECT_DOUBLE_EQ(smoothed.y[4], 2.75);

  const std::vector<PlotSeries> pair = RawAndSmoothed(raw, 2);
  ASSERT_EQ(pair.size(), 2u);
  EXPECT_TRUE(pair[0].thin);
  EXPECT_FALSE(pair[1].thin);
  EXPECT_EQ(pair[0].color, 2);
  EXPECT_EQ(pair[1].color, 2);
  EXPECT_EQ(pair[0].y.size(), 5u);
  EXPECT_EQ(pair[1].name, "loss, EMA over 1 points");  // 5 points: no smoothing
}

}  // namespace
}  // namespace jsqa
