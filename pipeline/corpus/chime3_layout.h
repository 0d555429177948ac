// Reader for CHiME-3 background noise recordings (see FORMATS.md):
//   DIR/BGD_<YYMMDD>_<NNN>_<ENV>.CH<c>.wav   ENV in CAF|PED|STR|BUS, c in 1..6
#pragma once

#include <string>
#include <vector>

#include "pipeline/corpus/corpus_item.h"

namespace jsqa {

struct Chime3Selection {
  std::vector<std::string> environments = {"CAF", "PED", "STR", "BUS"};
  std::vector<int> channels = {1};
  // "all", or one split of the public recipes: "train" | "dev" | "eval".
  std::string split = "all";
};

// The recording of a file name "BGD_150203_010_CAF.CH1.wav" is "150203_010_CAF".
// Returns the split ("train", "dev", "eval") of a recording, "" if unknown.
std::string Chime3SplitOf(const std::string& recording);

// The environment of a noise file: ENV of a CHiME-3 background
// "BGD_<date>_<nnn>_<ENV>.CH<c>.wav", else the file's stem.
std::string NoiseEnvironmentOfFile(const std::string& path);

// Item id is the file stem ("BGD_150203_010_CAF.CH1"); tags, in order: env,
// recording, channel, split. Files not matching the pattern are skipped with
// a reason; a missing directory throws jsqa::Error naming it.
CorpusListing ListChime3Backgrounds(const std::string& dir, const Chime3Selection& selection);

}  // namespace jsqa
