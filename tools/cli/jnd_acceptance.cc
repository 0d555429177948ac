#include "tools/cli/jnd_acceptance.h"

#include <tbb/parallel_for.h>

#include <cmath>
#include <map>
#include <mutex>

#include "augment/jnd_features.h"
#include "augment/jnd_pair.h"
#include "augment/jnd_prior.h"
#include "pipeline/base/error.h"
#include "pipeline/corpus/chime3_layout.h"
#include "pipeline/base/text_files.h"
#include "tools/cli/report_tables.h"

namespace jsqa {
namespace {

void CheckArgs(const AcceptanceArgs& args) {
  if (!(args.delta_step_db > 0.0) || !std::isfinite(args.delta_step_db))
    throw UsageError("the acceptance table's Δ step must be > 0 dB, got " + FormatFixed(args.delta_step_db, 2));
  if (!(args.delta_max_db >= 0.0) || !std::isfinite(args.delta_max_db))
    throw UsageError("the acceptance table's largest Δ must be >= 0 dB, got " + FormatFixed(args.delta_max_db, 2));
  if (!(args.threshold >= 0.0 && args.threshold <= 1.0))
    throw UsageError("the acceptance threshold must be in [0, 1], got " + FormatFixed(args.threshold, 3));
  if (args.pairs_per_environment < 0)
    throw UsageError("pairs per environment must be >= 0, got " + std::to_string(args.pairs_per_environment));
}

// Δ = 0, step, 2·step, …, up to delta_max (inclusive, to rounding).
std::vector<double> DeltaGrid(const AcceptanceArgs& args) {
  std::vector<double> deltas;
  const auto steps = static_cast<int>(std::floor(args.delta_max_db / args.delta_step_db + 1e-9));
  for (int k = 0; k <= steps; ++k) deltas.push_back(k * args.delta_step_db);
  return deltas;
}

std::string Percent(int part, int whole) { return whole > 0 ? FormatFixed(100.0 * part / whole, 1) : "-"; }

void PrintOne(std::ostream& out, const AcceptanceTable& table, const std::vector<std::vector<int>>& accepted) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header = {"delta_db"};
  for (const std::string& environment : table.environments) header.push_back(environment);
  rows.push_back(header);
  for (size_t d = 0; d < table.deltas_db.size(); ++d) {
    std::vector<std::string> row = {FormatFixed(table.deltas_db[d], 2)};
    for (size_t e = 0; e < table.environments.size(); ++e)
      row.push_back(Percent(accepted[e][d], table.pairs[e]));
    rows.push_back(row);
  }
  PrintTable(out, rows, "  ");
}

}  // namespace

AcceptanceTable MeasureAcceptance(const JndSvm& svm, const std::vector<JudgmentRow>& rows,
                                  const JudgmentReadArgs& read, const AcceptanceArgs& args) {
  CheckArgs(args);
  AcceptanceTable table;
  table.threshold = args.threshold;
  // Only where the model answers: elsewhere Probability throws. (Features
  // 0 and 1 are snr_db and delta_db; the pair's lower SNR is its row's s.)
  // With kSpare dB to spare either side, as mixing realises the SNRs asked
  // for only to rounding.
  constexpr double kSpare = 0.1;
  const auto answers = [&](int feature, double value) {
    return svm.Answers(feature, value - kSpare) && svm.Answers(feature, value + kSpare);
  };
  for (const double delta : DeltaGrid(args))
    (answers(1, delta) ? table.deltas_db : table.deltas_out_of_range_db).push_back(delta);

  // The first pairs_per_environment rows of each environment, CSV order.
  std::map<std::string, std::vector<const JudgmentRow*>> by_environment;
  for (const JudgmentRow& row : rows) {
    if (!answers(0, row.snr_db)) {
      ++table.rows_out_of_range;
      continue;
    }
    std::vector<const JudgmentRow*>& chosen = by_environment[NoiseEnvironmentOfFile(row.noise_path)];
    if (args.pairs_per_environment == 0 || static_cast<int>(chosen.size()) < args.pairs_per_environment)
      chosen.push_back(&row);
  }
  struct Job {
    size_t environment;
    const JudgmentRow* row;
  };
  std::vector<Job> jobs;
  for (const auto& [environment, chosen] : by_environment) {
    table.environments.push_back(environment);
    for (const JudgmentRow* row : chosen) jobs.push_back({table.environments.size() - 1, row});
  }

  // [job][delta]: 1 when accepted. Each job fills its own row, so the table
  // does not depend on thread timing.
  const size_t deltas = table.deltas_db.size();
  std::vector<std::vector<char>> svm_accepted(jobs.size(), std::vector<char>(deltas, 0));
  JudgmentAudio audio(read);
  std::mutex audio_mutex;  // JudgmentAudio decodes and caches: one caller at a time
  tbb::parallel_for(size_t{0}, jobs.size(), [&](size_t j) {
    JudgmentAudio::Segments segments;
    {
      const std::lock_guard<std::mutex> lock(audio_mutex);
      segments = audio.Get(*jobs[j].row);
    }
    const double snr_db = jobs[j].row->snr_db;
    JndPair pair;
    for (size_t d = 0; d < deltas; ++d) {
      MixJndPair(segments.clean, segments.noise, snr_db, snr_db + table.deltas_db[d], JndMixArgs{}, pair);
      const JndFeatures features = ComputeJndFeatures(pair.a, pair.b, segments.noise, pair.snr_a_db,
                                                      pair.snr_b_db, read.sample_rate, svm.features());
      svm_accepted[j][d] = svm.Probability(features) >= args.threshold;
    }
  });

  const size_t environments = table.environments.size();
  table.pairs.assign(environments, 0);
  table.svm_accepted.assign(environments, std::vector<int>(deltas, 0));
  table.prior_accepted.assign(environments, std::vector<int>(deltas, 0));
  for (size_t j = 0; j < jobs.size(); ++j) {
    const size_t e = jobs[j].environment;
    ++table.pairs[e];
    for (size_t d = 0; d < deltas; ++d) {
      table.svm_accepted[e][d] += svm_accepted[j][d];
      table.prior_accepted[e][d] += JndSameProbability(jobs[j].row->snr_db, table.deltas_db[d]) >= args.threshold;
    }
  }
  return table;
}

void PrintAcceptance(std::ostream& out, const AcceptanceTable& table, const std::string& model_name) {
  std::string pairs;
  for (size_t e = 0; e < table.environments.size(); ++e)
    pairs += (e ? ", " : "") + table.environments[e] + " " + std::to_string(table.pairs[e]);
  out << "acceptance vs delta_db: % of pairs with P(same) >= " << FormatFixed(table.threshold, 2)
      << ", each pair re-mixed at (s, s + delta_db); pairs per environment: " << pairs << "\n";
  if (table.rows_out_of_range > 0)
    out << "  (" << table.rows_out_of_range << " rows left out: their SNR is outside the model's training range)\n";
  out << "JND SVM " << model_name << ":\n";
  PrintOne(out, table, table.svm_accepted);
  if (!table.deltas_out_of_range_db.empty()) {
    std::string deltas;
    for (const double delta : table.deltas_out_of_range_db) deltas += (deltas.empty() ? "" : ", ") + FormatFixed(delta, 2);
    out << "  (not measured, outside the model's training range, where queries are errors: delta_db " << deltas
        << ")\n";
  }
  out << "published-threshold prior (McShefferty, Whitmer & Akeroyd 2015), same pairs:\n";
  PrintOne(out, table, table.prior_accepted);
}

std::optional<double> FirstRiseDb(const AcceptanceTable& table, size_t environment) {
  const std::vector<int>& accepted = table.svm_accepted[environment];
  for (size_t d = 1; d < accepted.size(); ++d)
    if (accepted[d] > accepted[d - 1]) return table.deltas_db[d];
  return std::nullopt;
}

}  // namespace jsqa
