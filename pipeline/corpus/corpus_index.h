// From corpus listings to item manifests: every listed file's header is
// read (or the file fully decoded), in parallel, keeping the listing's order.
#pragma once

#include <string>
#include <vector>

#include "pipeline/corpus/corpus_config.h"
#include "pipeline/corpus/file_signal.h"
#include "pipeline/corpus/item_manifest.h"

namespace jsqa {

struct IndexArgs {
  bool decode = false;       // decode fully: catches truncation and NaN/Inf
  double min_seconds = 0.0;  // shorter files are skipped
  int threads = 1;
};

struct CorpusIndex {
  std::vector<ManifestItem> items;  // in listing order (sorted by id)
  std::vector<FileSignal> signals;  // with IndexArgs::decode: one per item, measured on the decoded file; else empty
  std::vector<SkippedEntry> skipped;
  double seconds = 0.0;
};

// The three kinds of corpus a run uses, each from every configured source.
enum class CorpusKind { kSpeech, kNoise, kNisqa };
const char* CorpusKindName(CorpusKind kind);  // "speech" | "noise" | "nisqa"

// Lists the configured sources of kind (none configured: empty listing) and
// indexes them. An item whose id an earlier source already has is skipped
// (duplicate_id), naming both paths.
CorpusIndex IndexCorpus(CorpusKind kind, const CorpusConfig& corpus, const IndexArgs& args);
bool HasSources(CorpusKind kind, const CorpusConfig& corpus);

}  // namespace jsqa
