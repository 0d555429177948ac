// The cache key covers what each stage reads, through the executable:
// prepare reruns by itself when a corpus changes, and a stage whose inputs'
// content is unchanged is reused even when an upstream stage reran.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <regex>

#include "tests/test_support.h"

namespace jsqa {
namespace {
namespace fs = std::filesystem;
using testing::JsqaExecutable;
using testing::RunCommand;

class StageCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_ / "speech");
    fs::create_directories(dir_ / "noise/street");
    const auto clips = testing::LibrivoxClips();
    ASSERT_GE(clips.size(), 3u);
    fs::copy_file(clips[0], dir_ / "speech/a.wav");
    fs::copy_file(clips[1], dir_ / "speech/b.wav");
    fs::copy_file(testing::AlsaNoise(), dir_ / "noise/street/noise.wav");
    testing::WriteBytes(dir_ / "cache.ini",
                        "[corpus]\n"
                        "speech_folder = " + (dir_ / "speech") + "\n"
                        "noise_folder = " + (dir_ / "noise") + "\n"
                        "[jnd]\nsvm_model =\n"
                        "[synth]\nsegment_seconds = 1\nthreads = 1\n"
                        "[model]\nchannels = 4,8\nstrides = 4,4\ncontrastive_size = 8\n"
                        "[pretrain]\nsteps = 2\nbatch_size = 4\nlog_every = 1\n"
                        "[runtime]\nthreads = 1\n"
                        "[graph]\nprepare =\nsynth = prepare\npretrain = synth\n");
  }

  // Runs the graph; returns stage → its folder (the link's target).
  std::map<std::string, std::string> Run(const std::string& extra = "") {
    std::string output;
    const int status = RunCommand(JsqaExecutable() + " run " + (dir_ / "cache.ini") + " --run-dir " + (dir_ / "run") +
                                      " " + extra,
                                  &output);
    EXPECT_EQ(status, 0) << output;
    last_output_ = output;
    std::map<std::string, std::string> folders;
    for (const char* stage : {"prepare", "synth", "pretrain"})
      folders[stage] = fs::read_symlink(fs::path(dir_ / "run") / stage).filename().string();
    return folders;
  }

  testing::TempDir dir_;
  std::string last_output_;
};

TEST_F(StageCacheTest, StagesRerunOnlyWhenWhatTheyReadChanged) {
  const auto first = Run();

  // A NISQA setting: prepare reruns (its settings changed), its speech and
  // noise manifests do not, so synth and pretrain are reused.
  const auto nisqa = Run("--set corpus.nisqa_dbs=NISQA_TEST_FOR");
  EXPECT_NE(nisqa.at("prepare"), first.at("prepare"));
  EXPECT_EQ(nisqa.at("synth"), first.at("synth"));
  EXPECT_EQ(nisqa.at("pretrain"), first.at("pretrain"));
  // The terminal says what came out; stages.tsv tells the two prepare
  // folders apart by the setting that differs.
  EXPECT_NE(last_output_.find("pretrain: final loss "), std::string::npos) << last_output_;
  EXPECT_EQ(last_output_.find("[jnd]"), std::string::npos) << last_output_;
  const std::string index = testing::ReadBytes(dir_ / "run/stages.tsv");
  EXPECT_NE(index.find("prepare\t" + nisqa.at("prepare").substr(8) +
                       "\tcurrent\tcorpus.nisqa_dbs=NISQA_TEST_FOR\n"),
            std::string::npos)
      << index;
  EXPECT_NE(index.find("prepare\t" + first.at("prepare").substr(8) + "\tkept\tcorpus.nisqa_dbs=NISQA_TRAIN_SIM,"),
            std::string::npos)
      << index;
  EXPECT_NE(index.find("synth\t" + first.at("synth").substr(6) + "\tcurrent\t\n"), std::string::npos) << index;

  // A fine-tuning setting: the plan reuses everything before finetune.
  std::string plan;
  ASSERT_EQ(RunCommand(JsqaExecutable() + " run " + (dir_ / "cache.ini") + " --run-dir " + (dir_ / "run") +
                           " --plan --set finetune.epochs=7 --set graph.finetune=prepare,pretrain",
                       &plan),
            0)
      << plan;
  EXPECT_TRUE(std::regex_search(plan, std::regex("synth +cached"))) << plan;
  EXPECT_TRUE(std::regex_search(plan, std::regex("pretrain +cached"))) << plan;
  EXPECT_TRUE(std::regex_search(plan, std::regex("finetune +would run"))) << plan;

  // A new speech file: prepare sees it without --force, and everything
  // after it reruns on the new manifest.
  fs::copy_file(testing::LibrivoxClips()[2], dir_ / "speech/c.wav");
  const auto added = Run();
  EXPECT_NE(added.at("prepare"), first.at("prepare"));
  EXPECT_NE(added.at("synth"), first.at("synth"));
  EXPECT_NE(added.at("pretrain"), first.at("pretrain"));

  // Going back reuses the old folders.
  fs::remove(dir_ / "speech/c.wav");
  EXPECT_EQ(Run(), first);
}

}  // namespace
}  // namespace jsqa
