#include "pipeline/reports/plot.h"

#include <plplot/plplot.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>

#include "pipeline/base/error.h"
#include "pipeline/base/text_files.h"
#include "pipeline/reports/plplot_canvas.h"

namespace jsqa {
namespace {
namespace fs = std::filesystem;

// Colour map 0 indices (PLplot's own map draws in white at 15: we set ours).
constexpr PLINT kBackground = 0, kInk = 1, kGrid = 2, kIdentity = 3, kFirstSeries = 4;
constexpr int kPaletteSize = 10;  // then kPaletteSize light variants for thin lines
// Matplotlib's "tab10" palette: distinct hues that stay apart for colour-blind readers.
// clang-format off
constexpr std::array<std::array<int, 3>, kPaletteSize> kPalette = {{
    {31, 119, 180}, {255, 127, 14}, {44, 160, 44}, {214, 39, 40}, {148, 103, 189},
    {140, 86, 75}, {227, 119, 194}, {127, 127, 127}, {188, 189, 34}, {23, 190, 207}}};
// clang-format on
constexpr int kMinSide = 200, kMaxSide = 16384;  // pixels: below 200 the labels do not fit
constexpr size_t kMaxMarkedPoints = 30;          // a line with more points gets no markers
constexpr const char* kMarker = "●";             // U+25CF, in DejaVu Sans (cairo) and any SVG font
constexpr double kLineWidth = 2.0, kThinWidth = 1.0;  // device units: pixels for pngcairo, points for svg
// Legend widths are estimated before drawing (pllegend only reports its
// size after drawing): a sans-serif character is about this many character
// heights wide on average.
constexpr double kCharWidth = 0.7;
constexpr double kMaxRightLegend = 0.32;  // page fraction; wider legends go below the chart

enum class Kind { kLine, kScatter };

struct Range {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();

  void Add(double v) {
    if (!std::isfinite(v)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  bool empty() const { return lo > hi; }
};

// The data range widened by 6% each side so that extreme points and their
// markers stay off the frame. No data gives [0, 1]; a single value v gives v ± 10% (±1 for 0).
Range Padded(const Range& data) {
  if (data.empty()) return {0, 1};
  // Halves rather than hi - lo, which overflows for values near DBL_MAX.
  const double mid = 0.5 * data.lo + 0.5 * data.hi;
  double half = 0.5 * data.hi - 0.5 * data.lo;
  half = half > 0 ? 1.12 * half : (mid == 0 ? 1.0 : 0.1 * std::abs(mid));
  return {mid - half, mid + half};
}

// Categories 0..n-1 sit half a slot inside each edge.
Range CategoryRange(const PlotAxis& axis) { return {-0.5, axis.categories.size() - 0.5}; }

bool Finite(const PlotSeries& s, size_t i) { return std::isfinite(s.x[i]) && std::isfinite(s.y[i]); }
bool HasErrorBar(const PlotSeries& s, size_t i) {
  return i < s.y_error.size() && std::isfinite(s.y_error[i]) && s.y_error[i] > 0;
}

// PLplot reads '#' as its text escape ("#u" superscript, "#(225)" glyphs):
// doubled, it is a plain '#'.
std::string PlainText(const std::string& text) {
  std::string plain;
  for (const char c : text) plain += c == '#' ? std::string("##") : std::string(1, c);
  return plain;
}

size_t Utf8Length(const std::string& text) {
  return std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

void CheckInputs(const std::string& stem, const std::vector<PlotSeries>& series, const PlotOptions& options) {
  JSQA_CHECK(options.width >= kMinSide && options.height >= kMinSide && options.width <= kMaxSide &&
                 options.height <= kMaxSide,
             stem, ".png: plot size ", options.width, "x", options.height, " is outside ", kMinSide, "..", kMaxSide,
             " pixels a side");
  for (const PlotSeries& s : series) {
    JSQA_CHECK(s.x.size() == s.y.size(), stem, ".png: plot series '", s.name, "' has ", s.x.size(), " x values and ",
               s.y.size(), " y values");
    JSQA_CHECK(s.y_error.empty() || s.y_error.size() == s.y.size(), stem, ".png: plot series '", s.name, "' has ",
               s.y_error.size(), " error bars for ", s.y.size(), " points");
  }
}

void SetColorMap() {
  std::vector<PLINT> r{255, 40, 225, 150}, g{255, 40, 225, 150}, b{255, 40, 225, 150};
  for (int light = 0; light < 2; ++light) {
    for (const auto& rgb : kPalette) {
      // Light variants: 40% colour on white.
      r.push_back(light ? (2 * rgb[0] + 3 * 255) / 5 : rgb[0]);
      g.push_back(light ? (2 * rgb[1] + 3 * 255) / 5 : rgb[1]);
      b.push_back(light ? (2 * rgb[2] + 3 * 255) / 5 : rgb[2]);
    }
  }
  plscmap0(r.data(), g.data(), b.data(), static_cast<PLINT>(r.size()));
}

PLINT SeriesColor(const PlotSeries& s, size_t position) {
  const size_t index = (s.color >= 0 ? static_cast<size_t>(s.color) : position) % kPaletteSize;
  return kFirstSeries + static_cast<PLINT>(index) + (s.thin ? kPaletteSize : 0);
}

// Whether a line series is drawn with a marker at each point.
bool Marked(const PlotSeries& s, Kind kind) {
  if (kind == Kind::kScatter) return true;
  if (s.thin || !s.markers) return false;
  size_t finite = 0;
  for (size_t i = 0; i < s.x.size(); ++i) finite += Finite(s, i);
  return finite <= kMaxMarkedPoints || !s.y_error.empty();
}

// Tick labels of categorical axes (plbox option "o"): data is the PlotOptions.
void CategoryLabel(PLINT axis, PLFLT value, char* label, PLINT length, PLPointer data) {
  const auto* options = static_cast<const PlotOptions*>(data);
  const std::vector<std::string>& categories = axis == PL_Y_AXIS ? options->y.categories : options->x.categories;
  const double index = std::round(value);
  std::string text;
  if (std::abs(value - index) < 1e-6 && index >= 0 && index < static_cast<double>(categories.size()))
    text = PlainText(categories[static_cast<size_t>(index)]);
  std::snprintf(label, static_cast<size_t>(length), "%s", text.c_str());
}

struct Limits {
  Range x, y;
};

Limits ChartLimits(const std::vector<PlotSeries>& series, const PlotOptions& options, bool identity_line) {
  Range x, y;
  for (const PlotSeries& s : series) {
    for (size_t i = 0; i < s.x.size(); ++i) {
      if (!Finite(s, i)) continue;
      x.Add(s.x[i]);
      y.Add(s.y[i]);
      if (HasErrorBar(s, i)) {
        y.Add(s.y[i] - s.y_error[i]);
        y.Add(s.y[i] + s.y_error[i]);
      }
    }
  }
  if (identity_line) {
    x.Add(y.lo);
    x.Add(y.hi);
    y = x;
  }
  return {options.x.categories.empty() ? Padded(x) : CategoryRange(options.x),
          options.y.categories.empty() ? Padded(y) : CategoryRange(options.y)};
}

void DrawSeries(const PlotSeries& s, PLINT color, Kind kind) {
  plcol0(color);
  plwidth(s.thin ? kThinWidth : kLineWidth);
  std::vector<PLFLT> xs, ys;
  std::vector<PLFLT> run_x, run_y;  // a line breaks at non-finite points
  const auto flush = [&] {
    if (run_x.size() >= 2) plline(static_cast<PLINT>(run_x.size()), run_x.data(), run_y.data());
    run_x.clear();
    run_y.clear();
  };
  for (size_t i = 0; i < s.x.size(); ++i) {
    if (!Finite(s, i)) {
      flush();
      continue;
    }
    xs.push_back(s.x[i]);
    ys.push_back(s.y[i]);
    run_x.push_back(s.x[i]);
    run_y.push_back(s.y[i]);
  }
  if (kind == Kind::kLine) flush();
  if (xs.empty()) return;
  if (Marked(s, kind) || xs.size() == 1) {
    plschr(0, kind == Kind::kScatter ? 0.5 : 0.7);  // marker size, in character heights
    plstring(static_cast<PLINT>(xs.size()), xs.data(), ys.data(), kMarker);
    plschr(0, 1.0);
  }
  std::vector<PLFLT> bar_x, low, high;
  for (size_t i = 0; i < s.x.size(); ++i) {
    if (!Finite(s, i) || !HasErrorBar(s, i)) continue;
    bar_x.push_back(s.x[i]);
    low.push_back(s.y[i] - s.y_error[i]);
    high.push_back(s.y[i] + s.y_error[i]);
  }
  if (!bar_x.empty()) {
    plwidth(1.5);
    plerry(static_cast<PLINT>(bar_x.size()), bar_x.data(), low.data(), high.data());
  }
}

// Page fractions the legend takes: right of the chart, or below it.
struct LegendSpace {
  bool below = false;
  double width = 0, height = 0;
};

LegendSpace PlanLegend(const std::vector<PlotSeries>& series, Kind kind) {
  size_t longest = 0, entries = 0;
  for (const PlotSeries& s : series) {
    if (s.name.empty()) continue;
    longest = std::max(longest, Utf8Length(s.name));
    ++entries;
  }
  LegendSpace space;
  if (entries == 0 || kind == Kind::kScatter) return space;  // scatter legends sit inside the chart
  PLFLT default_height = 0, char_height = 0;  // mm
  plgchr(&default_height, &char_height);
  PLFLT x0 = 0, x1 = 0, y0 = 0, y1 = 0;  // the page, mm
  plgspa(&x0, &x1, &y0, &y1);
  // Line sample, marker, gaps and box margins take about 8 character heights
  // (6 left the box's right edge cut off the page at 800 pixels).
  space.width = (8.0 + kCharWidth * static_cast<double>(longest)) * char_height / (x1 - x0);
  space.height = (2.0 * static_cast<double>(entries) + 1.0) * char_height / (y1 - y0);
  space.below = space.width > kMaxRightLegend;
  return space;
}

void DrawLegend(const std::vector<PlotSeries>& series, Kind kind, const LegendSpace& space) {
  std::vector<PLINT> options, text_colors, colors, styles, symbol_numbers, box_colors, box_patterns;
  std::vector<PLFLT> widths, symbol_scales, box_scales, box_widths;
  std::vector<std::string> texts;
  for (size_t i = 0; i < series.size(); ++i) {
    const PlotSeries& s = series[i];
    if (s.name.empty()) continue;
    const bool marked = Marked(s, kind);
    options.push_back((kind == Kind::kLine ? PL_LEGEND_LINE : 0) | (marked ? PL_LEGEND_SYMBOL : 0));
    texts.push_back(PlainText(s.name));
    text_colors.push_back(kInk);
    colors.push_back(SeriesColor(s, i));
    styles.push_back(1);
    widths.push_back(s.thin ? kThinWidth : kLineWidth);
    symbol_scales.push_back(kind == Kind::kScatter ? 0.5 : 0.7);
    symbol_numbers.push_back(kind == Kind::kScatter ? 1 : 2);
    box_colors.push_back(0);
    box_patterns.push_back(0);
    box_scales.push_back(1);
    box_widths.push_back(1);
  }
  if (texts.empty()) return;
  std::vector<const char*> text_pointers, symbols;
  for (const std::string& text : texts) {
    text_pointers.push_back(text.c_str());
    symbols.push_back(kMarker);
  }
  PLFLT vx0 = 0, vx1 = 0, vy0 = 0, vy1 = 0;  // the chart, page fractions
  plgvpd(&vx0, &vx1, &vy0, &vy1);
  PLFLT default_height = 0, char_height = 0;  // mm
  plgchr(&default_height, &char_height);
  PLFLT px0 = 0, px1 = 0, py0 = 0, py1 = 0;  // the page, mm
  plgspa(&px0, &px1, &py0, &py1);
  const double char_x = char_height / (px1 - px0) / (vx1 - vx0);  // one character height, chart fractions
  const double char_y = char_height / (py1 - py0) / (vy1 - vy0);
  PLINT position = 0;
  PLFLT x = 0, y = 0;
  if (kind == Kind::kScatter) {
    position = PL_POSITION_LEFT | PL_POSITION_TOP | PL_POSITION_INSIDE;
    x = char_x;
    y = char_y;
  } else if (space.below) {
    // Under the x axis's tick labels and label (pllab puts it 3.2 characters down).
    position = PL_POSITION_BOTTOM | PL_POSITION_OUTSIDE;  // centred
    y = 4.8 * char_y;
  } else {
    // Centred beside the chart: RIGHT | TOP outside would put it diagonally
    // above the chart's corner, where any legend of more than two entries
    // runs off the top of the page.
    position = PL_POSITION_RIGHT | PL_POSITION_OUTSIDE;
    x = char_x;
  }
  const PLINT count = static_cast<PLINT>(texts.size());
  PLFLT legend_width = 0, legend_height = 0;
  plwidth(1.0);
  pllegend(&legend_width, &legend_height, PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX, position, x, y,
           3.0 * char_x /* line sample length */, kBackground, kInk, 1 /* solid box */, count, 1, count,
           options.data(), 1.0 /* text offset, characters */, 1.0 /* text scale */,
           2.0 /* row pitch, characters */, 0.0 /* left-aligned */, text_colors.data(), text_pointers.data(),
           box_colors.data(), box_patterns.data(), box_scales.data(), box_widths.data(), colors.data(),
           styles.data(), widths.data(), colors.data(), symbol_scales.data(), symbol_numbers.data(),
           symbols.data());
}

void DrawChart(const std::vector<PlotSeries>& series, const PlotOptions& options, Kind kind, bool identity_line) {
  SetColorMap();
  plschr(0, 0.9);
  const LegendSpace legend = PlanLegend(series, kind);
  plvsta();  // the standard chart area: room for tick labels, axis labels and title
  PLFLT vx0 = 0, vx1 = 0, vy0 = 0, vy1 = 0;
  plgvpd(&vx0, &vx1, &vy0, &vy1);
  if (legend.below)
    vy0 = std::min(vy0 + legend.height, vy1 - 0.2);
  else
    vx1 = std::max(vx1 - legend.width, vx0 + 0.3);
  plvpor(vx0, vx1, vy0, vy1);
  const Limits limits = ChartLimits(series, options, identity_line);
  plwind(limits.x.lo, limits.x.hi, limits.y.lo, limits.y.hi);

  const bool x_categories = !options.x.categories.empty(), y_categories = !options.y.categories.empty();
  const PLFLT x_tick = x_categories ? 1.0 : 0.0, y_tick = y_categories ? 1.0 : 0.0;  // 0: PLplot picks
  plslabelfunc(&CategoryLabel, const_cast<PlotOptions*>(&options));
  plcol0(kGrid);
  plwidth(1.0);
  plbox("g", x_tick, 0, "g", y_tick, 0);
  if (identity_line) {
    plcol0(kIdentity);
    pllsty(2);  // dashed
    plwidth(1.5);
    pljoin(limits.x.lo, limits.x.lo, limits.x.hi, limits.x.hi);
    pllsty(1);
  }
  // Thin (raw) lines first, so smoothed ones are drawn over them.
  for (const bool thin : {true, false})
    for (size_t i = 0; i < series.size(); ++i)
      if (series[i].thin == thin) DrawSeries(series[i], SeriesColor(series[i], i), kind);

  plcol0(kInk);
  plwidth(1.0);
  plbox(x_categories ? "bcnot" : "bcnst", x_tick, x_categories ? 1 : 0, y_categories ? "bcnotv" : "bcnstv", y_tick,
        y_categories ? 1 : 0);
  pllab(PlainText(options.x.label).c_str(), PlainText(options.y.label).c_str(), PlainText(options.title).c_str());
  DrawLegend(series, kind, legend);
  plslabelfunc(nullptr, nullptr);
}

// "DIR/NAME" from "DIR/NAME", "DIR/NAME.png" or "DIR/NAME.svg".
std::string Stem(const std::string& path) {
  const fs::path p(path);
  return p.extension() == ".png" || p.extension() == ".svg" ? fs::path(p).replace_extension().string() : path;
}

void WriteChart(const std::string& path, const std::vector<PlotSeries>& series, const PlotOptions& options, Kind kind,
                bool identity_line) {
  const std::string stem = Stem(path);
  CheckInputs(stem, series, options);
  const fs::path folder = fs::path(stem).parent_path();
  JSQA_CHECK(folder.empty() || fs::is_directory(folder), stem, ".png: cannot write: no folder ", folder.string());
  const auto draw = [&] { DrawChart(series, options, kind, identity_line); };
  std::string png, svg;
  try {
    png = RenderPlplotPage("pngcairo", options.width, options.height, draw);
    svg = RenderPlplotPage("svg", options.width, options.height, draw);
  } catch (const Error& error) {
    throw Error(stem + ".png: " + error.what());
  }
  WriteFileAtomically(stem + ".png", png);
  WriteFileAtomically(stem + ".svg", svg);
}

}  // namespace

void WriteLinePlot(const std::string& path, const std::vector<PlotSeries>& series, const PlotOptions& options) {
  WriteChart(path, series, options, Kind::kLine, false);
}

void WriteScatterPlot(const std::string& path, const std::vector<PlotSeries>& series, const PlotOptions& options,
                      bool identity_line) {
  WriteChart(path, series, options, Kind::kScatter, identity_line);
}

}  // namespace jsqa
