// Item manifests: the TSV files the prepare stage writes and later stages
// read: one audio file per line with its header facts.
//
//   id  path  sample_rate  frames  channels  mos  <tag columns...>
//
// Tag columns are the readers' tags (e.g. subset, reader, chapter, env),
// every name any item has; an item without one leaves its field empty (and
// reads back without that tag).
// Fields never contain tabs or newlines (a path that does is skipped by
// prepare with a reason).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pipeline/corpus/corpus_item.h"

namespace jsqa {

struct ManifestItem {
  CorpusItem item;
  int sample_rate = 0;
  int64_t frames = 0;
  int channels = 0;

  double DurationSeconds() const { return sample_rate > 0 ? double(frames) / sample_rate : 0.0; }
};

// Writes atomically (temporary file, then rename).
void WriteItemManifest(const std::string& path, const std::vector<ManifestItem>& items);
// Throws jsqa::Error naming path:line for a malformed line.
std::vector<ManifestItem> ReadItemManifest(const std::string& path);

// Writes skipped entries as TSV: where, code (SkipReasonCode), reason.
void WriteSkippedList(const std::string& path, const std::vector<SkippedEntry>& skipped);
// The text WriteSkippedList writes (header line first).
std::string SkippedListText(const std::vector<SkippedEntry>& skipped);

}  // namespace jsqa
