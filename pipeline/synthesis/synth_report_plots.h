// The histograms of a synthesis folder's report: realised SNR of A and B,
// Δ per noise environment, output gains of A and B, and P(same) per
// environment when an SVM judged the pairs. Each is drawn as
// DIR/report-<name>.png and .svg (pipeline/reports/histogram.h).
#pragma once

#include <string>
#include <vector>

#include "pipeline/reports/histogram.h"
#include "pipeline/synthesis/synth_folder_figures.h"

namespace jsqa {

struct SynthReportPlot {
  std::string name;   // "snr": files report-snr.png and report-snr.svg
  std::string title;  // chart title, and the image's text in report.md
  std::string x_label;
  double bin_width = 1;  // in x_label's unit
  std::vector<HistogramGroup> groups;
};

// The report's plots for figures, in report order.
std::vector<SynthReportPlot> SynthReportPlots(const SynthFolderFigures& figures);
// "report-snr.png"
std::string SynthReportPlotFile(const SynthReportPlot& plot);
// Writes folder/report-<name>.png and .svg; throws jsqa::Error naming the file.
void WriteSynthReportPlot(const std::string& folder, const SynthReportPlot& plot);

}  // namespace jsqa
