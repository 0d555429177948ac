#include "pipeline/corpus/nisqa_layout.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <optional>
#include <set>
#include <system_error>

#include "pipeline/base/error.h"
#include "pipeline/base/csv.h"

namespace jsqa {
namespace fs = std::filesystem;
namespace {

// NISQA's MOS scale: absolute category rating, 1 (bad) to 5 (excellent).
constexpr double kMinMos = 1.0;
constexpr double kMaxMos = 5.0;

std::string Trim(const std::string& text) {
  const size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  const size_t end = text.find_last_not_of(" \t");
  return text.substr(begin, end - begin + 1);
}

size_t FindColumn(const std::vector<std::string>& header, const std::string& name,
                  const std::string& csv_path) {
  const auto found = std::find_if(header.begin(), header.end(),
                                  [&](const std::string& column) { return Trim(column) == name; });
  JSQA_CHECK(found != header.end(), csv_path, ": missing column '", name, "'");
  return static_cast<size_t>(found - header.begin());
}

// from_chars, unlike strtod, ignores the locale: "3.5" parses everywhere.
std::optional<double> ParseNumber(const std::string& text) {
  double value = 0.0;
  const char* end = text.data() + text.size();
  const auto [ptr, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc() || ptr != end || !std::isfinite(value)) return std::nullopt;
  return value;
}

// A relative path that stays inside the root once "a/../b" is folded.
bool StaysInside(const fs::path& relative) {
  if (relative.is_absolute() || relative.has_root_name()) return false;
  const fs::path normal = relative.lexically_normal();
  return normal.empty() || *normal.begin() != "..";
}

struct Columns {
  size_t db, filepath_deg, mos;
};

// The item of one data row, or the code and reason it is skipped.
std::optional<CorpusItem> ReadRow(const CsvRow& row, const Columns& columns, const fs::path& root,
                                  const NisqaReadArgs& args, SkipReason& code, std::string& reason) {
  const size_t needed = std::max({columns.db, columns.filepath_deg, columns.mos}) + 1;
  if (row.fields.size() < needed) {
    code = SkipReason::kBadRow;
    reason = "row has " + std::to_string(row.fields.size()) + " fields, need at least " +
             std::to_string(needed);
    return std::nullopt;
  }
  const std::string db = Trim(row.fields[columns.db]);
  const std::string relative = Trim(row.fields[columns.filepath_deg]);
  const std::string mos_text = Trim(row.fields[columns.mos]);
  if (db.empty()) {
    code = SkipReason::kBadRow;
    reason = "empty db";
    return std::nullopt;
  }
  const std::optional<double> mos = ParseNumber(mos_text);
  if (!mos) {
    code = SkipReason::kBadMos;
    reason = "mos '" + mos_text + "' is not a number";
    return std::nullopt;
  }
  if (*mos < kMinMos || *mos > kMaxMos) {
    code = SkipReason::kBadMos;
    reason = "mos " + mos_text + " is outside [1, 5]";
    return std::nullopt;
  }
  if (relative.empty()) {
    code = SkipReason::kBadRow;
    reason = "empty filepath_deg";
    return std::nullopt;
  }
  const fs::path file(relative);
  if (!args.allow_outside_root && !StaysInside(file)) {
    code = SkipReason::kOutsideRoot;
    reason = "filepath_deg '" + relative + "' leaves the corpus root";
    return std::nullopt;
  }
  const fs::path path = file.is_absolute() ? file : root / file;
  // The error_code form: a name the file system rejects (a component over
  // NAME_MAX) is a missing file of this row, not an exception ending the read.
  std::error_code error;
  if (args.require_files && !fs::is_regular_file(path, error)) {
    code = SkipReason::kMissingFile;
    reason = "file not found: " + path.string() + (error ? " (" + error.message() + ")" : "");
    return std::nullopt;
  }
  CorpusItem item;
  item.id = db + "/" + file.stem().string();
  item.path = path.string();
  item.tags = {{"db", db}};
  item.mos = *mos;
  return item;
}

void SortById(CorpusListing& listing) {
  std::sort(listing.items.begin(), listing.items.end(),
            [](const CorpusItem& a, const CorpusItem& b) { return a.id < b.id; });
}

std::string DbFolderName(const std::string& db) {
  return db.rfind("NISQA_", 0) == 0 ? db : "NISQA_" + db;
}

}  // namespace

CorpusListing ReadNisqaCsv(const std::string& csv_path, const std::string& root,
                           const NisqaReadArgs& args) {
  const std::vector<CsvRow> rows = ReadCsvFile(csv_path);
  JSQA_CHECK(!rows.empty(), csv_path, ": no header row");
  const std::vector<std::string>& header = rows.front().fields;
  const Columns columns{FindColumn(header, "db", csv_path), FindColumn(header, "filepath_deg", csv_path),
                        FindColumn(header, "mos", csv_path)};

  CorpusListing listing;
  std::set<std::string> ids;
  for (size_t i = 1; i < rows.size(); ++i) {
    const std::string where = csv_path + ":" + std::to_string(rows[i].line);
    SkipReason code = SkipReason::kOther;
    std::string reason;
    std::optional<CorpusItem> item = ReadRow(rows[i], columns, root, args, code, reason);
    if (item && !ids.insert(item->id).second) {
      code = SkipReason::kDuplicateId;
      reason = "duplicate file " + item->id;
      item.reset();
    }
    if (item)
      listing.items.push_back(std::move(*item));
    else
      listing.skipped.push_back({where, code, reason});
  }
  SortById(listing);
  return listing;
}

CorpusListing ListNisqa(const std::string& root, const std::vector<std::string>& dbs,
                        const NisqaReadArgs& args) {
  JSQA_CHECK(fs::is_directory(root), "NISQA corpus folder not found: ", root);
  CorpusListing listing;
  for (const std::string& db : dbs) {
    const std::string folder = DbFolderName(db);
    const fs::path csv_path = fs::path(root) / folder / (folder + "_file.csv");
    JSQA_CHECK(fs::is_regular_file(csv_path), "NISQA csv not found: ", csv_path.string());
    CorpusListing part = ReadNisqaCsv(csv_path.string(), root, args);
    for (CorpusItem& item : part.items) listing.items.push_back(std::move(item));
    for (SkippedEntry& entry : part.skipped) listing.skipped.push_back(std::move(entry));
  }
  SortById(listing);
  for (size_t i = 1; i < listing.items.size(); ++i)
    JSQA_CHECK(listing.items[i].id != listing.items[i - 1].id, "NISQA file ", listing.items[i].id,
               " is listed twice: ", listing.items[i - 1].path, " and ", listing.items[i].path);
  return listing;
}

}  // namespace jsqa
