// One audio file of a corpus, as the layout readers find it.
#pragma once

#include <string>
#include <vector>

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

}  // namespace jsqa
