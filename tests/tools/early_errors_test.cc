// Mistakes a user makes are usage errors (exit 2, one line naming the key)
// before any stage runs, through the executable.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/test_support.h"

namespace jsqa {
namespace {
namespace fs = std::filesystem;
using testing::JsqaExecutable;
using testing::RunCommand;
using testing::SourceDir;

class EarlyErrorsTest : public ::testing::Test {
 protected:
  // Runs "jsqa-pipeline ARGS" from the source folder (the configs' relative
  // paths); returns the exit status and fills output.
  int Run(const std::string& args, std::string* output) {
    return RunCommand("cd " + SourceDir() + " && " + JsqaExecutable() + " " + args + " 2>&1", output);
  }
  // True when nothing was written for a stage or a sweep point.
  bool NothingRan() const {
    if (!fs::exists(dir_.path())) return true;
    for (const auto& entry : fs::directory_iterator(dir_.path()))
      if (entry.path().filename().string().rfind("prepare", 0) == 0 ||
          entry.path().filename().string().rfind("point-", 0) == 0)
        return false;
    return true;
  }
  testing::TempDir dir_;
};

TEST_F(EarlyErrorsTest, SweepKeyThatIsNoConfigKeyFailsBeforeAnyPoint) {
  const std::string config = testing::WriteDemoConfig(dir_.path() / "config", "run.ini", "[graph]\nprepare =\n");
  std::string output;
  EXPECT_EQ(Run("sweep " + config + " --grid synth.segment_second=1,2 --plan --run-dir " + dir_.path().string(), &output), 2)
      << output;
  EXPECT_NE(output.find("'synth.segment_second' is not a config key (did you mean 'synth.segment_seconds'?)"), std::string::npos)
      << output;
  EXPECT_EQ(Run("sweep " + config + " --grid synth.segment_second=1,2 --run-dir " + dir_.path().string(), &output), 2)
      << output;
  EXPECT_TRUE(NothingRan());
}

#ifdef JSQA_WITH_TORCH  // the training stages and the shipped configs' [model], [pretrain], ...
TEST_F(EarlyErrorsTest, GraphWithEvaluateButNoFinetuneIsRejectedBeforeAnyStage) {
  testing::WriteBytes(dir_ / "evaluate.ini", "[graph]\nprepare =\nevaluate = prepare\n");
  std::string output;
  EXPECT_EQ(Run("run " + (dir_ / "evaluate.ini") + " --run-dir " + (dir_ / "run"), &output), 2) << output;
  EXPECT_NE(output.find("evaluate.model is empty"), std::string::npos) << output;
  EXPECT_FALSE(fs::exists(dir_ / "run/prepare"));
}

TEST_F(EarlyErrorsTest, CudaOnACpuOnlyBuildFailsBeforeSynthRuns) {
  std::string output;
  EXPECT_EQ(Run("run configs/demo.ini --set runtime.device=cuda --run-dir " + dir_.path().string(), &output), 2)
      << output;
  EXPECT_NE(output.find("runtime.device = cuda: this libtorch has no CUDA device"), std::string::npos) << output;
  EXPECT_TRUE(NothingRan());
  // A plan may be made where the job will not run (a login node).
  EXPECT_EQ(Run("run configs/demo.ini --set runtime.device=cuda --plan --run-dir " + dir_.path().string(), &output),
            0)
      << output;
}

// configs/paper.ini names ${JSQA_DATA}: giving the three corpus keys on the
// command line needs no JSQA_DATA; one that is set but empty is an error.
TEST_F(EarlyErrorsTest, OneOverrideEachForTheCorporaNeedsNoVariable) {
  const std::string corpora =
      " --set corpus.librispeech_root=/data/LibriSpeech --set corpus.chime3_backgrounds=/data/backgrounds"
      " --set corpus.nisqa_root=/data/NISQA_Corpus";
  std::string output;
  EXPECT_EQ(Run("inspect configs/paper.ini" + corpora, &output), 0) << output;
  EXPECT_NE(output.find("librispeech_root = /data/LibriSpeech"), std::string::npos) << output;
  EXPECT_EQ(RunCommand("cd " + SourceDir() + " && JSQA_DATA= " + JsqaExecutable() + " inspect configs/paper.ini 2>&1",
                       &output),
            2)
      << output;
  EXPECT_NE(output.find("environment variable JSQA_DATA is empty"), std::string::npos) << output;
}
#endif

// The shipped model is trained on lower SNRs from -30 to 30 dB and Δ from 0
// to 24 dB: a config drawing beyond either (by more than 1 dB) is refused
// before prepare runs, naming the model, its range and the keys; standalone
// synth too, before any pair.
TEST_F(EarlyErrorsTest, JndRangesBeyondTheSvmModelAreRefusedBeforeAnyStage) {
  const std::string config =
      testing::WriteDemoConfig(dir_.path() / "config", "run.ini", "[graph]\nprepare =\nsynth = prepare\n");
  const std::string model = " --set jnd.svm_model=" + SourceDir() + "/configs/jnd-svm.model";
  std::string output;
  EXPECT_EQ(Run("run " + config + model + " --set jnd.delta_max_db=30 --run-dir " + dir_.path().string(), &output), 2)
      << output;
  EXPECT_NE(output.find("was trained on delta_db from 0 to 24 dB, but the config draws 0 to 30 dB "
                        "(jnd.delta_min_db to jnd.delta_max_db)"),
            std::string::npos)
      << output;
  EXPECT_NE(output.find("configs/jnd-svm.model"), std::string::npos) << output;
  EXPECT_EQ(Run("run " + config + model + " --set jnd.snr_min_db=-32 --run-dir " + dir_.path().string(), &output), 2)
      << output;
  EXPECT_NE(output.find("was trained on snr_db from -30.01 to 29.99 dB, but the config draws -35 to 20 dB "
                        "(jnd.snr_min_db - jnd.delta_max_db to jnd.snr_max_db)"),
            std::string::npos)
      << output;
  EXPECT_TRUE(NothingRan());
  EXPECT_EQ(Run("synth " + config + model + " --set jnd.delta_max_db=30 --out " + (dir_ / "pairs"), &output), 2)
      << output;
  EXPECT_NE(output.find("jnd.delta_max_db"), std::string::npos) << output;
  EXPECT_FALSE(fs::exists(dir_ / "pairs/manifest.json"));
  // Within a dB of the edge is fine (clamped there).
  EXPECT_EQ(Run("run " + config + model + " --set jnd.snr_min_db=-27.5 --plan --run-dir " + dir_.path().string(),
                &output), 0)
      << output;
}

// A corpus folder that is not there names its key, and a relative one says
// what it is relative to.
TEST_F(EarlyErrorsTest, MissingRelativeCorpusFolderNamesKeyAndWorkingDirectory) {
  testing::WriteBytes(dir_ / "corpus.ini", "[corpus]\nspeech_folder = no/such/speech\n[graph]\nprepare =\n");
  std::string output;
  EXPECT_EQ(Run("run " + (dir_ / "corpus.ini") + " --run-dir " + (dir_ / "run"), &output), 2) << output;
  EXPECT_NE(output.find("corpus.speech_folder = 'no/such/speech': no such folder (a relative path is relative to the "
                        "working directory, " + SourceDir()),
            std::string::npos)
      << output;
}

TEST_F(EarlyErrorsTest, HelpShowsConfigKeysAsSetKeysAndRunPrintsNoConfig) {
  std::string output;
  EXPECT_EQ(Run("run --help", &output), 0) << output;
  EXPECT_NE(output.find("--set jnd.delta_max_db=3\n"), std::string::npos) << output;
  EXPECT_EQ(output.find("--jnd.delta_max_db"), std::string::npos) << output;
  const std::string config = testing::WriteDemoConfig(dir_.path() / "config", "run.ini", "[graph]\nprepare =\n");
  EXPECT_EQ(Run("run " + config + " --plan --run-dir " + dir_.path().string(), &output), 0) << output;
  EXPECT_NE(output.find("config " + config + " resolved"), std::string::npos) << output;
  EXPECT_EQ(output.find("[jnd]"), std::string::npos) << "the resolved config belongs in config.ini:\n" << output;
}

}  // namespace
}  // namespace jsqa
