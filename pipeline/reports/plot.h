// Line and scatter charts drawn with PLplot, each written twice: NAME.png
// (pngcairo: anti-aliased, for a glance) and NAME.svg beside it (PLplot's
// svg device: vector lines and real <text> elements, for papers).
//
// A chart has a title, axis labels, a grid, a legend naming every named
// series, optional error bars, and numeric or categorical axes (categories:
// the values 0, 1, ... drawn as labels, e.g. "false"/"true" or "0–1"/"0–3").
// Text is UTF-8 (Δ, – and the like render).
//
// NaN and infinite points are skipped (a line breaks there); empty series and
// all-equal values still give a valid chart (the range is padded). Both files
// are written under a temporary name and renamed, so readers never see half
// a file; failures throw jsqa::Error naming the path.
#pragma once

#include <string>
#include <vector>

namespace jsqa {

struct PlotSeries {
  std::string name;              // legend entry; an empty name has none
  std::vector<double> x, y;      // same length (throws naming the series otherwise)
  std::vector<double> y_error{}; // empty, or per point the half-width of an error bar (y ± it)
  bool thin = false;             // a thin, light line: raw values under their smoothed line
  int color = -1;                // palette index (10 colours, then repeats); -1: the series' position
  bool markers = true;           // false: a line without point markers whatever its length (step outlines)
};

struct PlotAxis {
  std::string label;                    // empty: not drawn
  std::vector<std::string> categories{};  // non-empty: the values 0..n-1 are drawn as these labels
};

struct PlotOptions {
  std::string title;
  PlotAxis x{}, y{};
  int width = 800, height = 500;  // pixels, each side 200..16384
};

// path: "DIR/NAME", "DIR/NAME.png" or "DIR/NAME.svg"; writes DIR/NAME.png
// and DIR/NAME.svg.

// One line per series (with point markers when it has few points or error
// bars), the legend right of the chart, or below it when the names are long.
void WriteLinePlot(const std::string& path, const std::vector<PlotSeries>& series, const PlotOptions& options);

// Markers at the (x, y) points, the legend boxed in the top-left corner.
// With identity_line both axes share one range and a grey dashed y = x line
// is drawn (predicted vs true MOS: on the line is perfect).
void WriteScatterPlot(const std::string& path, const std::vector<PlotSeries>& series, const PlotOptions& options,
                      bool identity_line);

}  // namespace jsqa
