// Fuzz target: the CSV parser (pipeline/base/csv.h ParseCsv) and the NISQA
// per-dataset CSV reader (pipeline/corpus/nisqa_layout.h ReadNisqaCsv, ListNisqa)
// on the input as NISQA_corpus/NISQA_FUZZ/NISQA_FUZZ_file.csv.
// Only jsqa::Error may escape (a malformed CSV, a missing column); a bad
// row must be skipped with a reason, never end the read. Invariants:
// rows that parse format (FormatCsvRow) and parse again to the same fields;
// a listing is sorted by id without duplicates, every MOS is in [1, 5],
// every row is either an item or a skipped entry, and no item leaves the
// root unless allowed.
#include <algorithm>
#include <string>
#include <vector>

#include "pipeline/base/error.h"
#include "pipeline/base/csv.h"
#include "pipeline/corpus/nisqa_layout.h"
#include "tests/fuzz/fuzz_support.h"

namespace {
namespace fs = std::filesystem;

void CheckCsvRoundTrip(const std::string& text) {
  std::vector<jsqa::CsvRow> rows;
  try {
    rows = jsqa::ParseCsv(text, "fuzz.csv");
  } catch (const jsqa::Error& error) {
    jsqa::fuzz::Rejected(error);
    return;
  }
  // A first field that itself starts with a byte order mark (after the one
  // ParseCsv drops) cannot survive: ParseCsv drops a leading BOM again.
  if (!rows.empty() && rows[0].fields[0].rfind("\xEF\xBB\xBF", 0) == 0) return;
  std::string formatted;
  for (const jsqa::CsvRow& row : rows) {
    JSQA_FUZZ_EXPECT(!row.fields.empty(), "a row without fields at line " + std::to_string(row.line));
    JSQA_FUZZ_EXPECT(row.line >= 1, "row line " + std::to_string(row.line));
    formatted += jsqa::FormatCsvRow(row.fields);
  }
  std::vector<jsqa::CsvRow> again;
  try {
    again = jsqa::ParseCsv(formatted, "formatted.csv");
  } catch (const jsqa::Error& error) {
    jsqa::fuzz::Fail(__FILE__, __LINE__, std::string("FormatCsvRow output does not parse: ") + error.what());
  }
  JSQA_FUZZ_EXPECT(again.size() == rows.size(), "row count changed on formatting");
  for (size_t i = 0; i < rows.size(); ++i)
    JSQA_FUZZ_EXPECT(again[i].fields == rows[i].fields, "row " + std::to_string(i) + " changed on formatting");
}

void CheckListing(const jsqa::CorpusListing& listing, const fs::path& root, const jsqa::NisqaReadArgs& args,
                  size_t data_rows) {
  JSQA_FUZZ_EXPECT(listing.items.size() + listing.skipped.size() == data_rows, "rows lost");
  for (size_t i = 0; i < listing.items.size(); ++i) {
    const jsqa::CorpusItem& item = listing.items[i];
    if (i > 0) JSQA_FUZZ_EXPECT(listing.items[i - 1].id < item.id, "unsorted or duplicate id " + item.id);
    JSQA_FUZZ_EXPECT(item.mos >= 1.0 && item.mos <= 5.0, "mos " + std::to_string(item.mos));
    JSQA_FUZZ_EXPECT(item.Tag("db") && !item.Tag("db")->empty(), "item without db: " + item.id);
    if (!args.allow_outside_root) {
      const fs::path inside = fs::path(item.path).lexically_normal().lexically_relative(root.lexically_normal());
      JSQA_FUZZ_EXPECT(!inside.empty() && *inside.begin() != "..", "item leaves the root: " + item.path);
    }
  }
  for (const jsqa::SkippedEntry& skipped : listing.skipped)
    JSQA_FUZZ_EXPECT(!skipped.reason.empty(), "skipped without a reason: " + skipped.where);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  CheckCsvRoundTrip(text);

  const fs::path root = jsqa::fuzz::ScratchDir() / "NISQA_corpus";
  const fs::path db = root / "NISQA_FUZZ";
  jsqa::fuzz::ResetDir(db / "deg");
  jsqa::fuzz::WriteFile(db / "deg" / "c00001_fuzz.wav", "RIFF");
  const fs::path csv = db / "NISQA_FUZZ_file.csv";
  jsqa::fuzz::WriteFile(csv, text);

  size_t data_rows = 0;
  try {
    data_rows = jsqa::ParseCsv(text, csv.string()).size();
  } catch (const jsqa::Error& error) {
    jsqa::fuzz::Rejected(error);
  }
  for (const bool outside : {false, true}) {
    for (const bool files : {false, true}) {
      jsqa::NisqaReadArgs args;
      args.allow_outside_root = outside;
      args.require_files = files;
      try {
        CheckListing(jsqa::ReadNisqaCsv(csv.string(), root.string(), args), root, args,
                     data_rows > 0 ? data_rows - 1 : 0);
      } catch (const jsqa::Error& error) {
        jsqa::fuzz::Rejected(error);
      }
      try {
        jsqa::ListNisqa(root.string(), {"FUZZ"}, args);
      } catch (const jsqa::Error& error) {
        jsqa::fuzz::Rejected(error);
      }
    }
  }
  return 0;
}
