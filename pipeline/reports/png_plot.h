// Small PNG charts for training curves and predicted-vs-true MOS, drawn with
// the built-in bitmap font: axes with ticks at 1, 2, 5 x 10^k steps, grid,
// title, axis labels (y rotated) and a legend of the named series: right of
// the plot for line charts, boxed in the top-left corner for scatter plots.
//
// NaN and infinite points are skipped (a line breaks there); empty series and
// all-equal values still give a valid chart (the range is padded). Files are
// written to "<path>.tmp" and renamed, so readers never see half an image;
// failures throw jsqa::Error naming the path.
#pragma once

#include <string>
#include <vector>

#include "pipeline/reports/raster_image.h"

namespace jsqa {

struct PlotSeries {
  std::string name;          // legend entry; an empty name has none
  std::vector<double> x, y;  // same length (throws naming the series otherwise)
};

struct PlotOptions {
  std::string title, x_label, y_label;  // empty strings are not drawn
  int width = 800, height = 500;        // pixels, each side 200..16384
};

// The colour of the i-th series (a 10-colour palette, then it repeats).
Rgb SeriesColor(size_t index);

// Line chart: one coloured line per series, legend with series names.
RgbImage RenderLinePlot(const std::vector<PlotSeries>& series, const PlotOptions& options);
void WriteLinePlot(const std::string& png_path, const std::vector<PlotSeries>& series, const PlotOptions& options);

// Scatter of (x, y) points. With identity_line both axes share one range and
// a grey y = x line is drawn (predicted vs true MOS: on the line is perfect).
RgbImage RenderScatterPlot(const PlotSeries& points, const PlotOptions& options, bool identity_line);
void WriteScatterPlot(const std::string& png_path, const PlotSeries& points, const PlotOptions& options,
                      bool identity_line);

// Encodes image as PNG and writes it atomically to png_path.
void WritePngFile(const std::string& png_path, const RgbImage& image);

}  // namespace jsqa
