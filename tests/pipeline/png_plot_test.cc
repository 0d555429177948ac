#include "pipeline/reports/png_plot.h"

#include <gtest/gtest.h>
#include <png.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <functional>

#include "pipeline/base/error.h"
#include "pipeline/reports/bitmap_font.h"
#include "tests/test_support.h"

namespace jsqa {
namespace {

constexpr Rgb kWhite{255, 255, 255};

// A PNG read back with libpng's simplified API, independent of the encoder.
struct DecodedPng {
  int width = 0, height = 0;
  std::vector<uint8_t> rgb;  // row-major, 3 bytes per pixel

  Rgb At(int x, int y) const {
    const uint8_t* p = &rgb[(static_cast<size_t>(y) * width + x) * 3];
    return {p[0], p[1], p[2]};
  }
};

DecodedPng DecodePng(const std::string& path) {
  png_image image;
  std::memset(&image, 0, sizeof(image));
  image.version = PNG_IMAGE_VERSION;
  DecodedPng decoded;
  if (!png_image_begin_read_from_file(&image, path.c_str())) {
    ADD_FAILURE() << path << ": " << image.message;
    return decoded;
  }
  image.format = PNG_FORMAT_RGB;
  decoded.rgb.resize(PNG_IMAGE_SIZE(image));
  if (!png_image_finish_read(&image, nullptr, decoded.rgb.data(), 0, nullptr)) {
    ADD_FAILURE() << path << ": " << image.message;
    return decoded;
  }
  decoded.width = static_cast<int>(image.width);
  decoded.height = static_cast<int>(image.height);
  return decoded;
}

// Rows of column x that have exactly the given colour.
std::vector<int> RowsWithColor(const DecodedPng& png, int x, Rgb color) {
  std::vector<int> rows;
  for (int y = 0; y < png.height; ++y) {
    if (png.At(x, y) == color) rows.push_back(y);
  }
  return rows;
}

void ExpectThrowsNaming(const std::function<void()>& action, const std::string& text) {
  try {
    action();
    ADD_FAILURE() << "expected an error naming " << text;
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
  }
}

TEST(PngPlotTest, WritesADecodablePngWithTheRequestedSize) {
  testing::TempDir dir;
  const std::string path = dir / "curve.png";
  PlotOptions options{"Loss", "step", "MSE", 640, 400};
  WriteLinePlot(path, {{"train", {0, 1, 2, 3}, {1.0, 0.6, 0.4, 0.3}}}, options);
  EXPECT_EQ(testing::ReadBytes(path).substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));  // renamed into place
  const DecodedPng png = DecodePng(path);
  EXPECT_EQ(png.width, 640);
  EXPECT_EQ(png.height, 400);
  EXPECT_EQ(png.At(0, 0), kWhite);
  EXPECT_EQ(png.At(639, 399), kWhite);
}

TEST(PngPlotTest, HorizontalLinesHaveTheirSeriesColours) {
  testing::TempDir dir;
  const std::string path = dir / "flat.png";
  // Two constant series: each is a horizontal line, the larger y higher up.
  WriteLinePlot(path, {{"low", {0, 10}, {1, 1}}, {"high", {0, 10}, {3, 3}}}, PlotOptions{});
  const DecodedPng png = DecodePng(path);
  ASSERT_EQ(png.width, 800);
  const std::vector<int> low = RowsWithColor(png, 300, SeriesColor(0));
  const std::vector<int> high = RowsWithColor(png, 300, SeriesColor(1));
  ASSERT_FALSE(low.empty());
  ASSERT_FALSE(high.empty());
  EXPECT_LE(low.back() - low.front(), 3);  // a thin line crosses the column
  EXPECT_LT(high.back(), low.front());
  // The same rows carry the colour elsewhere along the line.
  EXPECT_EQ(png.At(200, low.front()), SeriesColor(0));
  EXPECT_EQ(png.At(400, high.front()), SeriesColor(1));
}

TEST(PngPlotTest, ScatterDrawsPointsAndIdentityLine) {
  testing::TempDir dir;
  const std::string path = dir / "scatter.png";
  const PlotSeries points{"val", {1, 2, 3, 4, 5}, {1.5, 2.2, 2.8, 4.4, 4.6}};
  WriteScatterPlot(path, points, {"Predicted vs true", "true MOS", "predicted MOS", 500, 500}, true);
  const DecodedPng png = DecodePng(path);
  ASSERT_EQ(png.width, 500);
  int marker_pixels = 0, grey_pixels = 0;
  for (int y = 0; y < png.height; ++y) {
    for (int x = 0; x < png.width; ++x) {
      marker_pixels += png.At(x, y) == SeriesColor(0);
      grey_pixels += png.At(x, y) == Rgb{150, 150, 150};
    }
  }
  EXPECT_GT(marker_pixels, 5 * 9);  // five discs of radius 3 and the legend's
  EXPECT_GT(grey_pixels, 300);      // the diagonal, about 400 pixels long
}

TEST(PngPlotTest, EmptyConstantAndNonFiniteSeriesStillGiveValidImages) {
  testing::TempDir dir;
  const PlotOptions options{"empty", "x", "y", 300, 200};
  WriteLinePlot(dir / "none.png", {}, options);
  WriteLinePlot(dir / "empty.png", {{"empty", {}, {}}}, options);
  WriteLinePlot(dir / "nan.png", {{"nan", {0, 1, NAN}, {NAN, INFINITY, 2}}}, options);
  WriteLinePlot(dir / "single.png", {{"one", {5}, {0}}}, options);
  WriteScatterPlot(dir / "scatter.png", {"", {}, {}}, options, true);
  WriteScatterPlot(dir / "equal.png", {"", {3, 3}, {3, 3}}, options, false);
  for (const char* name : {"none.png", "empty.png", "nan.png", "single.png", "scatter.png", "equal.png"}) {
    const DecodedPng png = DecodePng(dir / name);
    EXPECT_EQ(png.width, 300) << name;
    EXPECT_EQ(png.height, 200) << name;
  }
  // The isolated point is drawn as a dot rather than disappearing.
  const DecodedPng single = DecodePng(dir / "single.png");
  int dot_pixels = 0;
  for (size_t i = 0; i < single.rgb.size(); i += 3) {
    dot_pixels += Rgb{single.rgb[i], single.rgb[i + 1], single.rgb[i + 2]} == SeriesColor(0);
  }
  EXPECT_GT(dot_pixels, 0);
}

TEST(PngPlotTest, UnwritablePathThrowsNamingIt) {
  testing::TempDir dir;
  const std::string missing_folder = dir / "no/such/folder/plot.png";
  ExpectThrowsNaming([&] { WriteLinePlot(missing_folder, {}, PlotOptions{}); }, missing_folder);
  // A folder in the way fails at the rename, which must still name the path.
  std::filesystem::create_directory(dir / "taken.png");
  std::filesystem::create_directory(dir / "taken.png/inside");
  ExpectThrowsNaming([&] { WriteScatterPlot(dir / "taken.png", {}, PlotOptions{}, false); }, dir / "taken.png");
  EXPECT_FALSE(std::filesystem::exists(dir / "taken.png.tmp"));
}

TEST(PngPlotTest, BadInputThrows) {
  ExpectThrowsNaming([] { RenderLinePlot({{"bad series", {1, 2}, {1}}}, PlotOptions{}); }, "bad series");
  ExpectThrowsNaming([] { RenderScatterPlot({}, {"", "", "", 100, 500}, false); }, "100x500");
}

TEST(PlotRasterTest, FontCoversPrintableAscii) {
  for (char c = '!'; c <= '~'; ++c) {
    const Glyph& glyph = GlyphFor(c);
    EXPECT_TRUE(std::any_of(glyph.begin(), glyph.end(), [](uint8_t row) { return row != 0; })) << c;
    for (const uint8_t row : glyph) EXPECT_EQ(row & ~0x1F, 0) << c;  // 5 pixels wide
  }
  EXPECT_EQ(&GlyphFor('\n'), &GlyphFor('?'));
  EXPECT_EQ(TextWidth(""), 0);
  EXPECT_EQ(TextWidth("ab"), 2 * kGlyphAdvance - 1);
}

TEST(PlotRasterTest, DrawsClippedShapesAndText) {
  RgbImage image(20, 12, kWhite);
  const Rgb red{255, 0, 0};
  image.DrawLine(-5, 3, 30, 3, red);  // clipped at both ends
  EXPECT_EQ(image.At(0, 3), red);
  EXPECT_EQ(image.At(19, 3), red);
  EXPECT_EQ(image.At(10, 4), kWhite);
  image.FillCircle(10, 8, 1, red);
  EXPECT_EQ(image.At(11, 8), red);
  EXPECT_EQ(image.At(12, 8), kWhite);
  RgbImage text(10, 10, kWhite);
  text.DrawText(0, 0, "T", red);  // T's top row is full, its stem the middle column
  EXPECT_EQ(text.At(0, 0), red);
  EXPECT_EQ(text.At(4, 0), red);
  EXPECT_EQ(text.At(2, 6), red);
  EXPECT_EQ(text.At(0, 6), kWhite);
  EXPECT_THROW(text.At(10, 0), Error);
  EXPECT_THROW(RgbImage(0, 5, kWhite), Error);
}

}  // namespace
}  // namespace jsqa
