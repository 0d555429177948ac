#include "pipeline/base/csv.h"

#include <fstream>
#include <sstream>

#include "pipeline/base/error.h"

namespace jsqa {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// A single pass over the text; line_ counts every line break seen, including
// those inside quoted fields, so that rows after a multi-line field still
// report the line an editor shows.
class CsvParser {
 public:
  CsvParser(std::string_view text, const std::string& source) : text_(text), source_(source) {
    if (text_.substr(0, kUtf8Bom.size()) == kUtf8Bom) text_.remove_prefix(kUtf8Bom.size());
  }

  std::vector<CsvRow> Parse() {
    std::vector<CsvRow> rows;
    while (!AtEnd()) {
      if (AtLineBreak()) {  // an empty line
        SkipLineBreak();
        continue;
      }
      rows.push_back(ParseRow());
    }
    return rows;
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  bool AtLineBreak() const { return !AtEnd() && (text_[pos_] == '\n' || text_[pos_] == '\r'); }

  // Consumes LF, CRLF or a lone CR.
  void SkipLineBreak() {
    if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ++pos_;
    ++pos_;
    ++line_;
  }

  CsvRow ParseRow() {
    CsvRow row;
    row.line = line_;
    while (true) {
      row.fields.push_back(!AtEnd() && text_[pos_] == '"' ? ParseQuoted(row.line) : ParseUnquoted());
      if (AtEnd()) break;
      if (text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      SkipLineBreak();
      break;
    }
    return row;
  }

  std::string ParseUnquoted() {
    const size_t start = pos_;
    while (!AtEnd() && text_[pos_] != ',' && !AtLineBreak()) ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }

  std::string ParseQuoted(int row_line) {
    std::string field;
    ++pos_;  // the opening quote
    while (true) {
      JSQA_CHECK(!AtEnd(), source_, ":", row_line, ": quoted field is never closed");
      const char c = text_[pos_];
      if (c == '"') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
          field += '"';
          pos_ += 2;
          continue;
        }
        ++pos_;  // the closing quote
        break;
      }
      // Line breaks inside quotes belong to the field, verbatim.
      if (c == '\n' || (c == '\r' && !(pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n'))) ++line_;
      field += c;
      ++pos_;
    }
    JSQA_CHECK(AtEnd() || text_[pos_] == ',' || AtLineBreak(), source_, ":", line_,
               ": unexpected text after a closing quote");
    return field;
  }

  std::string_view text_;
  const std::string& source_;
  size_t pos_ = 0;
  int line_ = 1;
};

bool NeedsQuotes(const std::string& field) {
  return field.find_first_of(",\"\r\n") != std::string::npos;
}

std::string Quote(const std::string& field) {
  std::string quoted = "\"";
  for (const char c : field) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

}  // namespace

std::vector<CsvRow> ParseCsv(std::string_view text, const std::string& source) {
  return CsvParser(text, source).Parse();
}

std::vector<CsvRow> ReadCsvFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  JSQA_CHECK(in, "cannot read CSV file ", path);
  std::ostringstream text;
  text << in.rdbuf();
  JSQA_CHECK(!in.bad(), "error reading CSV file ", path);
  return ParseCsv(text.str(), path);
}

std::string FormatCsvRow(const std::vector<std::string>& fields) {
  if (fields.size() == 1 && fields[0].empty()) return "\"\"\n";
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line += ',';
    line += NeedsQuotes(fields[i]) ? Quote(fields[i]) : fields[i];
  }
  return line + '\n';
}

void WriteCsvFile(const std::string& path, const std::vector<std::vector<std::string>>& rows) {
  std::ofstream out(path, std::ios::binary);
  JSQA_CHECK(out, "cannot create CSV file ", path);
  for (const auto& row : rows) out << FormatCsvRow(row);
  out.close();
  JSQA_CHECK(out, "error writing CSV file ", path);
}

}  // namespace jsqa
