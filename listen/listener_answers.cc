#include "listen/listener_answers.h"

#include <sstream>

#include "pipeline/base/error.h"

namespace jsqa {

ScreeningCounts CountScreening(const std::vector<StoredTrial>& trials) {
  ScreeningCounts counts;
  for (const StoredTrial& trial : trials) {
    if (!trial.choice) continue;
    if (trial.kind == TrialKind::kHeadphones) {
      ++counts.headphone_answered;
      if (trial.correct) ++counts.headphone_correct;
    } else if (trial.kind == TrialKind::kCatch) {
      ++counts.catch_answered;
      if (trial.correct) ++counts.catch_correct;
    }
  }
  return counts;
}

std::map<std::string, std::vector<PsychometricTrial>> StaircaseAnswers(const std::vector<StoredTrial>& trials) {
  std::map<std::string, std::vector<PsychometricTrial>> answers;
  for (const StoredTrial& trial : trials)
    if (trial.choice && trial.kind == TrialKind::kListening)
      answers[trial.staircase].push_back({trial.delta, trial.correct});
  return answers;
}

ScreenedListeners ScreenListeners(const ListeningStore& store, const ScreeningRule& rule) {
  ScreenedListeners screened;
  for (const StoredListener& listener : store.Listeners()) {
    ++screened.listeners;
    std::vector<StoredTrial> trials = store.Trials(listener.id);
    const ScreeningResult screening = Screen(CountScreening(trials), rule);
    if (screening.included())
      screened.included.push_back({listener, std::move(trials)});
    else
      screened.excluded.push_back("listener " + std::to_string(listener.id) + ": " + screening.reason);
  }
  return screened;
}

int HeardSame(const StoredTrial& trial, ListenTask task) {
  if (task == ListenTask::kSameDifferent) return *trial.choice == 0 ? 1 : 0;
  return trial.correct ? 0 : 1;
}

HeardPair HeardPairOf(const StoredTrial& trial, const ListeningCondition& condition, const ListenConfig& config) {
  const bool upwards = config.direction == DegradeDirection::kUp;
  HeardPair heard;
  heard.delta_db = condition.moves_snr() ? trial.delta : 0.0;
  heard.snr_db = upwards ? trial.base : trial.base - heard.delta_db;
  heard.steps_a = condition.steps;
  heard.steps_b = MovedSteps(condition, trial.delta, upwards);
  heard.chain_seed = config.seed;
  heard.chain_key = trial.stimulus_key;
  if (!condition.moves_snr()) heard.dimension_delta = trial.delta;
  return heard;
}

ListenConfig StoredListenConfig(const ListeningStore& store) {
  // The stored text is the section's INI ("key = value" lines); each line
  // becomes a "listen.key=value" override of the defaults.
  std::vector<std::string> overrides;
  std::istringstream lines(store.ConfigText());
  for (std::string line; std::getline(lines, line);) {
    const size_t equals = line.find('=');
    if (line.empty() || line[0] == '[' || line[0] == '#' || equals == std::string::npos) continue;
    auto trim = [](std::string text) {
      const size_t first = text.find_first_not_of(" \t");
      const size_t last = text.find_last_not_of(" \t");
      return first == std::string::npos ? std::string() : text.substr(first, last - first + 1);
    };
    overrides.push_back("listen." + trim(line.substr(0, equals)) + "=" + trim(line.substr(equals + 1)));
  }
  Config config;
  ListenConfig& section = config.AddSection<ListenConfig>("listen");
  try {
    config.Load("", overrides);
  } catch (const Error& e) {
    throw Error(store.path() + ": its recorded [listen] config does not load: " + e.what());
  }
  return section;
}

double GuessRate(ListenTask task) {
  switch (task) {
    case ListenTask::kTwoAfc: return 0.5;
    case ListenTask::kThreeAfc: return 1.0 / 3.0;
    case ListenTask::kSameDifferent: return 0.0;
  }
  return 0.0;
}

}  // namespace jsqa
