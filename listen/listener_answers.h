// What a listener's stored trials say, shared by the server, the export and
// the report: screening counts, and each staircase's (Δ, correct) answers.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "augment/degradations/heard_pair.h"
#include "listen/listen_config.h"
#include "listen/listening_condition.h"
#include "listen/listening_store.h"
#include "listen/psychometric_fit.h"
#include "listen/screening.h"

namespace jsqa {

// Answered headphone and catch trials, and how many were right.
ScreeningCounts CountScreening(const std::vector<StoredTrial>& trials);

// Answered listening trials (not catch, not headphones) per staircase
// (noise environment), in the order they were answered.
std::map<std::string, std::vector<PsychometricTrial>> StaircaseAnswers(const std::vector<StoredTrial>& trials);

// Every listener of a database, screened: the included ones with their
// trials, the others as "listener N: <reason>".
struct ScreenedListener {
  StoredListener listener;
  std::vector<StoredTrial> trials;
};
struct ScreenedListeners {
  int listeners = 0;
  std::vector<ScreenedListener> included;
  std::vector<std::string> excluded;
};
ScreenedListeners ScreenListeners(const ListeningStore& store, const ScreeningRule& rule);

// 1 when the listener heard an answered trial's signals as the same: a
// wrong n-AFC answer (lucky guesses count as heard), or "Same"; else 0.
int HeardSame(const StoredTrial& trial, ListenTask task);

// A listening trial as a judged pair (HeardPair): the lower SNR first, as
// an exported row has it, B's steps the condition's moved by Δ, the
// stimuli's draws. condition: the test's (every trial shares it).
HeardPair HeardPairOf(const StoredTrial& trial, const ListeningCondition& condition, const ListenConfig& config);

// The [listen] section a database was made with (ListeningStore::ConfigText).
// Throws jsqa::Error naming the database when it does not parse.
ListenConfig StoredListenConfig(const ListeningStore& store);

// The guess rate of the task: 1/2 (2-AFC), 1/3 (3-AFC), 0 (same/different,
// where "correct" on a trial that differs means "said different").
double GuessRate(ListenTask task);

}  // namespace jsqa
