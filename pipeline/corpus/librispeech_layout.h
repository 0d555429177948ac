// Reader for the LibriSpeech layout (openslr 12; see FORMATS.md):
//   ROOT/<subset>/<reader>/<chapter>/<reader>-<chapter>-<utt>.flac
//   ROOT/<subset>/<reader>/<chapter>/<reader>-<chapter>.trans.txt
//   ROOT/SPEAKERS.TXT
#pragma once

#include <string>
#include <vector>

#include "pipeline/corpus/corpus_item.h"

namespace jsqa {

// Lists the utterances of the given subsets. Item id is the utterance id
// ("121-121726-0000"); tags, in order: subset, reader, chapter, sex (from
// SPEAKERS.TXT, "" if absent), transcript (from trans.txt, "" if absent).
// Skipped (not fatal): audio files whose name does not match their folders,
// utterances missing from trans.txt, non-FLAC files, an utterance already
// listed from another subset. A subset named twice throws UsageError; a
// missing root or subset folder throws jsqa::Error naming the path.
CorpusListing ListLibriSpeech(const std::string& root, const std::vector<std::string>& subsets);

}  // namespace jsqa
