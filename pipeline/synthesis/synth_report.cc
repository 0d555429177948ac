#include "pipeline/synthesis/synth_report.h"

#include <boost/program_options.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <vector>

#include "pipeline/base/text_files.h"
#include "pipeline/synthesis/synth_folder_figures.h"
#include "pipeline/synthesis/synth_report_plots.h"

namespace jsqa {
namespace {

std::string Percent(int64_t part, int64_t whole) {
  return whole > 0 ? FormatFixed(100.0 * part / whole, 1) + " %" : "–";
}

// The resolved settings of manifest.json's "config" (the INI text the
// shards' config attribute holds) as "jnd.key" → value, read by the INI
// parser the config itself is read with.
std::map<std::string, std::string> ConfigValues(const std::string& text) {
  namespace po = boost::program_options;
  std::istringstream in(text);
  const po::options_description none;
  std::map<std::string, std::string> values;
  for (const po::option& option : po::parse_config_file(in, none, /*allow_unregistered=*/true).options)
    if (!option.value.empty()) values[option.string_key] = option.value.front();
  return values;
}

// Median, min and max of values, dB to 2 decimals; "–" each when empty.
struct Spread {
  std::string median = "–", min = "–", max = "–";
};
Spread SpreadOf(std::vector<double> values) {
  if (values.empty()) return {};
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  const double median = n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  return {FormatFixed(median, 2), FormatFixed(values.front(), 2), FormatFixed(values.back(), 2)};
}

std::string Header(const SynthFolderFigures& figures) {
  const nlohmann::json& manifest = figures.manifest;
  std::map<std::string, std::string> config = ConfigValues(manifest.value("config", ""));
  const auto setting = [&](const std::string& key) { return config.count(key) ? config.at(key) : "?"; };
  std::ostringstream out;
  out << "# Synthesis report\n\n";
  out << "- pairs: " << manifest.at("pairs").get<int64_t>() << " in " << manifest.at("shard_count").get<int>()
      << " shards, from " << manifest.at("items").get<int64_t>() << " segments\n";
  out << "- seed: " << manifest.at("seed").dump() << "\n";
  out << "- sample rate: " << manifest.at("sample_rate").get<int>() << " Hz; segments of "
      << setting("synth.segment_seconds") << " s (" << manifest.at("segment_samples").get<int64_t>()
      << " samples), stored as " << manifest.value("sample_format", "?") << "\n";
  const std::string level_rule = setting("jnd.level_rule");
  out << "- level rule: " << level_rule;
  if (level_rule == "rms") out << " (both mixtures at " << setting("jnd.target_dbfs") << " dBFS RMS)";
  if (level_rule == "active")
    out << " (both mixtures at an ITU-T P.56 active speech level of " << setting("jnd.target_level") << " dBov)";
  out << "\n- SNR mode: " << setting("jnd.snr_mode") << "\n";
  out << "- base SNR: " << setting("jnd.snr_min_db") << " to " << setting("jnd.snr_max_db") << " dB ("
      << setting("jnd.snr_distribution") << "); Δ: " << setting("jnd.delta_min_db") << " to "
      << setting("jnd.delta_max_db") << " dB (" << setting("jnd.delta_distribution") << ")\n";
  const std::string svm = manifest.value("svm_model_sha256", "");
  if (svm.empty())
    out << "- JND SVM: none (jnd.svm_model empty): every first draw accepted\n";
  else
    out << "- JND SVM: model sha256 `" << svm << "`, a pair accepted when P(same) ≥ " << setting("jnd.svm_threshold")
        << ", at most " << setting("jnd.max_draws") << " draws per segment\n";
  return out.str();
}

std::string EnvironmentTable(const SynthFolderFigures& figures) {
  const SynthCounts& totals = figures.totals;
  std::map<std::string, std::vector<const PairFigures*>> pairs_of;
  for (const PairFigures& pair : figures.pairs) pairs_of[pair.group].push_back(&pair);
  std::set<std::string> rows;
  for (const auto& [environment, unused] : totals.draws_by_environment) rows.insert(environment);
  for (const auto& [group, unused] : pairs_of) rows.insert(group);

  std::ostringstream out;
  out << "\n## Noise environments\n\n"
         "Draws and acceptance (accepted draws / draws) from the manifest's totals; SNR: the realised SNR of "
         "both mixtures (A and B) of the stored pairs; Δ = |SNR A − SNR B|; in dB.\n";
  if (!figures.environments_recorded)
    out << "\nThis folder's manifest.json records no noise environments (made by an older build): rows with "
           "draws are environments, rows with pairs are noise recordings (by id).\n";
  out << "\n| environment | pairs | draws | accepted | acceptance | SNR median | SNR min | SNR max | Δ median "
         "| Δ min | Δ max |\n|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n";
  const auto row = [&](const std::string& name, const std::vector<const PairFigures*>& pairs, bool counted,
                       int64_t draws, int64_t accepted) {
    std::vector<double> snr, delta;
    for (const PairFigures* pair : pairs) {
      snr.insert(snr.end(), {pair->snr_a_db, pair->snr_b_db});
      delta.push_back(pair->delta_db);
    }
    const Spread s = SpreadOf(snr), d = SpreadOf(delta);
    const auto count = [&](int64_t n) { return counted ? std::to_string(n) : std::string("–"); };
    out << "| " << name << " | " << pairs.size() << " | " << count(draws) << " | " << count(accepted) << " | "
        << (counted ? Percent(accepted, draws) : "–") << " | " << s.median << " | " << s.min << " | " << s.max
        << " | " << d.median << " | " << d.min << " | " << d.max << " |\n";
  };
  int64_t all_draws = 0, all_accepted = 0;
  for (const std::string& name : rows) {
    const bool counted = totals.draws_by_environment.count(name) > 0;
    const int64_t draws = CountOf(totals.draws_by_environment, name);
    const int64_t accepted = CountOf(totals.accepted_by_environment, name);
    all_draws += draws;
    all_accepted += accepted;
    row(name, pairs_of.count(name) ? pairs_of.at(name) : std::vector<const PairFigures*>{}, counted, draws,
        accepted);
  }
  std::vector<const PairFigures*> all;
  for (const PairFigures& pair : figures.pairs) all.push_back(&pair);
  row("**all**", all, true, all_draws, all_accepted);
  return out.str();
}

// Pairs, draws and acceptance per JND dimension, and pairs per chain: only
// for folders whose pairs are not all noise-only SNR pairs.
std::string DimensionTable(const SynthFolderFigures& figures) {
  std::map<std::string, int64_t> pairs_by_dimension, pairs_by_chain;
  for (const PairFigures& pair : figures.pairs) {
    ++pairs_by_dimension[pair.dimension];
    ++pairs_by_chain[pair.chain];
  }
  const SynthCounts& totals = figures.totals;
  for (const auto& [dimension, unused] : totals.draws_by_dimension) pairs_by_dimension[dimension] += 0;
  const bool noise_only = pairs_by_dimension.size() <= 1 && pairs_by_chain.size() <= 1 &&
                          (pairs_by_chain.empty() || pairs_by_chain.begin()->first == "noise");
  if (noise_only) return "";
  std::ostringstream out;
  out << "\n## JND dimensions and chains\n\nDraws per dimension and what became of them: accepted (by the SVM, or "
         "unjudged where no SVM judges the dimension), and draws a chain step failed on.\n\n"
         "| dimension | pairs | draws | accepted | acceptance | unjudged | failed |\n|---|--:|--:|--:|--:|--:|--:|\n";
  for (const auto& [dimension, pairs] : pairs_by_dimension) {
    const int64_t draws = CountOf(totals.draws_by_dimension, dimension);
    const int64_t accepted = CountOf(totals.accepted_by_dimension, dimension);
    out << "| " << dimension << " | " << pairs << " | " << draws << " | " << accepted << " | "
        << Percent(accepted, draws) << " | " << CountOf(totals.unjudged_by_dimension, dimension) << " | "
        << CountOf(totals.failed_by_dimension, dimension) << " |\n";
  }
  out << "\n| chain | pairs |\n|---|--:|\n";
  for (const auto& [chain, pairs] : pairs_by_chain) out << "| `" << chain << "` | " << pairs << " |\n";
  return out.str();
}

std::string Plots(const std::vector<SynthReportPlot>& plots) {
  std::ostringstream out;
  out << "\n## Distributions\n\nHistograms (SVG beside each PNG), the group's count in its legend.\n";
  for (const SynthReportPlot& plot : plots)
    out << "\n![" << plot.title << "](" << SynthReportPlotFile(plot) << ")\n";
  return out.str();
}

std::string ReasonList(const std::map<std::string, int64_t>& by_reason) {
  std::string text;
  for (const auto& [code, count] : by_reason) text += (text.empty() ? "" : ", ") + code + " " + std::to_string(count);
  return text.empty() ? "none" : text;
}

std::string Losses(const SynthFolderFigures& figures) {
  int64_t draws = 0, most = 0;
  for (const PairFigures& pair : figures.pairs) {
    draws += pair.draws;
    most = std::max<int64_t>(most, pair.draws);
  }
  const SynthCounts& totals = figures.totals;
  std::ostringstream out;
  out << "\n## Draws and losses\n\n";
  out << "- draws per stored pair: mean "
      << (figures.pairs.empty() ? "–" : FormatFixed(double(draws) / double(figures.pairs.size()), 2)) << ", max " << most
      << "\n";
  out << "- segments attempted: " << totals.segments << "; dropped (every draw rejected): " << totals.dropped << "\n";
  out << "- segments skipped, by reason: " << ReasonList(totals.skipped_by_reason) << "\n";
  out << "- speech files clipped at the source: " << totals.clipped_speech_files << "\n";
  return out.str();
}

std::string Sources(const nlohmann::json& sources) {
  std::ostringstream out;
  out << "\n## Input files\n\nEvery file passed over is listed in " << sources.value("skipped_list", "skipped.tsv")
      << " with its reason.\n\n| files | input | used | skipped | skipped by reason |\n|---|--:|--:|--:|---|\n";
  const auto row = [&](const std::string& name, const nlohmann::json& counts) {
    out << "| " << name << " | " << counts.at("input_files").get<int64_t>() << " | " << counts.at("used").get<int64_t>()
        << " | " << counts.at("skipped").get<int64_t>() << " | "
        << ReasonList(counts.at("skipped_by_reason").get<std::map<std::string, int64_t>>()) << " |\n";
  };
  row("speech", sources.at("speech"));
  row("noise", sources.at("noise"));
  row("**all**", sources);
  return out.str();
}

std::string Markdown(const SynthFolderFigures& figures, const std::vector<SynthReportPlot>& plots) {
  std::string text =
      Header(figures) + EnvironmentTable(figures) + DimensionTable(figures) + Plots(plots) + Losses(figures);
  if (figures.manifest.contains("sources")) text += Sources(figures.manifest.at("sources"));
  return text;
}

}  // namespace

std::string SynthReportMarkdown(const std::string& folder) {
  const SynthFolderFigures figures = ReadSynthFolder(folder);
  return Markdown(figures, SynthReportPlots(figures));
}

void WriteSynthReport(const std::string& folder) {
  const SynthFolderFigures figures = ReadSynthFolder(folder);
  const std::vector<SynthReportPlot> plots = SynthReportPlots(figures);
  for (const SynthReportPlot& plot : plots) WriteSynthReportPlot(folder, plot);
  // Last: a report.md that links its plots only once they exist.
  WriteFileAtomically((std::filesystem::path(folder) / "report.md").string(), Markdown(figures, plots));
}

}  // namespace jsqa
