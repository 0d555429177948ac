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
  const ListeningCondition condition = ParseListeningCondition(config.chain, config.dimension, config.snr_db, "listen");
  constexpr double kRate = 16000.0;  // trial offsets are samples at the stimuli's rate
  JudgmentExport exported;
  exported.stimulus_seconds = config.stimulus_seconds;
  std::ostringstream csv;
  csv << "clean_path,clean_offset_s,noise_path,noise_offset_s,snr_db,delta_db,label,dimension,chain,chain_b,delta,"
         "chain_seed,chain_key,environment,listener,trial\n";
  const ScreenedListeners screened = ScreenListeners(store, config.Screening());
  exported.listeners = screened.listeners;
  exported.included = static_cast<int>(screened.included.size());
  exported.excluded = screened.excluded;
  for (const auto& [listener, trials] : screened.included) {
    for (const StoredTrial& trial : trials) {
      if (!trial.choice || trial.kind != TrialKind::kListening) continue;
      const HeardPair heard = HeardPairOf(trial, condition, config);
      const std::vector<std::string> fields = {
          trial.clean_path,
          FormatDouble(trial.clean_offset / kRate),
          trial.noise_path,
          FormatDouble(trial.noise_offset / kRate),
          FormatDouble(heard.snr_db),
          FormatDouble(heard.delta_db),
          std::to_string(HeardSame(trial, config.task)),
          trial.dimension,
          trial.chain,
          heard.steps_b.empty() ? "noise" : "noise>" + ChainText(heard.steps_b),
          FormatDouble(trial.delta),
          std::to_string(heard.chain_seed),
          std::to_string(heard.chain_key),
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
