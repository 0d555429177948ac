#include "pipeline/corpus/chime3_layout.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "pipeline/base/error.h"
#include "tools/demo_corpus/demo_corpus.h"
#include "tests/test_support.h"

namespace jsqa {
namespace {
namespace fs = std::filesystem;

// The 17 recordings of CHiME-3's backgrounds (FORMATS.md).
const std::vector<std::string> kRecordings = {
    "150203_010_CAF", "150204_020_CAF", "150204_030_CAF", "150205_040_CAF", "150203_010_PED",
    "150203_020_PED", "150205_030_PED", "150211_040_PED", "150203_010_STR", "150211_020_STR",
    "150211_030_STR", "150212_040_STR", "150212_050_STR", "150204_010_BUS", "150204_020_BUS",
    "150204_030_BUS", "150204_040_BUS"};

std::string TagOf(const CorpusItem& item, const std::string& name) {
  const std::string* value = item.Tag(name);
  return value ? *value : "<absent>";
}

std::vector<std::string> Ids(const CorpusListing& listing) {
  std::vector<std::string> ids;
  for (const CorpusItem& item : listing.items) ids.push_back(item.id);
  return ids;
}

TEST(Chime3SplitTest, FollowsThePublicRecipeSplit) {
  std::map<std::string, int> counts;
  for (const std::string& recording : kRecordings) ++counts[Chime3SplitOf(recording)];
  EXPECT_EQ(counts["train"], 9);
  EXPECT_EQ(counts["dev"], 4);
  EXPECT_EQ(counts["eval"], 4);
  EXPECT_EQ(Chime3SplitOf("150212_040_STR"), "dev");
  EXPECT_EQ(Chime3SplitOf("150205_040_CAF"), "eval");
  EXPECT_EQ(Chime3SplitOf("150203_010_CAF"), "train");
  EXPECT_EQ(Chime3SplitOf("150101_001_CAF"), "");
  EXPECT_EQ(Chime3SplitOf("BGD_150203_010_CAF"), "");
}

// All 102 files of the real release (empty: the reader never decodes them),
// plus names that must be passed over.
class Chime3LayoutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const std::string& recording : kRecordings)
      for (int channel = 1; channel <= 6; ++channel)
        testing::WriteBytes(dir_ / ("BGD_" + recording + ".CH" + std::to_string(channel) + ".wav"), "");
    for (const char* junk : {"BGD_150203_010_CAF.CH0.wav", "BGD_150203_010_CAF.CH7.wav",
                             "BGD_150203_010_XYZ.CH1.wav", "BGD_150203_010_CAF.CH1.flac",
                             "bgd_150203_010_CAF.CH1.wav", "BGD_15020X_010_CAF.CH1.wav",
                             "BGD_150203_010_CAF.CH12.wav", "README.txt"})
      testing::WriteBytes(dir_ / junk, "");
    fs::create_directory(dir_.path() / "BGD_150203_010_PED.CH2.wav.d");
  }
  std::string Dir() const { return dir_.path().string(); }

  testing::TempDir dir_;
};

TEST_F(Chime3LayoutTest, DefaultSelectionIsChannelOneOfEveryRecording) {
  const CorpusListing listing = ListChime3Backgrounds(Dir(), {});
  ASSERT_EQ(listing.items.size(), 17u);
  EXPECT_EQ(listing.skipped.size(), 9u);
  const std::vector<std::string> ids = Ids(listing);
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  EXPECT_EQ(ids.front(), "BGD_150203_010_CAF.CH1");

  const CorpusItem& first = listing.items.front();
  std::vector<std::string> names;
  for (const auto& tag : first.tags) names.push_back(tag.first);
  EXPECT_EQ(names, (std::vector<std::string>{"env", "recording", "channel", "split"}));
  EXPECT_EQ(TagOf(first, "env"), "CAF");
  EXPECT_EQ(TagOf(first, "recording"), "150203_010_CAF");
  EXPECT_EQ(TagOf(first, "channel"), "1");
  EXPECT_EQ(TagOf(first, "split"), "train");
  EXPECT_EQ(first.path, (dir_.path() / "BGD_150203_010_CAF.CH1.wav").string());
  for (const SkippedEntry& entry : listing.skipped)
    EXPECT_NE(entry.reason.find("not a background file"), std::string::npos) << entry.where;
}

TEST_F(Chime3LayoutTest, SelectsBySplit) {
  for (const auto& [split, count] : std::map<std::string, size_t>{{"train", 9}, {"dev", 4}, {"eval", 4}}) {
    Chime3Selection selection;
    selection.split = split;
    const CorpusListing listing = ListChime3Backgrounds(Dir(), selection);
    EXPECT_EQ(listing.items.size(), count) << split;
    for (const CorpusItem& item : listing.items) EXPECT_EQ(TagOf(item, "split"), split);
  }
}

TEST_F(Chime3LayoutTest, SelectsByEnvironmentChannelAndSplitTogether) {
  Chime3Selection selection;
  selection.environments = {"CAF"};
  selection.channels = {2, 5};
  selection.split = "eval";
  EXPECT_EQ(Ids(ListChime3Backgrounds(Dir(), selection)),
            (std::vector<std::string>{"BGD_150205_040_CAF.CH2", "BGD_150205_040_CAF.CH5"}));

  selection = {};
  selection.environments = {"BUS", "STR"};
  selection.channels = {1, 2, 3, 4, 5, 6};
  const CorpusListing listing = ListChime3Backgrounds(Dir(), selection);
  EXPECT_EQ(listing.items.size(), 9u * 6u);
  std::set<std::string> envs;
  for (const CorpusItem& item : listing.items) envs.insert(TagOf(item, "env"));
  EXPECT_EQ(envs, (std::set<std::string>{"BUS", "STR"}));
}

TEST_F(Chime3LayoutTest, UnknownRecordingHasNoSplitAndOnlyShowsUnderAll) {
  testing::WriteBytes(dir_ / "BGD_160101_001_PED.CH1.wav", "");
  Chime3Selection selection;
  selection.environments = {"PED"};
  const CorpusListing all = ListChime3Backgrounds(Dir(), selection);
  ASSERT_EQ(all.items.size(), 5u);
  EXPECT_EQ(all.items.back().id, "BGD_160101_001_PED.CH1");
  EXPECT_EQ(TagOf(all.items.back(), "split"), "");
  selection.split = "train";
  EXPECT_EQ(ListChime3Backgrounds(Dir(), selection).items.size(), 2u);
}

TEST_F(Chime3LayoutTest, RejectsBadSelections) {
  Chime3Selection selection;
  selection.split = "test";
  EXPECT_THROW(ListChime3Backgrounds(Dir(), selection), Error);
  selection = {};
  selection.environments = {"CAF", "KITCHEN"};
  EXPECT_THROW(ListChime3Backgrounds(Dir(), selection), Error);
  for (const int channel : {0, 7}) {
    selection = {};
    selection.channels = {channel};
    EXPECT_THROW(ListChime3Backgrounds(Dir(), selection), Error) << channel;
  }
  selection = {};
  selection.channels = {};
  EXPECT_THROW(ListChime3Backgrounds(Dir(), selection), Error);
}

TEST(Chime3MissingTest, MissingFolderIsAnErrorNamingIt) {
  testing::TempDir dir;
  const std::string missing = dir / "backgrounds";
  try {
    ListChime3Backgrounds(missing, {});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(missing), std::string::npos) << e.what();
  }
}

TEST(Chime3DemoTest, DemoCorpusCoversEverySplitAndEnvironment) {
  testing::TempDir dir;
  BuildDemoCorpus(dir / "corpus");
  const std::string backgrounds = dir / "corpus/CHiME3/data/audio/16kHz/backgrounds";
  const CorpusListing listing = ListChime3Backgrounds(backgrounds, {});
  EXPECT_TRUE(listing.skipped.empty());
  ASSERT_GE(listing.items.size(), 3u);
  std::set<std::string> envs;
  for (const CorpusItem& item : listing.items) envs.insert(TagOf(item, "env"));
  EXPECT_GE(envs.size(), 2u);
  for (const char* split : {"train", "dev", "eval"}) {
    Chime3Selection selection;
    selection.split = split;
    EXPECT_GE(ListChime3Backgrounds(backgrounds, selection).items.size(), 1u) << split;
  }
}

}  // namespace
}  // namespace jsqa
