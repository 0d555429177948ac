#include "pipeline/corpus/nisqa_layout.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "pipeline/base/error.h"
#include "tools/demo_corpus/demo_corpus.h"
#include "tests/test_support.h"

namespace jsqa {
namespace {
namespace fs = std::filesystem;

const std::vector<std::string> kAllDbs = {"NISQA_TRAIN_SIM", "NISQA_TRAIN_LIVE", "NISQA_VAL_SIM",
                                          "NISQA_VAL_LIVE",  "NISQA_TEST_FOR",   "NISQA_TEST_P501",
                                          "NISQA_TEST_LIVETALK"};

std::vector<std::string> Ids(const CorpusListing& listing) {
  std::vector<std::string> ids;
  for (const CorpusItem& item : listing.items) ids.push_back(item.id);
  return ids;
}

// The reason a row was skipped, found by its "csv:LINE".
std::string ReasonAt(const CorpusListing& listing, const std::string& where) {
  for (const SkippedEntry& entry : listing.skipped)
    if (entry.where == where) return entry.reason;
  return "<not skipped>";
}

TEST(NisqaDemoTest, ListsEveryDatasetOfTheDemoCorpus) {
  testing::TempDir dir;
  BuildDemoCorpus(dir / "corpus");
  const std::string root = dir / "corpus/NISQA_Corpus";

  const CorpusListing listing = ListNisqa(root, kAllDbs);
  EXPECT_TRUE(listing.skipped.empty());
  ASSERT_EQ(listing.items.size(), 329u);  // 16 + 4 train, 6 + 3 validation, 3 × 100 test
  const std::vector<std::string> ids = Ids(listing);
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  for (const CorpusItem& item : listing.items) {
    ASSERT_EQ(item.tags.size(), 1u);
    EXPECT_EQ(item.tags[0].first, "db");
    EXPECT_EQ(item.id.substr(0, item.id.find('/')), item.tags[0].second);
    EXPECT_GE(item.mos, 1.0);
    EXPECT_LE(item.mos, 5.0);
    EXPECT_TRUE(fs::is_regular_file(item.path)) << item.path;
  }

  // Names with or without the prefix; the corpus-wide CSV lists the same files.
  EXPECT_EQ(Ids(ListNisqa(root, {"TEST_FOR"})), Ids(ListNisqa(root, {"NISQA_TEST_FOR"})));
  EXPECT_EQ(ListNisqa(root, {"TEST_FOR"}).items.size(), 100u);
  EXPECT_EQ(Ids(ReadNisqaCsv(root + "/NISQA_corpus_file.csv", root)), ids);
}

// Hand-written CSVs next to a few (empty) degraded files.
class NisqaCsvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_.path() / "NISQA_X" / "deg");
    for (const char* name : {"a.wav", "b.wav", "c.wav", "d.wav"})
      testing::WriteBytes(dir_ / (std::string("NISQA_X/deg/") + name), "");
  }
  std::string Csv(const std::string& text) {
    const std::string path = dir_ / "NISQA_X/NISQA_X_file.csv";
    testing::WriteBytes(path, text);
    return path;
  }
  std::string Root() const { return dir_.path().string(); }

  testing::TempDir dir_;
};

TEST_F(NisqaCsvTest, ColumnsInAnyOrderWithQuotesBomBlankLinesAndCrlf) {
  const std::string csv = Csv(
      "\xEF\xBB\xBF" "mos,con_description,filepath_deg,extra,db\r\n"
      "\r\n"
      "3.25,\"noise, 10 dB\",NISQA_X/deg/b.wav,,NISQA_X\r\n"
      "1,\"two\r\nlines, \"\"quoted\"\"\",NISQA_X/deg/a.wav,x,NISQA_X\r\n"
      "\r\n"
      " 5 ,plain, NISQA_X/deg/c.wav ,y, NISQA_X\r\n");
  const CorpusListing listing = ReadNisqaCsv(csv, Root());
  EXPECT_TRUE(listing.skipped.empty());
  ASSERT_EQ(Ids(listing), (std::vector<std::string>{"NISQA_X/a", "NISQA_X/b", "NISQA_X/c"}));
  EXPECT_DOUBLE_EQ(listing.items[0].mos, 1.0);
  EXPECT_DOUBLE_EQ(listing.items[1].mos, 3.25);
  EXPECT_DOUBLE_EQ(listing.items[2].mos, 5.0);
  EXPECT_EQ(listing.items[1].path, (dir_.path() / "NISQA_X/deg/b.wav").string());
  ASSERT_EQ(listing.items[1].tags.size(), 1u);
  EXPECT_EQ(listing.items[1].tags[0], (std::pair<std::string, std::string>{"db", "NISQA_X"}));
}

TEST_F(NisqaCsvTest, MissingColumnIsAnErrorNamingCsvAndColumn) {
  const std::string csv = Csv("db,filepath_deg,mos_std\nNISQA_X,NISQA_X/deg/a.wav,0.5\n");
  try {
    ReadNisqaCsv(csv, Root());
    FAIL() << "expected an error";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find(csv), std::string::npos) << message;
    EXPECT_NE(message.find("'mos'"), std::string::npos) << message;
  }
  EXPECT_THROW(ReadNisqaCsv(Csv(""), Root()), Error);
}

TEST_F(NisqaCsvTest, BadRowsAreSkippedWithTheirLine) {
  const std::string csv = Csv(
      "db,filepath_deg,mos\n"
      "NISQA_X,NISQA_X/deg/a.wav,good\n"    // 2
      "NISQA_X,NISQA_X/deg/a.wav,0.99\n"    // 3
      "NISQA_X,NISQA_X/deg/a.wav,5.01\n"    // 4
      "NISQA_X,NISQA_X/deg/a.wav,nan\n"     // 5
      "NISQA_X,NISQA_X/deg/a.wav,\n"        // 6
      "NISQA_X,,3\n"                        // 7
      "NISQA_X,NISQA_X/deg/none.wav,3\n"    // 8
      ",NISQA_X/deg/a.wav,3\n"              // 9
      "NISQA_X,NISQA_X/deg/a.wav\n"         // 10
      "NISQA_X,NISQA_X/deg/b.wav,2.5\n"     // 11: kept
      "NISQA_X,NISQA_X/deg/b.wav,2.7\n");   // 12: same file again
  const CorpusListing listing = ReadNisqaCsv(csv, Root());
  ASSERT_EQ(Ids(listing), (std::vector<std::string>{"NISQA_X/b"}));
  EXPECT_EQ(listing.skipped.size(), 10u);
  EXPECT_NE(ReasonAt(listing, csv + ":2").find("not a number"), std::string::npos);
  EXPECT_NE(ReasonAt(listing, csv + ":3").find("outside [1, 5]"), std::string::npos);
  EXPECT_NE(ReasonAt(listing, csv + ":4").find("outside [1, 5]"), std::string::npos);
  EXPECT_NE(ReasonAt(listing, csv + ":5").find("not a number"), std::string::npos);
  EXPECT_NE(ReasonAt(listing, csv + ":6").find("not a number"), std::string::npos);
  EXPECT_NE(ReasonAt(listing, csv + ":7").find("empty filepath_deg"), std::string::npos);
  EXPECT_NE(ReasonAt(listing, csv + ":8").find("file not found"), std::string::npos);
  EXPECT_NE(ReasonAt(listing, csv + ":9").find("empty db"), std::string::npos);
  EXPECT_NE(ReasonAt(listing, csv + ":10").find("fields"), std::string::npos);
  EXPECT_NE(ReasonAt(listing, csv + ":12").find("duplicate"), std::string::npos);
}

TEST_F(NisqaCsvTest, MissingFilesAreKeptWhenNotRequired) {
  const std::string csv = Csv("db,filepath_deg,mos\nNISQA_X,NISQA_X/deg/none.wav,3\n");
  NisqaReadArgs args;
  args.require_files = false;
  EXPECT_EQ(Ids(ReadNisqaCsv(csv, Root(), args)), (std::vector<std::string>{"NISQA_X/none"}));
}

TEST_F(NisqaCsvTest, PathsLeavingTheRootAreRejectedUnlessAllowed) {
  testing::TempDir outside;
  testing::WriteBytes(outside / "e.wav", "");
  const std::string absolute = outside / "e.wav";
  const std::string csv = Csv("db,filepath_deg,mos\n"
                              "NISQA_X," + absolute + ",3\n"
                              "NISQA_X,../" + fs::path(Root()).filename().string() + "/NISQA_X/deg/a.wav,3\n"
                              "NISQA_X,NISQA_X/../NISQA_X/deg/b.wav,3\n");
  const CorpusListing strict = ReadNisqaCsv(csv, Root());
  EXPECT_EQ(Ids(strict), (std::vector<std::string>{"NISQA_X/b"}));  // ".." that stays inside is fine
  EXPECT_NE(ReasonAt(strict, csv + ":2").find("leaves the corpus root"), std::string::npos);
  EXPECT_NE(ReasonAt(strict, csv + ":3").find("leaves the corpus root"), std::string::npos);

  NisqaReadArgs args;
  args.allow_outside_root = true;
  const CorpusListing loose = ReadNisqaCsv(csv, Root(), args);
  EXPECT_EQ(Ids(loose), (std::vector<std::string>{"NISQA_X/a", "NISQA_X/b", "NISQA_X/e"}));
  EXPECT_EQ(loose.items[2].path, absolute);
}

TEST_F(NisqaCsvTest, ListNisqaNamesTheMissingCsv) {
  Csv("db,filepath_deg,mos\nNISQA_X,NISQA_X/deg/a.wav,3\n");
  EXPECT_EQ(ListNisqa(Root(), {"X"}).items.size(), 1u);
  try {
    ListNisqa(Root(), {"X", "NISQA_VAL_LIVE"});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("NISQA_VAL_LIVE/NISQA_VAL_LIVE_file.csv"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(ListNisqa(Root(), {"X", "X"}), Error);  // the same files twice
  EXPECT_THROW(ListNisqa(dir_ / "nowhere", {"X"}), Error);
}

}  // namespace
}  // namespace jsqa
