#include "pipeline/synthesis/synth_report_plots.h"

#include <filesystem>
#include <map>

namespace jsqa {
namespace {

// One group per environment (or noise id), in name order, from what
// value picks of each pair.
template <typename Pick>
std::vector<HistogramGroup> ByGroup(const SynthFolderFigures& figures, Pick value) {
  std::map<std::string, std::vector<double>> values;
  for (const PairFigures& pair : figures.pairs) values[pair.group].push_back(value(pair));
  std::vector<HistogramGroup> groups;
  for (auto& [name, list] : values) groups.push_back({name, std::move(list)});
  return groups;
}

// Two groups, the A and the B mixture of every pair.
template <typename PickA, typename PickB>
std::vector<HistogramGroup> AAndB(const SynthFolderFigures& figures, PickA a, PickB b) {
  HistogramGroup side_a{"A", {}}, side_b{"B", {}};
  for (const PairFigures& pair : figures.pairs) {
    side_a.values.push_back(a(pair));
    side_b.values.push_back(b(pair));
  }
  return {side_a, side_b};
}

}  // namespace

std::vector<SynthReportPlot> SynthReportPlots(const SynthFolderFigures& figures) {
  const std::string grouped_by = figures.environments_recorded ? "noise environment" : "noise recording";
  std::vector<SynthReportPlot> plots;
  plots.push_back({"snr", "Realised SNR of the mixtures A and B", "SNR, dB", 1.0,
                   AAndB(figures, [](const PairFigures& p) { return p.snr_a_db; },
                         [](const PairFigures& p) { return p.snr_b_db; })});
  plots.push_back({"delta", "Δ = |SNR A − SNR B| per " + grouped_by, "Δ, dB", 0.25,
                   ByGroup(figures, [](const PairFigures& p) { return p.delta_db; })});
  plots.push_back({"gain", "Output gains of A and B, 20·log10(gain)", "gain, dB", 1.0,
                   AAndB(figures, [](const PairFigures& p) { return p.gain_a_db; },
                         [](const PairFigures& p) { return p.gain_b_db; })});
  // Without an SVM every pair's P(same) is the same placeholder.
  if (!figures.manifest.value("svm_model_sha256", "").empty())
    plots.push_back({"p-same", "SVM's P(same) of the accepted pairs per " + grouped_by, "P(same)", 0.02,
                     ByGroup(figures, [](const PairFigures& p) { return p.p_same; })});
  return plots;
}

std::string SynthReportPlotFile(const SynthReportPlot& plot) { return "report-" + plot.name + ".png"; }

void WriteSynthReportPlot(const std::string& folder, const SynthReportPlot& plot) {
  PlotOptions options;
  options.title = plot.title;
  options.x.label = plot.x_label;
  WriteHistogram((std::filesystem::path(folder) / ("report-" + plot.name)).string(), plot.groups,
                 BinsFor(plot.groups, plot.bin_width), options);
}

}  // namespace jsqa
