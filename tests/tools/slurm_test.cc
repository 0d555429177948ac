// Jobs through a real SLURM: srun tasks, sbatch arrays, and the shipped
// tools/slurm/synth-array.sbatch, on a private single-node SLURM that the
// suite starts (tests/slurm/local_slurm.sh) and stops. Skipped, saying why,
// where SLURM cannot start (not root, packages missing).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "tests/slurm_support.h"
#include "tests/test_support.h"

namespace jsqa {
namespace {
namespace fs = std::filesystem;
using testing::JsqaExecutable;
using testing::RunCommand;

// Lines of text that start with prefix, sorted.
std::vector<std::string> LinesStartingWith(const std::string& text, const std::string& prefix) {
  std::vector<std::string> found;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line))
    if (line.rfind(prefix, 0) == 0) found.push_back(line);
  std::sort(found.begin(), found.end());
  return found;
}

// Every client command is bounded, so that a wedged daemon fails the test
// instead of hanging it; --wait jobs also get a one-minute time limit.
const std::string kTimeout = "timeout 45 ";

class SlurmTest : public ::testing::Test {
 protected:
  // One SLURM for the whole suite: well under a second to start, but no need
  // to pay it per test when the binary runs them all.
  static void SetUpTestSuite() {
    slurm_ = new testing::LocalSlurm();
    dir_ = new testing::TempDir();
  }
  static void TearDownTestSuite() {
    delete dir_;
    delete slurm_;
  }
  void SetUp() override {
    if (!slurm_->available()) GTEST_SKIP() << slurm_->skip_reason();
  }

  // The daemons' logs, for failure messages.
  static std::string Logs() {
    std::string logs;
    for (const char* name : {"slurmctld.log", "slurmd.log"}) {
      std::string text;
      RunCommand("tail -n 15 " + (slurm_->state_dir() / "log" / name).string(), &text);
      logs += std::string("\n--- ") + name + " (last lines)\n" + text;
    }
    return logs;
  }

  static testing::LocalSlurm* slurm_;
  static testing::TempDir* dir_;
};

testing::LocalSlurm* SlurmTest::slurm_ = nullptr;
testing::TempDir* SlurmTest::dir_ = nullptr;

TEST_F(SlurmTest, SrunStartsTwoRanks) {
  std::string output;
  ASSERT_EQ(slurm_->Run(kTimeout + "srun -n 2 bash -c 'echo rank $SLURM_PROCID of $SLURM_NTASKS local $SLURM_LOCALID'",
                        &output),
            0)
      << output << Logs();
  EXPECT_EQ(LinesStartingWith(output, "rank "),
            (std::vector<std::string>{"rank 0 of 2 local 0", "rank 1 of 2 local 1"}))
      << output;
}

TEST_F(SlurmTest, SbatchArrayRunsEveryTask) {
  const fs::path dir = dir_->path() / "array";
  fs::create_directories(dir / "out");
  testing::WriteBytes((dir / "job.sh").string(),
                      "#!/bin/bash\n"
                      "echo \"$SLURM_ARRAY_TASK_ID of $SLURM_ARRAY_TASK_COUNT\" > out/$SLURM_ARRAY_TASK_ID\n");
  std::string output;
  ASSERT_EQ(slurm_->Run(kTimeout + "sbatch --wait --array=0-3 --time=1 --chdir=" + dir.string() + " --output=" +
                            (dir / "job-%A_%a.out").string() + " " + (dir / "job.sh").string(),
                        &output),
            0)
      << output << Logs();
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(dir / "out")) files.push_back(entry.path().filename());
  std::sort(files.begin(), files.end());
  ASSERT_EQ(files, (std::vector<std::string>{"0", "1", "2", "3"}));
  for (const std::string& task : files)
    EXPECT_EQ(testing::ReadBytes((dir / "out" / task).string()), task + " of 4\n");
}

// The shipped template, as the README submits it, with resources a
// two-CPU test node has: the array's four tasks together write what a single
// process writes.
TEST_F(SlurmTest, SynthArrayTemplateMatchesASingleProcess) {
  const fs::path dir = dir_->path() / "synth";
  fs::create_directories(dir);
  std::string output;
  const std::string config = testing::WriteDemoConfig(dir, "demo.ini");
  const std::string sets = " --set jnd.svm_model=" + testing::SourceDir() +
                           "/configs/jnd-svm.model --set synth.pairs_per_shard=2";
  ASSERT_EQ(RunCommand(JsqaExecutable() + " synth " + config + sets + " --out " + (dir / "single").string(), &output), 0)
      << output;

  ASSERT_EQ(slurm_->Run("JSQA_PIPELINE=" + JsqaExecutable() + " " + kTimeout +
                            "sbatch --wait --array=0-3 --cpus-per-task=1 --mem=500M --time=1 --chdir=" + dir.string() +
                            " --output=" + (dir / "synth-%A_%a.out").string() + " " + testing::SourceDir() +
                            "/tools/slurm/synth-array.sbatch " + config + " " + (dir / "array").string() + sets,
                        &output),
            0)
      << output << Logs();
  std::string logs;
  RunCommand("cat " + (dir / "synth-*.out").string(), &logs);
  for (int job = 0; job < 4; ++job)
    EXPECT_NE(logs.find("synth: job " + std::to_string(job) + " of 4"), std::string::npos) << logs;

  ASSERT_TRUE(fs::exists(dir / "array/manifest.json")) << logs;
  const auto array = nlohmann::json::parse(testing::ReadBytes((dir / "array/manifest.json").string()));
  const auto single = nlohmann::json::parse(testing::ReadBytes((dir / "single/manifest.json").string()));
  ASSERT_GE(single.at("shard_count").get<int>(), 4);  // else there is nothing to split
  ASSERT_EQ(array.at("shards").size(), single.at("shard_count").get<size_t>());
  for (size_t shard = 0; shard < array.at("shards").size(); ++shard) {
    const auto& made = array["shards"][shard];
    EXPECT_EQ(made.at("sha256"), single["shards"][shard].at("sha256")) << made.dump();
    EXPECT_EQ(testing::ReadBytes((dir / "array" / made.at("file").get<std::string>()).string()),
              testing::ReadBytes((dir / "single" / made.at("file").get<std::string>()).string()));
  }
  EXPECT_EQ(array, single);
}

// A sweep of two points submitted as cluster jobs: the shared prepare stage
// in a first job, the points as an array after it, then collected.
TEST_F(SlurmTest, SweepSubmittedToSlurmIsCollected) {
  const fs::path dir = dir_->path() / "sweep";
  fs::create_directories(dir);
  std::string output;
  const std::string config =
      testing::WriteDemoConfig(dir, "sweep.ini",
                               "[jnd]\nsvm_model = " + testing::SourceDir() + "/configs/jnd-svm.model\n"
                               "[synth]\nthreads = 1\n"
                               "[sweep]\njnd.delta_min_db:jnd.delta_max_db = 0:1, 0:3\n"
                               "[graph]\nprepare =\nsynth = prepare\n");
  const std::string sweep = JsqaExecutable() + " sweep " + config + " --run-dir " + (dir / "run").string();
  ASSERT_EQ(slurm_->Run("cd " + dir.string() + " && " + kTimeout + sweep +
                            " --slurm --submit --sbatch-args '--cpus-per-task=1 --mem=500M --time=5'",
                        &output),
            0)
      << output << Logs();
  EXPECT_NE(output.find("submitted job"), std::string::npos) << output;
  // Wait (bounded) for the queue to drain.
  ASSERT_EQ(slurm_->Run("for i in $(seq 1 120); do [ -z \"$(squeue -h)\" ] && exit 0; sleep 0.5; done; exit 1", &output), 0)
      << output << Logs();
  ASSERT_EQ(RunCommand(sweep + " --collect", &output), 0) << output;
  const auto rows = testing::ReadBytes((testing::SweepFolder(dir / "run", "delta_min_db+delta_max_db") / "sweep.csv").string());
  EXPECT_NE(rows.find("point-000,0:1,ok"), std::string::npos) << rows;
  EXPECT_NE(rows.find("point-001,0:3,ok"), std::string::npos) << rows;
  int prepares = 0, synths = 0;
  for (const auto& entry : fs::directory_iterator(dir / "run")) {
    const std::string name = entry.path().filename().string();
    prepares += name.rfind("prepare-", 0) == 0;
    synths += name.rfind("synth-", 0) == 0;
  }
  EXPECT_EQ(prepares, 1);  // shared: ran once, in the first job
  EXPECT_EQ(synths, 2);
}

}  // namespace
}  // namespace jsqa
