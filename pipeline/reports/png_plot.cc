#include "pipeline/reports/png_plot.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>

#include "pipeline/base/error.h"
#include "pipeline/reports/bitmap_font.h"
#include "pipeline/base/text_files.h"

namespace jsqa {
namespace {

constexpr Rgb kBackground{255, 255, 255};
constexpr Rgb kInk{40, 40, 40};  // frame, ticks and text
constexpr Rgb kGrid{228, 228, 228};
constexpr Rgb kIdentity{150, 150, 150};
constexpr int kMinSide = 200;  // pixels: below this the labels do not fit
// Matplotlib's "tab10" palette: distinct hues that stay apart for colour-blind readers.
// clang-format off
constexpr std::array<Rgb, 10> kPalette = {{
    {31, 119, 180}, {255, 127, 14}, {44, 160, 44}, {214, 39, 40}, {148, 103, 189},
    {140, 86, 75}, {227, 119, 194}, {127, 127, 127}, {188, 189, 34}, {23, 190, 207}}};
// clang-format on

struct Range {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();

  void Add(double v) {
    if (!std::isfinite(v)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  void Add(const Range& other) {
    Add(other.lo);
    Add(other.hi);
  }
  bool empty() const { return lo > hi; }
};

// The data range widened by 4% each side so that extreme points stay off the
// frame. No data gives [0, 1]; a single value v gives v +- 10% (+-1 for 0).
Range AxisLimits(const Range& data) {
  if (data.empty()) return {0, 1};
  // Halves rather than hi - lo, which overflows for values near DBL_MAX.
  const double mid = 0.5 * data.lo + 0.5 * data.hi;
  double half = 0.5 * data.hi - 0.5 * data.lo;
  half = half > 0 ? 1.08 * half : (mid == 0 ? 1.0 : 0.1 * std::abs(mid));
  return {mid - half, mid + half};
}

// The smallest of 1, 2, 5 x 10^k giving at most target_count intervals.
double NiceStep(const Range& limits, int target_count) {
  const double raw = (limits.hi - limits.lo) / target_count;
  if (!(raw > 0) || !std::isfinite(raw)) return 0;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (const double m : {1.0, 2.0, 5.0}) {
    if (m * magnitude >= raw) return m * magnitude;
  }
  return 10 * magnitude;
}

struct Axis {
  Range limits;
  std::vector<double> ticks;
  std::vector<std::string> labels;  // one per tick
};

Axis MakeAxis(const Range& limits, int target_count) {
  Axis axis{limits, {}, {}};
  const double step = NiceStep(limits, target_count);
  if (step == 0) return axis;
  const double first = std::ceil(limits.lo / step - 1e-9);
  for (int k = 0; k < 100; ++k) {  // bounded even if rounding misbehaves
    double v = (first + k) * step;
    if (v > limits.hi + 1e-9 * step) break;
    if (std::abs(v) < 1e-9 * step) v = 0;  // no "-0.0"
    axis.ticks.push_back(v);
  }
  // Enough decimals to tell steps apart: 0.5 -> 1, 0.02 -> 2, 10 -> 0.
  const int decimals = std::max(0, -static_cast<int>(std::floor(std::log10(step) + 1e-9)));
  double largest = 0;
  for (const double v : axis.ticks) largest = std::max(largest, std::abs(v));
  const bool scientific = step < 1e-4 || largest >= 1e7;
  for (const double v : axis.ticks) {
    char text[32];
    if (scientific) {
      std::snprintf(text, sizeof(text), "%.3g", v);
    } else {
      std::snprintf(text, sizeof(text), "%.*f", decimals, v);
    }
    axis.labels.push_back(text);
  }
  return axis;
}

struct LegendEntry {
  std::string name;
  Rgb color;
  bool line;  // a line swatch; otherwise a marker
};

// Font pixels per image pixel: 2 for the default 800x500, 1 below 375 pixels.
int TextScale(const PlotOptions& options) {
  return std::clamp((std::min(options.width, options.height) + 125) / 250, 1, 4);
}

// Sizes in pixels shared by the layout and the drawing, all grown with the
// text scale so that a larger image keeps its proportions.
struct Metrics {
  explicit Metrics(const PlotOptions& options)
      : s(TextScale(options)),
        line_height(kGlyphHeight * s),
        gap(3 * s),
        tick_length(2 * s),
        swatch(8 * s),
        // Legend names are cut to fit 35% of the width.
        max_name_chars(static_cast<size_t>((options.width * 35 / 100 - swatch - gap) / (kGlyphAdvance * s))) {}
  int Width(const std::string& text) const { return TextWidth(text) * s; }

  int s, line_height, gap, tick_length, swatch;
  size_t max_name_chars;
};

// Pixel geometry of the plot area and the value -> pixel maps.
struct Frame {
  int left, top, right, bottom;  // inclusive pixel bounds of the plot area
  Range x, y;

  int X(double v) const { return ToPixel(left + (v - x.lo) / (x.hi - x.lo) * (right - left)); }
  int Y(double v) const { return ToPixel(bottom - (v - y.lo) / (y.hi - y.lo) * (bottom - top)); }

  // Clamped before the cast: a non-finite or huge double is undefined as int.
  static int ToPixel(double p) { return std::isnan(p) ? 0 : static_cast<int>(std::lround(std::clamp(p, -1e6, 1e6))); }
};

void CheckOptions(const PlotOptions& options) {
  JSQA_CHECK(options.width >= kMinSide && options.height >= kMinSide, "plot size ", options.width, "x", options.height,
             " is too small: each side needs at least ", kMinSide, " pixels");
}

void CheckSeries(const PlotSeries& series) {
  JSQA_CHECK(series.x.size() == series.y.size(), "plot series '", series.name, "' has ", series.x.size(),
             " x values but ", series.y.size(), " y values");
}

int LegendWidth(const std::vector<LegendEntry>& legend, const Metrics& m) {
  int width = 0;
  for (const auto& entry : legend) {
    width = std::max(width, m.swatch + m.gap + m.Width(entry.name.substr(0, m.max_name_chars)));
  }
  return width;
}

// Draws the legend with its top-left corner at (x, y); boxed puts it on a
// framed white box so that it stays readable over data.
void DrawLegend(RgbImage* image, int x, int y, const std::vector<LegendEntry>& legend, const Metrics& m, bool boxed) {
  if (legend.empty()) return;
  const int row_height = m.line_height + m.gap;
  if (boxed) {  // a 1-pixel ink border around a white box, gap-wide padding
    const int right = x + LegendWidth(legend, m) + m.gap, bottom = y + static_cast<int>(legend.size()) * row_height;
    image->FillRect(x - m.gap, y - m.gap, right, bottom, kInk);
    image->FillRect(x - m.gap + 1, y - m.gap + 1, right - 1, bottom - 1, kBackground);
  }
  for (size_t i = 0; i < legend.size(); ++i) {
    const int top = y + static_cast<int>(i) * row_height;
    const int middle = top + kGlyphRows * m.s / 2;
    if (legend[i].line) {
      image->DrawLine(x, middle, x + m.swatch, middle, legend[i].color, m.s);
    } else {
      image->FillCircle(x + m.swatch / 2, middle, m.s + 1, legend[i].color);
    }
    image->DrawText(x + m.swatch + m.gap, top, legend[i].name.substr(0, m.max_name_chars), kInk, m.s);
  }
}

// Draws everything under the data: grid, frame, ticks, labels and title.
// legend_width reserves room right of the plot; square makes the plot area
// square (for y = x). Returns the plot area the data is to be drawn in.
Frame DrawAxes(RgbImage* image, const PlotOptions& options, const Axis& x_axis, const Axis& y_axis, int legend_width,
               bool square) {
  const Metrics m(options);
  int y_labels_width = 0;
  for (const auto& label : y_axis.labels) y_labels_width = std::max(y_labels_width, m.Width(label));
  const int last_x_label = x_axis.labels.empty() ? 0 : m.Width(x_axis.labels.back());
  const int title_scale = m.s + 1;

  Frame frame;
  frame.x = x_axis.limits;
  frame.y = y_axis.limits;
  frame.left = 2 * m.gap + (options.y_label.empty() ? 0 : m.line_height + 2 * m.gap) + y_labels_width + m.tick_length;
  frame.top = options.title.empty() ? 4 * m.gap : kGlyphHeight * title_scale + 3 * m.gap;
  frame.right =
      options.width - 1 - (legend_width > 0 ? legend_width + 5 * m.gap : std::max(4 * m.gap, last_x_label / 2 + m.gap));
  frame.bottom = options.height - 1 - (m.tick_length + 3 * m.gap + m.line_height) -
                 (options.x_label.empty() ? 0 : m.line_height + m.gap);
  if (square) {
    const int side = std::min(frame.right - frame.left, frame.bottom - frame.top);
    frame.right = frame.left + side;
    frame.top = frame.bottom - side;
  }

  for (size_t i = 0; i < x_axis.ticks.size(); ++i) {
    const int x = frame.X(x_axis.ticks[i]);
    image->DrawLine(x, frame.top, x, frame.bottom, kGrid);
    image->DrawLine(x, frame.bottom, x, frame.bottom + m.tick_length, kInk);
    image->DrawText(x - m.Width(x_axis.labels[i]) / 2, frame.bottom + m.tick_length + m.gap, x_axis.labels[i], kInk,
                    m.s);
  }
  for (size_t i = 0; i < y_axis.ticks.size(); ++i) {
    const int y = frame.Y(y_axis.ticks[i]);
    image->DrawLine(frame.left, y, frame.right, y, kGrid);
    image->DrawLine(frame.left - m.tick_length, y, frame.left, y, kInk);
    image->DrawText(frame.left - m.tick_length - m.gap - m.Width(y_axis.labels[i]), y - kGlyphRows * m.s / 2,
                    y_axis.labels[i], kInk, m.s);
  }
  // The frame: four lines rather than a filled rectangle, to keep the grid.
  image->DrawLine(frame.left, frame.top, frame.right, frame.top, kInk);
  image->DrawLine(frame.left, frame.bottom, frame.right, frame.bottom, kInk);
  image->DrawLine(frame.left, frame.top, frame.left, frame.bottom, kInk);
  image->DrawLine(frame.right, frame.top, frame.right, frame.bottom, kInk);

  const int centre_x = (frame.left + frame.right) / 2, centre_y = (frame.top + frame.bottom) / 2;
  if (!options.title.empty()) {
    // Centred over the plot, shifted to stay inside the image when wider.
    const int title_width = TextWidth(options.title) * title_scale;
    const int title_x = std::clamp(centre_x - title_width / 2, m.gap, std::max(m.gap, options.width - m.gap - title_width));
    image->DrawText(title_x, 2 * m.gap, options.title, kInk, title_scale);
  }
  if (!options.x_label.empty()) {
    image->DrawText(centre_x - m.Width(options.x_label) / 2, options.height - m.gap - m.line_height, options.x_label,
                    kInk, m.s);
  }
  if (!options.y_label.empty()) {
    image->DrawText(2 * m.gap, centre_y + m.Width(options.y_label) / 2, options.y_label, kInk, m.s, true);
  }
  return frame;
}

bool IsFinitePoint(const PlotSeries& series, size_t i) {
  return std::isfinite(series.x[i]) && std::isfinite(series.y[i]);
}

Range XRange(const PlotSeries& series) {
  Range range;
  for (size_t i = 0; i < series.x.size(); ++i) {
    if (IsFinitePoint(series, i)) range.Add(series.x[i]);
  }
  return range;
}

Range YRange(const PlotSeries& series) {
  Range range;
  for (size_t i = 0; i < series.y.size(); ++i) {
    if (IsFinitePoint(series, i)) range.Add(series.y[i]);
  }
  return range;
}

// Ticks about every 100 pixels across and 60 pixels up.
int XTickTarget(const PlotOptions& options) { return std::max(2, options.width / 100); }
int YTickTarget(const PlotOptions& options) { return std::max(2, options.height / 60); }

}  // namespace

Rgb SeriesColor(size_t index) { return kPalette[index % kPalette.size()]; }

RgbImage RenderLinePlot(const std::vector<PlotSeries>& series, const PlotOptions& options) {
  CheckOptions(options);
  const Metrics m(options);
  Range x_data, y_data;
  std::vector<LegendEntry> legend;
  for (size_t k = 0; k < series.size(); ++k) {
    CheckSeries(series[k]);
    x_data.Add(XRange(series[k]));
    y_data.Add(YRange(series[k]));
    if (!series[k].name.empty()) legend.push_back({series[k].name, SeriesColor(k), true});
  }
  RgbImage image(options.width, options.height, kBackground);
  const Frame frame = DrawAxes(&image, options, MakeAxis(AxisLimits(x_data), XTickTarget(options)),
                               MakeAxis(AxisLimits(y_data), YTickTarget(options)), LegendWidth(legend, m), false);
  for (size_t k = 0; k < series.size(); ++k) {
    const PlotSeries& one = series[k];
    for (size_t i = 0; i < one.x.size(); ++i) {
      if (!IsFinitePoint(one, i)) continue;
      const bool joins_next = i + 1 < one.x.size() && IsFinitePoint(one, i + 1);
      const bool joins_previous = i > 0 && IsFinitePoint(one, i - 1);
      if (joins_next) {
        image.DrawLine(frame.X(one.x[i]), frame.Y(one.y[i]), frame.X(one.x[i + 1]), frame.Y(one.y[i + 1]),
                       SeriesColor(k), m.s);
      } else if (!joins_previous) {  // an isolated point would be invisible as a line
        image.FillCircle(frame.X(one.x[i]), frame.Y(one.y[i]), m.s + 1, SeriesColor(k));
      }
    }
  }
  DrawLegend(&image, frame.right + 3 * m.gap, frame.top, legend, m, false);
  return image;
}

RgbImage RenderScatterPlot(const PlotSeries& points, const PlotOptions& options, bool identity_line) {
  CheckOptions(options);
  CheckSeries(points);
  const Metrics m(options);
  Range x_data = XRange(points), y_data = YRange(points);
  if (identity_line) {  // one range for both, so that y = x is the diagonal
    x_data.Add(y_data);
    y_data = x_data;
  }
  std::vector<LegendEntry> legend;
  if (!points.name.empty()) legend.push_back({points.name, SeriesColor(0), false});
  if (identity_line) legend.push_back({"y = x", kIdentity, true});
  RgbImage image(options.width, options.height, kBackground);
  // The legend goes inside, top left: with y = x that corner (low x, high y)
  // is the emptiest, and the plot keeps the whole width.
  const Axis x_axis = MakeAxis(
      AxisLimits(x_data), identity_line ? std::min(XTickTarget(options), YTickTarget(options)) : XTickTarget(options));
  const Axis y_axis = identity_line ? x_axis : MakeAxis(AxisLimits(y_data), YTickTarget(options));
  const Frame frame = DrawAxes(&image, options, x_axis, y_axis, 0, identity_line);
  if (identity_line) {
    const Range& r = frame.x;  // equals frame.y
    image.DrawLine(frame.X(r.lo), frame.Y(r.lo), frame.X(r.hi), frame.Y(r.hi), kIdentity, m.s);
  }
  for (size_t i = 0; i < points.x.size(); ++i) {
    if (IsFinitePoint(points, i)) image.FillCircle(frame.X(points.x[i]), frame.Y(points.y[i]), m.s + 1, SeriesColor(0));
  }
  DrawLegend(&image, frame.left + 3 * m.gap, frame.top + 3 * m.gap, legend, m, true);
  return image;
}

void WritePngFile(const std::string& png_path, const RgbImage& image) {
  WriteFileAtomically(png_path, image.EncodePng());
}

void WriteLinePlot(const std::string& png_path, const std::vector<PlotSeries>& series, const PlotOptions& options) {
  WritePngFile(png_path, RenderLinePlot(series, options));
}

void WriteScatterPlot(const std::string& png_path, const PlotSeries& points, const PlotOptions& options,
                      bool identity_line) {
  WritePngFile(png_path, RenderScatterPlot(points, options, identity_line));
}

}  // namespace jsqa
