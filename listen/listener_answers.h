// What a listener's stored trials say, shared by the server, the export and
// the report: screening counts, and each staircase's (Δ, correct) answers.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "listen/listen_config.h"
#include "listen/listening_store.h"
#include "listen/psychometric_fit.h"
#include "listen/screening.h"

namespace jsqa {

// Answered headphone and catch trials, and how many were right.
ScreeningCounts CountScreening(const std::vector<StoredTrial>& trials);

// Answered listening trials (not catch, not headphones) per staircase
// (noise environment), in the order they were answered.
std::map<std::string, std::vector<PsychometricTrial>> StaircaseAnswers(const std::vector<StoredTrial>& trials);

// The [listen] section a database was made with (ListeningStore::ConfigText).
// Throws jsqa::Error naming the database when it does not parse.
ListenConfig StoredListenConfig(const ListeningStore& store);

// The guess rate of the task: 1/2 (2-AFC), 1/3 (3-AFC), 0 (same/different,
// where "correct" on a trial that differs means "said different").
double GuessRate(ListenTask task);

}  // namespace jsqa
