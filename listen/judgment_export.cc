#include "listen/judgment_export.h"

#include <sstream>

#include "listen/listener_answers.h"
#include "listen/listening_condition.h"
#include "listen/listening_store.h"
#include "pipeline/base/config_keys.h"
#include "pipeline/base/csv.h"

namespace jsqa {

JudgmentExport ExportJudgments(const std::string& db_path) {
  const ListeningStore store(db_path);
  const ListenConfig config = StoredListenConfig(store);
  const ScreeningRule rule = config.Screening();
  const bool same_different = config.task == ListenTask::kSameDifferent;
  const bool down = config.direction == DegradeDirection::kDown;
  constexpr double kRate = 16000.0;  // trial offsets are samples at the stimuli's rate
  JudgmentExport exported;
  exported.stimulus_seconds = config.stimulus_seconds;
  std::ostringstream csv;
  csv << "clean_path,clean_offset_s,noise_path,noise_offset_s,snr_db,delta_db,label,dimension,chain,chain_b,delta,"
         "chain_seed,chain_key,environment,listener,trial\n";
  for (const StoredListener& listener : store.Listeners()) {
    ++exported.listeners;
    const std::vector<StoredTrial> trials = store.Trials(listener.id);
    const ScreeningResult screening = Screen(CountScreening(trials), rule);
    if (!screening.included()) {
      exported.excluded.push_back("listener " + std::to_string(listener.id) + ": " + screening.reason);
      continue;
    }
    ++exported.included;
    for (const StoredTrial& trial : trials) {
      if (!trial.choice || trial.kind != TrialKind::kListening) continue;
      const int label = same_different ? (*trial.choice == 0 ? 1 : 0) : (trial.correct ? 0 : 1);
      const bool snr = trial.dimension == "snr";
      const double snr_db = snr && down ? trial.base - trial.delta : trial.base;
      // B's chain: the condition with the dimension's step moved by Δ.
      const std::vector<ChainStep> steps_b = MovedSteps(
          ParseListeningCondition(trial.chain, trial.dimension, trial.base, "listen"), trial.delta, !down);
      const std::string chain_b = steps_b.empty() ? "noise" : "noise>" + ChainText(steps_b);
      const std::vector<std::string> fields = {
          trial.clean_path,
          FormatDouble(trial.clean_offset / kRate),
          trial.noise_path,
          FormatDouble(trial.noise_offset / kRate),
          FormatDouble(snr_db),
          FormatDouble(snr ? trial.delta : 0.0),
          std::to_string(label),
          trial.dimension,
          trial.chain,
          chain_b,
          FormatDouble(trial.delta),
          std::to_string(config.seed),
          std::to_string(trial.stimulus_key),
          trial.staircase,
          std::to_string(listener.id),
          std::to_string(trial.id)};
      csv << FormatCsvRow(fields);
      ++exported.rows;
    }
  }
  exported.csv = csv.str();
  return exported;
}

}  // namespace jsqa
