// One audio file of a corpus, as the layout readers find it.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "pipeline/base/skip_reason.h"

namespace jsqa {

struct CorpusItem {
  std::string id;    // stable and unique within its corpus (e.g. "121-121726-0000")
  std::string path;  // absolute or relative to the working directory
  // Layout-specific facts, in a fixed order per reader (see each reader):
  // e.g. {"subset", "dev-clean"}, {"env", "CAF"}, {"db", "NISQA_TEST_FOR"}.
  std::vector<std::pair<std::string, std::string>> tags;
  double mos = 0.0;  // NISQA only: the file's mean opinion score

  const std::string* Tag(const std::string& name) const {
    for (const auto& [key, value] : tags)
      if (key == name) return &value;
    return nullptr;
  }
};

// Something a reader passed over, with why: reported, never fatal.
struct SkippedEntry {
  std::string where;                     // file path, or "file.csv:LINE"
  SkipReason code = SkipReason::kOther;  // what skipped.tsv and summary.json count it under
  std::string reason;                    // one line, for people; may be reworded
};

struct CorpusListing {
  std::vector<CorpusItem> items;  // sorted by id: the order never depends on the file system
  std::vector<SkippedEntry> skipped;
};

// Sorts items by id, ties by path (so the order never depends on the file
// system), and passes over every item whose id an earlier one has: x.wav
// and x.flac side by side are one id, and the run goes on with the first.
inline void SortByIdSkippingDuplicates(CorpusListing& listing) {
  auto& items = listing.items;
  std::sort(items.begin(), items.end(),
            [](const CorpusItem& a, const CorpusItem& b) { return a.id != b.id ? a.id < b.id : a.path < b.path; });
  size_t kept = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    if (kept > 0 && items[i].id == items[kept - 1].id) {
      listing.skipped.push_back(
          {items[i].path, SkipReason::kDuplicateId, "same item id '" + items[i].id + "' as " + items[kept - 1].path});
      continue;
    }
    if (kept != i) items[kept] = std::move(items[i]);
    ++kept;
  }
  items.resize(kept);
}

}  // namespace jsqa
