// What the configured corpora hold, as a digest for the prepare stage's
// cache key: every file's path, size and modification time under each
// configured folder, and each list file's content with its listed files'
// size and time. Adding, removing, replacing or touching a corpus file
// changes it, so prepare reruns by itself (and the stages after it rerun
// only when the manifests they read change). No file is read beyond its
// directory entry: one stat per file.
#pragma once

#include <string>

#include "pipeline/corpus/corpus_config.h"

namespace jsqa {

std::string CorpusListingDigest(const CorpusConfig& corpus);

}  // namespace jsqa
