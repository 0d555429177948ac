// Synthesis under faults, through the executable: SIGKILL at 20 random
// points of one run, and a disk that fills up while shards are written.
// Each time, what looks finished (a shard with its sidecar, manifest.json)
// is exactly what an undisturbed run writes, and a rerun completes it.
#include <gtest/gtest.h>
#include <sys/mount.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <random>
#include <thread>

#include "tests/test_support.h"

namespace jsqa {
namespace {
namespace fs = std::filesystem;
using testing::JsqaExecutable;
using testing::RunCommand;

class SynthFaultsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string output;
    testing::WriteDemoConfig(dir_.path(), "synth.ini",
                             "[jnd]\nsvm_model = " + testing::SourceDir() + "/configs/jnd-svm.model\n"
                             "[synth]\nsegment_seconds = 0.5\npairs_per_shard = 1\nthreads = 1\n",
                             "train-clean-5,dev-clean-2");
    ASSERT_EQ(RunCommand(Synth(dir_ / "reference"), &output), 0) << output;
  }

  std::string Synth(const std::string& out) const {
    return JsqaExecutable() + " synth " + (dir_ / "synth.ini") + " --out " + out + " --log-level warn";
  }

  // Every shard that looks finished (its sidecar is there) is byte for byte
  // the reference's; returns how many there are.
  int ExpectFinishedShardsMatchReference(const std::string& out) const {
    int finished = 0;
    for (const auto& entry : fs::directory_iterator(out)) {
      const fs::path path = entry.path();
      if (path.extension() != ".h5") continue;
      const fs::path sidecar = fs::path(path).replace_extension(".json");
      if (!fs::exists(sidecar)) continue;
      ++finished;
      EXPECT_EQ(testing::ReadBytes(path.string()), testing::ReadBytes((dir_.path() / "reference" / path.filename()).string()))
          << path;
    }
    return finished;
  }

  void ExpectSameAsReference(const std::string& out) const {
    for (const auto& entry : fs::directory_iterator(dir_ / "reference")) {
      const fs::path name = entry.path().filename();
      ASSERT_TRUE(fs::exists(fs::path(out) / name)) << name;
      EXPECT_EQ(testing::ReadBytes((fs::path(out) / name).string()), testing::ReadBytes(entry.path().string())) << name;
    }
  }

  testing::TempDir dir_;
};

TEST_F(SynthFaultsTest, KilledTwentyTimesTheRunStillEndsByteIdentical) {
  const std::string out = dir_ / "killed";
  std::mt19937 random(2024);  // fixed: the same kill points every run of the test
  std::uniform_int_distribution<int> delay_ms(0, 20);
  int finished_before = 0, kills_mid_run = 0;
  for (int kill = 0; kill < 20; ++kill) {
    // Each restart is killed once it has finished one more shard, a random
    // moment later: while a shard is open, being renamed, or its sidecar written.
    const std::string target = std::to_string(finished_before + 1);
    const std::string command = Synth(out) + " > /dev/null 2>&1 & pid=$!; for i in $(seq 1 1000); do "
                                "[ $(ls " + out + "/*.json 2>/dev/null | wc -l) -ge " + target + " ] && break; "
                                "sleep 0.01; done; sleep " + std::to_string(delay_ms(random) / 1000.0) +
                                "; kill -9 $pid 2>/dev/null; wait $pid";
    const int status = RunCommand(command);  // wait's: 128 + 9 when SIGKILL ended it
    if (fs::exists(out + "/manifest.json")) break;  // it finished before the kill
    EXPECT_EQ(status, 137) << "kill " << kill << ": the run ended otherwise than by SIGKILL";
    ++kills_mid_run;
    const int finished = ExpectFinishedShardsMatchReference(out);
    EXPECT_GE(finished, finished_before) << "a finished shard was lost";
    finished_before = finished;
  }
  EXPECT_EQ(kills_mid_run, 20);
  std::string output;
  ASSERT_EQ(RunCommand(Synth(out), &output), 0) << output;
  ExpectSameAsReference(out);
}

TEST_F(SynthFaultsTest, AFullDiskFailsClearlyAndARunWithSpaceFinishes) {
  const std::string out = dir_ / "small-disk";
  fs::create_directories(out);
  // The reference's shards take a few MiB; 512 KiB runs out midway.
  if (::mount("tmpfs", out.c_str(), "tmpfs", 0, "size=512k") != 0)
    GTEST_SKIP() << "cannot mount a small tmpfs here (needs root and CAP_SYS_ADMIN): " << std::strerror(errno);
  std::string output;
  EXPECT_EQ(RunCommand(Synth(out), &output), 1) << output;
  EXPECT_NE(output.find("No space left on device"), std::string::npos) << output;
  EXPECT_FALSE(fs::exists(out + "/manifest.json"));
  EXPECT_GE(ExpectFinishedShardsMatchReference(out), 1) << "the disk filled before any shard finished";
  // More space (as after freeing some): the rerun keeps the finished shards.
  ASSERT_EQ(::mount("tmpfs", out.c_str(), "tmpfs", MS_REMOUNT, "size=64m"), 0) << std::strerror(errno);
  EXPECT_EQ(RunCommand(Synth(out), &output), 0) << output;
  ExpectSameAsReference(out);
  ::umount(out.c_str());
}

}  // namespace
}  // namespace jsqa
