// CSV as RFC 4180 writes it, read leniently enough for the files people
// actually ship (NISQA's tables, spreadsheet exports):
//   - fields may be quoted; quoted fields hold commas, line breaks and
//     doubled quotes ("" for one ");
//   - lines end in LF, CRLF or a lone CR;
//   - a UTF-8 byte order mark at the start is dropped;
//   - empty lines are skipped;
//   - a quote inside an unquoted field is kept as a literal character.
// An unterminated quoted field, or text after a closing quote, throws
// jsqa::Error naming "source:LINE".
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace jsqa {

struct CsvRow {
  int line = 0;  // 1-based line on which the row starts (a row may span lines)
  std::vector<std::string> fields;
};

// source names the text in error messages (usually its path).
std::vector<CsvRow> ParseCsv(std::string_view text, const std::string& source);

// Reads and parses a whole file; an unreadable file throws naming its path.
std::vector<CsvRow> ReadCsvFile(const std::string& path);

// One row, fields joined by commas and ended by "\n". A field is quoted only
// when it must be: it holds a comma, a quote, CR or LF, or is the only field
// and empty (so that the row does not read back as a blank line).
std::string FormatCsvRow(const std::vector<std::string>& fields);

// Writes rows with FormatCsvRow; a write failure throws naming the path.
void WriteCsvFile(const std::string& path, const std::vector<std::vector<std::string>>& rows);

}  // namespace jsqa
