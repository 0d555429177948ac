#include "stages/prepare_stage.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "tools/demo_corpus/demo_corpus.h"
#include "pipeline/run/graph_runner.h"
#include "pipeline/corpus/item_manifest.h"
#include "pipeline/base/text_files.h"
#include "stages/builtin_stages.h"
#include "tests/test_support.h"

namespace jsqa {
namespace {
namespace fs = std::filesystem;

class PrepareStageTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    corpus_ = new testing::TempDir();
    BuildDemoCorpus((corpus_->path() / "corpus").string());
  }
  static void TearDownTestSuite() { delete corpus_; }

  std::string Root(const std::string& relative) { return (corpus_->path() / "corpus" / relative).string(); }

  RunReport RunPrepare(const std::vector<std::string>& extra) {
    Config config;
    AddConfigSections(config);
    std::vector<std::string> overrides = {
        "graph.prepare=",
        "corpus.librispeech_root=" + Root("LibriSpeech"),
        "corpus.librispeech_subsets=train-clean-5,dev-clean-2",
        "corpus.chime3_backgrounds=" + Root("CHiME3/data/audio/16kHz/backgrounds"),
        "corpus.nisqa_root=" + Root("NISQA_Corpus"),
        "prepare.check=decode",
    };
    overrides.insert(overrides.end(), extra.begin(), extra.end());
    config.Load("", overrides);
    StageRegistry registry;
    RegisterBuiltinStages(registry);
    const StageGraph graph(config.GraphEntries(), registry);
    return RunGraph(config, graph, registry, {run_dir_.path().string(), {}, false});
  }

  static testing::TempDir* corpus_;
  testing::TempDir run_dir_;
};

testing::TempDir* PrepareStageTest::corpus_ = nullptr;

TEST_F(PrepareStageTest, IndexesEveryCorpusOfTheDemo) {
  const RunReport report = RunPrepare({});
  ASSERT_TRUE(report.ok()) << report.stages[0].error;
  const std::string folder = report.stages[0].folder;
  const auto speech = ReadItemManifest(folder + "/speech.tsv");
  const auto noise = ReadItemManifest(folder + "/noise.tsv");
  const auto nisqa = ReadItemManifest(folder + "/nisqa.tsv");
  EXPECT_GE(speech.size(), 10u);
  EXPECT_GE(noise.size(), 2u);
  EXPECT_GE(nisqa.size(), 10u);
  bool has_48k = false;
  for (const ManifestItem& item : speech) {
    EXPECT_TRUE(fs::path(item.item.path).is_absolute());
    EXPECT_GT(item.DurationSeconds(), 0.1);
    has_48k = has_48k || item.sample_rate == 48000;
    ASSERT_NE(item.item.Tag("subset"), nullptr);
  }
  EXPECT_TRUE(has_48k) << "the demo keeps 48 kHz speech so resampling is exercised";
  for (const ManifestItem& item : nisqa) {
    EXPECT_GE(item.item.mos, 1.0);
    EXPECT_LE(item.item.mos, 5.0);
  }
  EXPECT_TRUE(fs::exists(folder + "/skipped.tsv"));
  EXPECT_NE(testing::ReadBytes(folder + "/summary.json").find("\"speech\""), std::string::npos);
}

TEST_F(PrepareStageTest, DamagedFilesAreSkippedWithTheirReasonAndTheRunGoesOn) {
  // A copy of the speech corpus with one truncated FLAC and one empty FLAC.
  const fs::path damaged = run_dir_.path() / "damaged";
  fs::create_directories(damaged);
  fs::copy(Root("LibriSpeech"), damaged / "LibriSpeech", fs::copy_options::recursive);
  std::vector<fs::path> flacs;
  for (const auto& entry : fs::recursive_directory_iterator(damaged))
    if (entry.path().extension() == ".flac") flacs.push_back(entry.path());
  std::sort(flacs.begin(), flacs.end());
  ASSERT_GE(flacs.size(), 3u);
  const std::string bytes = testing::ReadBytes(flacs[0].string());
  testing::WriteBytes(flacs[0].string(), bytes.substr(0, bytes.size() / 2));
  testing::WriteBytes(flacs[1].string(), "");

  const RunReport report = RunPrepare({"corpus.librispeech_root=" + (damaged / "LibriSpeech").string()});
  ASSERT_TRUE(report.ok());
  const std::string folder = report.stages[0].folder;
  const std::string skipped = testing::ReadBytes(folder + "/skipped.tsv");
  EXPECT_NE(skipped.find(flacs[0].filename().string()), std::string::npos) << skipped;
  EXPECT_NE(skipped.find(flacs[1].filename().string()), std::string::npos) << skipped;
  EXPECT_EQ(ReadItemManifest(folder + "/speech.tsv").size(), flacs.size() - 2);
  // summary.json counts them by reason code (prepare.check = decode): the
  // half FLAC decodes short, the empty one cannot be opened.
  const nlohmann::json summary = ReadJsonFile(folder + "/summary.json");
  const std::map<std::string, int64_t> expected = {{"truncated", 1}, {"unreadable", 1}};
  EXPECT_EQ(summary.at("speech").at("skipped_by_reason").get<decltype(expected)>(), expected) << summary.dump();
  EXPECT_EQ(summary.at("speech").at("skipped").get<int64_t>(), 2);
  // The totals over all kinds are skipped.tsv's code column, counted.
  std::map<std::string, int64_t> listed;
  std::istringstream rows(skipped);
  std::string row;
  std::getline(rows, row);  // header: where, code, reason
  while (std::getline(rows, row)) {
    const size_t code = row.find('\t') + 1;
    ++listed[row.substr(code, row.find('\t', code) - code)];
  }
  EXPECT_EQ(summary.at("skipped_by_reason").get<decltype(listed)>(), listed) << summary.dump();
  EXPECT_EQ(summary.at("skipped_total").get<int64_t>(), 2) << skipped;
}

TEST_F(PrepareStageTest, ManifestIsIdenticalForAnyThreadCount) {
  const RunReport one = RunPrepare({"prepare.threads=1", "prepare.min_seconds=0.2"});
  const std::string first = testing::ReadBytes(one.stages[0].folder + "/speech.tsv");
  fs::remove_all(run_dir_.path());
  const RunReport two = RunPrepare({"prepare.threads=2", "prepare.min_seconds=0.2"});
  // Thread counts are not part of the key: the same folder is produced, with the same bytes.
  EXPECT_EQ(one.stages[0].key, two.stages[0].key);
  EXPECT_EQ(testing::ReadBytes(two.stages[0].folder + "/speech.tsv"), first);
}

TEST_F(PrepareStageTest, NoCorpusConfiguredIsAUsageError) {
  const RunReport report = RunPrepare({"corpus.librispeech_root=", "corpus.chime3_backgrounds=", "corpus.nisqa_root="});
  EXPECT_FALSE(report.ok());
  EXPECT_NE(report.stages[0].error.find("no corpus configured"), std::string::npos);
}

}  // namespace
}  // namespace jsqa
