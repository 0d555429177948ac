#include "pipeline/corpus/librispeech_layout.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <memory>

#include "pipeline/base/error.h"
#include "tools/demo_corpus/demo_corpus.h"
#include "tests/test_support.h"

namespace jsqa {
namespace {
namespace fs = std::filesystem;

std::string TagOf(const CorpusItem& item, const std::string& name) {
  const std::string* value = item.Tag(name);
  return value ? *value : "<absent>";
}

std::vector<std::string> TagNames(const CorpusItem& item) {
  std::vector<std::string> names;
  for (const auto& tag : item.tags) names.push_back(tag.first);
  return names;
}

// The demo corpus is built once for the suite: the readers only list it.
class LibriSpeechDemoTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<testing::TempDir>();
    BuildDemoCorpus(*dir_ / "corpus");
  }
  static void TearDownTestSuite() { dir_.reset(); }
  static std::string Root() { return *dir_ / "corpus/LibriSpeech"; }

  static std::unique_ptr<testing::TempDir> dir_;
};
std::unique_ptr<testing::TempDir> LibriSpeechDemoTest::dir_;

TEST_F(LibriSpeechDemoTest, ListsBothSubsetsSortedWithTags) {
  const CorpusListing listing = ListLibriSpeech(Root(), {"train-clean-5", "dev-clean-2"});
  EXPECT_TRUE(listing.skipped.empty());
  ASSERT_EQ(listing.items.size(), 22u);
  EXPECT_TRUE(std::is_sorted(listing.items.begin(), listing.items.end(),
                             [](const CorpusItem& a, const CorpusItem& b) { return a.id < b.id; }));

  const CorpusItem& first = listing.items.front();
  EXPECT_EQ(first.id, "1001-100-0000");
  EXPECT_EQ(TagNames(first), (std::vector<std::string>{"subset", "reader", "chapter", "sex", "transcript"}));
  EXPECT_EQ(TagOf(first, "subset"), "train-clean-5");
  EXPECT_EQ(TagOf(first, "reader"), "1001");
  EXPECT_EQ(TagOf(first, "chapter"), "100");
  EXPECT_EQ(TagOf(first, "sex"), "M");
  EXPECT_EQ(TagOf(first, "transcript"),
            "AND MISTER JOHN DASHWOOD HAD THEN LEISURE TO CONSIDER HOW MUCH THERE MIGHT BE PRUDENTLY "
            "IN HIS POWER TO DO FOR THEM");
  EXPECT_EQ(fs::path(first.path).filename(), "1001-100-0000.flac");
  for (const CorpusItem& item : listing.items) EXPECT_TRUE(fs::is_regular_file(item.path)) << item.path;

  const auto alsa = std::find_if(listing.items.begin(), listing.items.end(),
                                 [](const CorpusItem& item) { return item.id == "1003-300-0000"; });
  ASSERT_NE(alsa, listing.items.end());
  EXPECT_EQ(TagOf(*alsa, "sex"), "F");
  EXPECT_EQ(TagOf(*alsa, "transcript"), "FRONT CENTER");
}

TEST_F(LibriSpeechDemoTest, ListsOnlyTheRequestedSubset) {
  const CorpusListing listing = ListLibriSpeech(Root(), {"dev-clean-2"});
  ASSERT_EQ(listing.items.size(), 6u);
  for (const CorpusItem& item : listing.items) EXPECT_EQ(TagOf(item, "subset"), "dev-clean-2");
  EXPECT_EQ(listing.items.front().id, "1002-200-0000");
  EXPECT_EQ(TagOf(listing.items.front(), "transcript"), "TEN OF CLUBS");
  EXPECT_EQ(TagOf(listing.items.back(), "transcript"), "TWO NINE THREE FOUR ZERO");
}

TEST_F(LibriSpeechDemoTest, SubsetListedTwiceIsAnError) {
  EXPECT_THROW(ListLibriSpeech(Root(), {"dev-clean-2", "dev-clean-2"}), Error);
}

// A LibriSpeech tree by hand; the reader never decodes, so the audio files
// only need their names.
class LibriSpeechLayoutTest : public ::testing::Test {
 protected:
  void Touch(const std::string& relative) {
    fs::create_directories((dir_.path() / relative).parent_path());
    testing::WriteBytes(dir_ / relative, "not audio");
  }
  void Write(const std::string& relative, const std::string& text) {
    fs::create_directories((dir_.path() / relative).parent_path());
    testing::WriteBytes(dir_ / relative, text);
  }
  std::string Root() const { return dir_.path().string(); }

  testing::TempDir dir_;
};

TEST_F(LibriSpeechLayoutTest, ParsesSpeakersWithCommentsPaddingAndBarsInNames) {
  Write("SPEAKERS.TXT",
        "; comment | with | bars\r\n"
        ";ID    |SEX| SUBSET           |MINUTES| NAME\r\n"
        "60     | M | train-clean-100  | 20.18 | |CBW|Simon\r\n"
        "121    | F | dev-clean        |  8.20 | Someone\r\n");
  for (const char* file : {"dev-clean/60/7/60-7-0000.flac", "dev-clean/121/9/121-9-0000.flac",
                           "dev-clean/99/1/99-1-0000.flac"})
    Touch(file);
  Write("dev-clean/60/7/60-7.trans.txt", "60-7-0000 HELLO   THERE\r\n");
  Write("dev-clean/121/9/121-9.trans.txt", "121-9-0000 A\n");
  Write("dev-clean/99/1/99-1.trans.txt", "99-1-0000\n");

  const CorpusListing listing = ListLibriSpeech(Root(), {"dev-clean"});
  ASSERT_EQ(listing.items.size(), 3u);
  EXPECT_EQ(listing.items[0].id, "121-9-0000");
  EXPECT_EQ(TagOf(listing.items[0], "sex"), "F");
  EXPECT_EQ(listing.items[1].id, "60-7-0000");
  EXPECT_EQ(TagOf(listing.items[1], "sex"), "M");
  EXPECT_EQ(TagOf(listing.items[1], "transcript"), "HELLO   THERE");
  EXPECT_EQ(listing.items[2].id, "99-1-0000");
  EXPECT_EQ(TagOf(listing.items[2], "sex"), "");  // not in SPEAKERS.TXT
  EXPECT_EQ(TagOf(listing.items[2], "transcript"), "");
}

TEST_F(LibriSpeechLayoutTest, SkipsMisnamedUntranscribedAndNonFlacFiles) {
  for (const char* file : {"train/5/6/5-6-0000.flac", "train/5/6/5-6-0001.flac", "train/5/6/5-6-0002.wav",
                           "train/5/6/7-6-0003.flac", "train/5/6/5-6-00x4.flac", "train/5/6/5-6.flac",
                           "train/5/notes.txt"})
    Touch(file);
  Write("train/5/6/5-6.trans.txt", "5-6-0000 KEPT\n5-6-0003 NAMED WRONG\n");

  const CorpusListing listing = ListLibriSpeech(Root(), {"train"});
  ASSERT_EQ(listing.items.size(), 1u);
  EXPECT_EQ(listing.items[0].id, "5-6-0000");
  EXPECT_EQ(TagOf(listing.items[0], "transcript"), "KEPT");

  ASSERT_EQ(listing.skipped.size(), 6u);
  EXPECT_TRUE(std::is_sorted(listing.skipped.begin(), listing.skipped.end(),
                             [](const SkippedEntry& a, const SkippedEntry& b) { return a.where < b.where; }));
  const auto reason_for = [&](const std::string& name) -> std::string {
    for (const SkippedEntry& entry : listing.skipped)
      if (fs::path(entry.where).filename() == name) return entry.reason;
    return "<not skipped>";
  };
  EXPECT_NE(reason_for("5-6-0001.flac").find("missing from"), std::string::npos);
  EXPECT_NE(reason_for("5-6-0002.wav").find("not a FLAC"), std::string::npos);
  EXPECT_NE(reason_for("7-6-0003.flac").find("does not match"), std::string::npos);
  EXPECT_NE(reason_for("5-6-00x4.flac").find("does not match"), std::string::npos);
  EXPECT_NE(reason_for("5-6.flac").find("does not match"), std::string::npos);
  EXPECT_NE(reason_for("notes.txt").find("not a chapter folder"), std::string::npos);
}

TEST_F(LibriSpeechLayoutTest, ChapterWithoutTransTxtKeepsItsUtterances) {
  Touch("train/5/6/5-6-0000.flac");
  const CorpusListing listing = ListLibriSpeech(Root(), {"train"});
  ASSERT_EQ(listing.items.size(), 1u);
  EXPECT_EQ(TagOf(listing.items[0], "transcript"), "");
  EXPECT_TRUE(listing.skipped.empty());
}

TEST_F(LibriSpeechLayoutTest, MissingSubsetIsAnErrorNamingIt) {
  fs::create_directories(dir_.path() / "train");
  try {
    ListLibriSpeech(Root(), {"train", "dev-clean"});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find((dir_.path() / "dev-clean").string()), std::string::npos)
        << e.what();
  }
}

TEST_F(LibriSpeechLayoutTest, MissingRootIsAnErrorNamingIt) {
  const std::string root = dir_ / "nowhere";
  try {
    ListLibriSpeech(root, {"train"});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(root), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace jsqa
