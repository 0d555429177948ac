// Whole-file text I/O shared by manifests, sidecars and JSON summaries.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace jsqa {

// Writes text to path + ".tmp", then renames it over path: readers see the
// old file or the new one, never half of it. Throws jsqa::Error naming the
// file (e.g. a full disk).
void WriteFileAtomically(const std::string& path, const std::string& text);

// The whole file; throws jsqa::Error naming the file when it cannot be read.
std::string ReadTextFile(const std::string& path);

// Parses a JSON file; throws jsqa::Error naming the file when it is missing
// or malformed.
nlohmann::json ReadJsonFile(const std::string& path);

// The tab-separated fields of one line of the tool's TSV files (manifests,
// skipped.tsv, stages.tsv); a trailing tab ends in an empty field.
std::vector<std::string> SplitTabs(const std::string& line);

// value with exactly `decimals` decimals ("%.*f": "-3.01", "-inf"): the
// fixed-width figures of reports and tables, the same bytes everywhere.
std::string FormatFixed(double value, int decimals);

}  // namespace jsqa
