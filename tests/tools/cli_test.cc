// The jsqa-pipeline executable end to end: exit codes, one-line errors,
// help, caching across invocations.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "tests/test_support.h"

namespace jsqa {
namespace {
namespace fs = std::filesystem;
using testing::JsqaExecutable;
using testing::RunCommand;

class CliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    testing::WriteDemoConfig(dir_->path(), "demo.ini", "[graph]\nprepare =\n");
  }
  static void TearDownTestSuite() { delete dir_; }

  int Jsqa(const std::string& args, std::string* output) {
    return RunCommand(JsqaExecutable() + " " + args, output);
  }
  static testing::TempDir* dir_;
};

testing::TempDir* CliTest::dir_ = nullptr;

TEST_F(CliTest, HelpListsEveryCommand) {
  std::string output;
  EXPECT_EQ(Jsqa("--help", &output), 0);
  for (const char* command : {"run", "synth", "sweep", "inspect", "demo-corpus", "jnd-svm"})
    EXPECT_NE(output.find(std::string("\n  ") + command + " "), std::string::npos) << command;
#ifdef JSQA_WITH_TORCH
  for (const char* command : {"pretrain", "finetune", "evaluate", "predict"})
    EXPECT_NE(output.find(std::string("\n  ") + command + " "), std::string::npos) << command;
#endif
  EXPECT_EQ(Jsqa("run --help", &output), 0);
  EXPECT_NE(output.find("--run-dir"), std::string::npos);
  EXPECT_NE(output.find("--set corpus.librispeech_subsets=train-clean-100"), std::string::npos) << output;
  EXPECT_EQ(Jsqa("frobnicate", &output), 2);
}

TEST_F(CliTest, ConfigErrorsAreOneLineWithExitCodeTwo) {
  std::string output;
  EXPECT_EQ(Jsqa("run " + (*dir_ / "demo.ini") + " --set corpus.chime3_split=test --run-dir " + (*dir_ / "r0"),
                 &output), 2);
  EXPECT_NE(output.find("corpus.chime3_split = 'test': not allowed; allowed: all, train, dev, eval"),
            std::string::npos) << output;
  EXPECT_EQ(std::count(output.begin(), output.end(), '\n'), 1) << output;
  EXPECT_EQ(Jsqa("run " + (*dir_ / "missing.ini"), &output), 2);
  EXPECT_EQ(Jsqa("run " + (*dir_ / "demo.ini") + " --set graph.sinth=prepare", &output), 2);
  EXPECT_NE(output.find("unknown stage 'sinth'"), std::string::npos) << output;
}

// A config problem only a running stage finds (segments longer than every
// utterance, known once synth has read prepare's manifest) exits 2 under
// `run` as under the stage's own command; the stages that could run still
// ran. A missing SVM model is found before any stage runs.
TEST_F(CliTest, ConfigProblemFoundWhileAStageRunsExitsTwoUnderRunToo) {
  std::string output;
  const std::string too_long = " --set synth.segment_seconds=60 --set synth.short_policy=skip --set jnd.svm_model=" +
                               testing::SourceDir() + "/configs/jnd-svm.model";
  EXPECT_EQ(Jsqa("synth " + (*dir_ / "demo.ini") + too_long + " --out " + (*dir_ / "long-pairs"), &output), 2)
      << output;
  EXPECT_NE(output.find("no utterance yields a segment of 60 s"), std::string::npos) << output;
  EXPECT_EQ(Jsqa("run " + (*dir_ / "demo.ini") + too_long + " --set graph.synth=prepare --run-dir " + (*dir_ / "long"),
                 &output), 2)
      << output;
  EXPECT_NE(output.find("no utterance yields a segment of 60 s"), std::string::npos) << output;
  EXPECT_TRUE(fs::exists(*dir_ / "long/prepare/COMPLETE")) << output;

  const std::string missing = " --set jnd.svm_model=" + (*dir_ / "no-such.model");
  EXPECT_EQ(Jsqa("run " + (*dir_ / "demo.ini") + missing + " --set graph.synth=prepare --run-dir " + (*dir_ / "no-svm"),
                 &output), 2)
      << output;
  EXPECT_NE(output.find("jnd.svm_model"), std::string::npos) << output;
  EXPECT_FALSE(fs::exists(*dir_ / "no-svm/prepare")) << output;
}

TEST_F(CliTest, SecondRunIsCachedAndAChangedKeyReruns) {
  const std::string run = "run " + (*dir_ / "demo.ini") + " --run-dir " + (*dir_ / "r1");
  std::string output;
  ASSERT_EQ(Jsqa(run, &output), 0) << output;
  EXPECT_NE(output.find("prepare     ran"), std::string::npos) << output;
  ASSERT_EQ(Jsqa(run, &output), 0) << output;
  EXPECT_NE(output.find("nothing to do"), std::string::npos) << output;
  EXPECT_NE(output.find("prepare     cached"), std::string::npos) << output;
  ASSERT_EQ(Jsqa(run + " --set prepare.min_seconds=0.5", &output), 0) << output;
  EXPECT_NE(output.find("prepare     ran"), std::string::npos) << output;
  EXPECT_TRUE(fs::exists(*dir_ / "r1/prepare/speech.tsv"));
  EXPECT_TRUE(fs::exists(*dir_ / "r1/config.ini"));
  // inspect on the prepare folder prints its corpus report: report.md's text.
  ASSERT_EQ(Jsqa("inspect " + (*dir_ / "r1/prepare") + " --log-level warn", &output), 0) << output;
  EXPECT_NE(output.find(testing::ReadBytes(*dir_ / "r1/prepare/report.md")), std::string::npos) << output;
  EXPECT_NE(output.find("# Corpus report"), std::string::npos) << output;
}

TEST_F(CliTest, InspectDescribesAudioConfigsAndStageFolders) {
  std::string output;
  ASSERT_EQ(Jsqa("inspect " + testing::AlsaNoise(), &output), 0) << output;
  EXPECT_NE(output.find("48000 Hz"), std::string::npos) << output;
  ASSERT_EQ(Jsqa("inspect " + (*dir_ / "demo.ini"), &output), 0) << output;
  EXPECT_NE(output.find("valid"), std::string::npos) << output;
  ASSERT_EQ(Jsqa("synth " + (*dir_ / "demo.ini") + " --set jnd.svm_model=" + testing::SourceDir() +
                     "/configs/jnd-svm.model --set synth.pairs_per_shard=1000 --out " + (*dir_ / "pairs"),
                 &output), 0) << output;
  EXPECT_NE(output.find("all shards complete"), std::string::npos) << output;
  ASSERT_EQ(Jsqa("inspect " + (*dir_ / "pairs/pairs-00000-of-00001.h5") + " --log-level warn", &output), 0) << output;
  EXPECT_NE(output.find("JND-pair shard 0 of 1, "), std::string::npos) << output;
  EXPECT_NE(output.find("pairs of 64000 samples at 16000 Hz (int16)"), std::string::npos) << output;
  const std::string bad = *dir_ / "bad.wav";
  testing::WriteBytes(bad, "not audio at all");
  EXPECT_EQ(Jsqa("inspect " + bad, &output), 1);
  EXPECT_NE(output.find("bad.wav"), std::string::npos) << output;
}

TEST_F(CliTest, SlurmArrayJobsTogetherWriteTheSingleJobsShards) {
  const std::string synth = JsqaExecutable() + " synth " + (*dir_ / "demo.ini") + " --set jnd.svm_model=" +
                            testing::SourceDir() + "/configs/jnd-svm.model --set synth.pairs_per_shard=2 --out ";
  std::string output;
  ASSERT_EQ(RunCommand(synth + (*dir_ / "single"), &output), 0) << output;
  // An array --array=1-2: task ids 1 and 2, so shard indices 0 and 1 of 2.
  for (const char* task : {"2", "1"}) {
    ASSERT_EQ(RunCommand(std::string("SLURM_ARRAY_TASK_ID=") + task + " SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_COUNT=2 " +
                             synth + (*dir_ / "array"),
                         &output),
              0)
        << output;
  }
  EXPECT_NE(output.find("all shards complete"), std::string::npos) << output;
  // The same files (no per-job ones), byte for byte.
  std::set<std::string> names, array_names;
  for (const auto& entry : fs::directory_iterator(*dir_ / "single")) names.insert(entry.path().filename());
  for (const auto& entry : fs::directory_iterator(*dir_ / "array")) array_names.insert(entry.path().filename());
  ASSERT_GE(names.size(), 6u);  // at least two shards, their sidecars, skipped.tsv, the manifest
  EXPECT_EQ(array_names, names);
  EXPECT_TRUE(names.count("skipped.tsv"));
  for (const std::string& name : names)
    EXPECT_EQ(testing::ReadBytes(*dir_ / ("array/" + name)), testing::ReadBytes(*dir_ / ("single/" + name))) << name;
  EXPECT_EQ(RunCommand(synth + (*dir_ / "bad") + " --shard-index 2 --num-shards 2", &output), 2) << output;
}

}  // namespace
}  // namespace jsqa
