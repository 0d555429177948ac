#include "pipeline/base/csv.h"

#include <gtest/gtest.h>

#include "pipeline/base/error.h"
#include "tests/test_support.h"

namespace jsqa {
namespace {

using Fields = std::vector<std::string>;

TEST(CsvTest, ParsesPlainRowsWithLineNumbers) {
  const auto rows = ParseCsv("a,b,c\n1,2,3\n", "t.csv");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields, (Fields{"a", "b", "c"}));
  EXPECT_EQ(rows[1].fields, (Fields{"1", "2", "3"}));
  EXPECT_EQ(rows[0].line, 1);
  EXPECT_EQ(rows[1].line, 2);
}

TEST(CsvTest, QuotedFieldsHoldCommasQuotesAndLineBreaks) {
  const auto rows = ParseCsv("x,\"a, b\",\"say \"\"hi\"\"\"\n\"two\nlines\",y\nlast,row\n", "t.csv");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].fields, (Fields{"x", "a, b", "say \"hi\""}));
  EXPECT_EQ(rows[1].fields, (Fields{"two\nlines", "y"}));
  EXPECT_EQ(rows[1].line, 2);
  EXPECT_EQ(rows[2].line, 4);  // the quoted line break counts
}

TEST(CsvTest, EmptyFieldsAreKept) {
  const auto rows = ParseCsv(",a,,\n\"\"\n", "t.csv");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields, (Fields{"", "a", "", ""}));
  EXPECT_EQ(rows[1].fields, (Fields{""}));
}

TEST(CsvTest, CrlfBomBlankLinesAndMissingFinalNewline) {
  const auto rows = ParseCsv("\xEF\xBB\xBFh1,h2\r\n\r\n\n1,\"x\r\ny\"\r\n\r\n2,z", "t.csv");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].fields, (Fields{"h1", "h2"}));
  EXPECT_EQ(rows[1].fields, (Fields{"1", "x\r\ny"}));
  EXPECT_EQ(rows[1].line, 4);
  EXPECT_EQ(rows[2].fields, (Fields{"2", "z"}));
  EXPECT_EQ(rows[2].line, 7);
}

TEST(CsvTest, LoneCarriageReturnEndsALine) {
  const auto rows = ParseCsv("a\rb\r", "t.csv");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].fields, (Fields{"b"}));
  EXPECT_EQ(rows[1].line, 2);
}

TEST(CsvTest, QuoteInsideUnquotedFieldIsLiteral) {
  const auto rows = ParseCsv("5\" disk,b\n", "t.csv");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].fields, (Fields{"5\" disk", "b"}));
}

TEST(CsvTest, EmptyTextHasNoRows) {
  EXPECT_TRUE(ParseCsv("", "t.csv").empty());
  EXPECT_TRUE(ParseCsv("\xEF\xBB\xBF\n\r\n", "t.csv").empty());
}

TEST(CsvTest, UnterminatedQuoteNamesSourceAndStartLine) {
  try {
    ParseCsv("h\nok\n\"never\nclosed,\n", "bad.csv");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.csv:3"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("never closed"), std::string::npos) << e.what();
  }
}

TEST(CsvTest, TextAfterClosingQuoteIsAnError) {
  try {
    ParseCsv("h\n\"a\"b,c\n", "bad.csv");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.csv:2"), std::string::npos) << e.what();
  }
}

TEST(CsvTest, FormatQuotesOnlyWhenNeeded) {
  EXPECT_EQ(FormatCsvRow({"a", "b c", ""}), "a,b c,\n");
  EXPECT_EQ(FormatCsvRow({"a,b", "say \"hi\"", "x\ny", "r\r"}),
            "\"a,b\",\"say \"\"hi\"\"\",\"x\ny\",\"r\r\"\n");
  EXPECT_EQ(FormatCsvRow({""}), "\"\"\n");
}

TEST(CsvTest, FileRoundTrip) {
  testing::TempDir dir;
  const std::vector<Fields> rows = {
      {"db", "con_description", "mos"},
      {"NISQA_X", "noise, 10 dB", "3.5"},
      {"", "quote \" and\r\nbreak", ""},
      {""},
      {"ünïcode", "tab\there", " padded "},
  };
  WriteCsvFile(dir / "t.csv", rows);
  const auto read = ReadCsvFile(dir / "t.csv");
  ASSERT_EQ(read.size(), rows.size());
  for (size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(read[i].fields, rows[i]) << "row " << i;
}

TEST(CsvTest, MissingFileNamesPath) {
  testing::TempDir dir;
  try {
    ReadCsvFile(dir / "absent.csv");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("absent.csv"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace jsqa
