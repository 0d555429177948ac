// The training commands end to end through the executable, on the demo
// corpus with a tiny model: two ranks over Gloo (spawned here with torchrun's
// variables, and through srun on a local SLURM), resume after SIGKILL,
// fine-tuning, evaluation and predict.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <thread>

#include "pipeline/base/csv.h"
#include "pipeline/base/text_files.h"
#include "tests/slurm_support.h"
#include "tests/test_support.h"

namespace jsqa {
namespace {
namespace fs = std::filesystem;
using testing::FreePort;
using testing::JsqaExecutable;
using testing::RunCommand;

// The "model sha256" each rank logs at the end, in order of appearance.
std::vector<std::string> ModelDigests(const std::string& log) {
  std::vector<std::string> digests;
  const std::regex pattern("ends with model sha256 ([0-9a-f]{64})");
  for (auto it = std::sregex_iterator(log.begin(), log.end(), pattern); it != std::sregex_iterator(); ++it)
    digests.push_back((*it)[1]);
  return digests;
}

// metrics.csv column by name → values by row.
std::vector<double> Column(const std::string& csv, const std::string& name) {
  const auto rows = ReadCsvFile(csv);
  std::vector<double> values;
  size_t column = 0;
  while (column < rows.at(0).fields.size() && rows[0].fields[column] != name) ++column;
  for (size_t r = 1; r < rows.size(); ++r)
    if (!rows[r].fields.at(column).empty()) values.push_back(std::stod(rows[r].fields[column]));
  return values;
}

class TrainingCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    std::string output;
    testing::WriteDemoConfig(
        dir_->path(), "train.ini",
        "[jnd]\nsvm_model = " + testing::SourceDir() + "/configs/jnd-svm.model\n"
        "[synth]\nsegment_seconds = 1\npairs_per_shard = 16\nthreads = 1\n"
        "[model]\nchannels = 4,8,8,16\nstrides = 4,4,4,4\ncontrastive_size = 16\n"
        "[pretrain]\nsteps = 8\nbatch_size = 8\nlearning_rate = 0.01\ncheckpoint_every = 2\nlog_every = 1\n"
        "shards = " + (*dir_ / "run/synth") + "\n"
        "[finetune]\nepochs = 2\nbatch_size = 4\nsegment_seconds = 1\nlearning_rate = 0.01\n"
        "[runtime]\nthreads = 1\n"
        "[graph]\nprepare =\nsynth = prepare\n",
        "train-clean-5,dev-clean-2", /*nisqa=*/true);
    ASSERT_EQ(RunCommand(JsqaExecutable() + " run " + (*dir_ / "train.ini") + " --run-dir " + (*dir_ / "run"), &output), 0)
        << output;
  }
  static void TearDownTestSuite() { delete dir_; }

  static std::string Command(const std::string& command, const std::string& out, const std::string& extra = "") {
    return JsqaExecutable() + " " + command + " " + (*dir_ / "train.ini") + " --out " + out + " " + extra;
  }
  static testing::TempDir* dir_;
};

testing::TempDir* TrainingCliTest::dir_ = nullptr;

TEST_F(TrainingCliTest, TwoRanksOverGlooEndIdenticalAndTrackOneProcess) {
  std::string single_log;
  // A small learning rate keeps the two runs' weights close, so that the
  // loss compares the forward passes.
  const std::string rate = "--set pretrain.learning_rate=0.0005";
  ASSERT_EQ(RunCommand(Command("pretrain", *dir_ / "single", rate), &single_log), 0) << single_log;
  const std::string port = std::to_string(FreePort());
  const std::string ranks = *dir_ / "ranks";
  std::string log;
  // Both ranks in the background, each its own log; wait for both.
  const std::string launch =
      "cd " + dir_->path().string() + " && for r in 0 1; do RANK=$r WORLD_SIZE=2 LOCAL_RANK=$r MASTER_ADDR=127.0.0.1 "
      "MASTER_PORT=" + port + " " + Command("pretrain", ranks, rate) + " > rank$r.log 2>&1 & eval pid$r=$!; done; "
      "s=0; wait $pid0 || s=1; wait $pid1 || s=1; cat rank0.log rank1.log; exit $s";
  ASSERT_EQ(RunCommand(launch, &log), 0) << log;
  const auto digests = ModelDigests(log);
  ASSERT_EQ(digests.size(), 2u) << log;
  EXPECT_EQ(digests[0], digests[1]) << "the ranks ended with different models";
  EXPECT_NE(log.find("rank 1 of 2"), std::string::npos) << log;
  // The same global batches and the whole batch's loss on each rank: the
  // loss follows the single process's. Only batch norm differs (statistics
  // over each rank's half of the batch), measured at up to 2.1 %.
  const auto one = Column(*dir_ / "single/metrics.csv", "loss");
  const auto two = Column(ranks + "/metrics.csv", "loss");
  ASSERT_EQ(one.size(), 8u);
  ASSERT_EQ(two.size(), one.size());
  for (size_t i = 0; i < one.size(); ++i) EXPECT_NEAR(two[i], one[i], 0.03 * one[i]) << "step " << i + 1;
  // Each rank hashed only its share of the shards before training, together all of them.
  const std::regex share("rank ([01]) of 2 hashed ([0-9]+) of ([0-9]+) shards");
  int64_t hashed = 0, listed = -1;
  std::set<std::string> ranks_hashed;
  for (auto it = std::sregex_iterator(log.begin(), log.end(), share); it != std::sregex_iterator(); ++it) {
    ranks_hashed.insert((*it)[1]);
    hashed += std::stoll((*it)[2]);
    listed = std::stoll((*it)[3]);
    EXPECT_LT(std::stoll((*it)[2]), listed) << "rank " << (*it)[1] << " hashed every shard: " << log;
  }
  EXPECT_EQ(ranks_hashed, (std::set<std::string>{"0", "1"})) << log;
  EXPECT_EQ(hashed, listed) << log;
  // Rank 0 alone writes.
  EXPECT_TRUE(fs::exists(ranks + "/encoder.pt"));
  EXPECT_TRUE(fs::exists(ranks + "/summary.json"));
}

TEST_F(TrainingCliTest, SrunStartsTwoRanksThatTrainTogether) {
  testing::LocalSlurm slurm;
  if (!slurm.available()) GTEST_SKIP() << slurm.skip_reason();
  std::string log;
  ASSERT_EQ(slurm.Run("timeout 120 srun -n 2 " + Command("pretrain", *dir_ / "srun"), &log), 0) << log;
  const auto digests = ModelDigests(log);
  ASSERT_EQ(digests.size(), 2u) << log;
  EXPECT_EQ(digests[0], digests[1]);
  EXPECT_TRUE(fs::exists(*dir_ / "srun/encoder.pt"));
}

TEST_F(TrainingCliTest, KilledPretrainingResumesToTheSameModel) {
  std::string log;
  const std::string steps_setting = "--set pretrain.steps=60";
  ASSERT_EQ(RunCommand(Command("pretrain", *dir_ / "whole", steps_setting), &log), 0) << log;
  const std::string whole = ModelDigests(log).at(0);
  const std::string out = *dir_ / "killed";
  // Killed with SIGKILL once its first checkpoint (step 2) exists, long
  // before its 60 steps end; "killed" printed only if the kill hit it alive.
  const std::string launch = Command("pretrain", out, steps_setting) + " > " + (*dir_ / "killed.log") +
                             " 2>&1 & pid=$!; for i in $(seq 1 600); do ls " + out +
                             "/checkpoints/step-*.pt >/dev/null 2>&1 && break; sleep 0.02; done; "
                             "kill -9 $pid && echo killed; wait $pid; ls " + out + "/checkpoints";
  RunCommand(launch, &log);
  ASSERT_NE(log.find("killed\n"), std::string::npos) << "the run ended before the kill:\n" << log;
  EXPECT_FALSE(fs::exists(out + "/summary.json")) << "a killed run looks finished";
  ASSERT_EQ(RunCommand(Command("pretrain", out, steps_setting), &log), 0) << log;
  EXPECT_NE(log.find("resuming from"), std::string::npos) << log;
  // Same data order, same state: the resumed run ends where the whole one did.
  EXPECT_EQ(ModelDigests(log).at(0), whole);
  const auto steps = Column(out + "/metrics.csv", "step");
  std::vector<double> expected;
  for (int s = 1; s <= 60; ++s) expected.push_back(s);
  EXPECT_EQ(steps, expected) << "metrics.csv continues without gaps or repeats";
  // A changed setting never resumes someone else's checkpoints.
  EXPECT_EQ(RunCommand(Command("pretrain", out, steps_setting + " --set pretrain.learning_rate=0.5"), &log), 1);
  EXPECT_NE(log.find("other settings"), std::string::npos) << log;
}

// Resumed on another number of ranks, the ranks' batch counts do not carry
// over: the data restarts at the pass after the furthest one the
// checkpoint's ranks reached, never replaying an earlier pass's order.
TEST_F(TrainingCliTest, ResumedOnTwoRanksStartsThePassAfterTheOneReached) {
  const std::string settings = "--set pretrain.steps=12 --set pretrain.batch_size=16";
  std::string log;
  ASSERT_EQ(RunCommand(Command("pretrain", *dir_ / "world1", settings), &log), 0) << log;
  const auto epochs = Column(*dir_ / "world1/metrics.csv", "epoch");
  ASSERT_EQ(epochs.size(), 12u);
  // The older of the two checkpoints kept (step 10), well into a later pass.
  ASSERT_GE(epochs[10 - 1], 2) << "the demo's pairs make fewer passes than this test needs";
  // The run as it stood at that checkpoint, resumed on two ranks.
  const std::string out = *dir_ / "world2";
  fs::create_directories(out + "/checkpoints");
  fs::copy_file(*dir_ / "world1/checkpoints/step-00000010.pt", out + "/checkpoints/step-00000010.pt");
  const std::string port = std::to_string(FreePort());
  const std::string launch =
      "cd " + dir_->path().string() + " && for r in 0 1; do RANK=$r WORLD_SIZE=2 LOCAL_RANK=$r MASTER_ADDR=127.0.0.1 "
      "MASTER_PORT=" + port + " " + Command("pretrain", out, settings) + " > world2-$r.log 2>&1 & eval pid$r=$!; done; "
      "s=0; wait $pid0 || s=1; wait $pid1 || s=1; cat world2-0.log world2-1.log; exit $s";
  ASSERT_EQ(RunCommand(launch, &log), 0) << log;
  EXPECT_NE(log.find("resuming from"), std::string::npos) << log;
  EXPECT_NE(log.find("the data restarts at the next pass"), std::string::npos) << log;
  const auto resumed = Column(out + "/metrics.csv", "epoch");  // steps 11 and 12
  ASSERT_EQ(resumed.size(), 2u);
  EXPECT_EQ(resumed[0], epochs[10 - 1] + 1) << "step 11 is not in the pass after step 10's";
  EXPECT_EQ(resumed[1], resumed[0]);
}

TEST_F(TrainingCliTest, FinetuneEvaluateAndPredict) {
  std::string log;
  // Pairs synthesised while training this time, not read from shards.
  ASSERT_EQ(RunCommand(Command("pretrain", *dir_ / "pre", "--set pretrain.steps=2 --set pretrain.source=on-the-fly"), &log),
            0)
      << log;
  ASSERT_EQ(RunCommand(Command("finetune", *dir_ / "fine", "--set finetune.pretrained=" + (*dir_ / "pre")), &log), 0)
      << log;
  EXPECT_TRUE(fs::exists(*dir_ / "fine/model.pt"));
  EXPECT_TRUE(fs::exists(*dir_ / "fine/curves.png"));
  // inspect reads both files back: the network and what trained it.
  ASSERT_EQ(RunCommand(JsqaExecutable() + " inspect " + (*dir_ / "pre/encoder.pt"), &log), 0) << log;
  EXPECT_NE(log.find("encoder.pt: encoder, "), std::string::npos) << log;
  EXPECT_NE(log.find("\n  strides 4,4,4,4; "), std::string::npos) << log;  // recorded in the file (train.ini)
  EXPECT_NE(log.find("\n  steps   "), std::string::npos) << log;     // from the folder's summary.json
  ASSERT_EQ(RunCommand(JsqaExecutable() + " inspect " + (*dir_ / "fine/model.pt"), &log), 0) << log;
  EXPECT_NE(log.find("model.pt: MOS model, "), std::string::npos) << log;
  EXPECT_NE(log.find("trained by " + fs::canonical(*dir_ / "fine").string()), std::string::npos) << log;
  EXPECT_EQ(Column(*dir_ / "fine/metrics.csv", "val_rmse").size(), 2u);  // one validation per epoch

  ASSERT_EQ(RunCommand(Command("evaluate", *dir_ / "eval", "--set evaluate.model=" + (*dir_ / "fine")), &log), 0) << log;
  EXPECT_NE(log.find("| NISQA_TEST_FOR |"), std::string::npos) << log;
  const auto table = ReadCsvFile(*dir_ / "eval/results.csv");
  ASSERT_EQ(table.size(), 5u);  // header, FOR, P501, LIVETALK, mean
  EXPECT_EQ(table[4].fields[0], "mean");
  for (const char* db : {"NISQA_TEST_FOR", "NISQA_TEST_P501", "NISQA_TEST_LIVETALK"})
    EXPECT_TRUE(fs::exists(*dir_ / (std::string("eval/scatter-") + db + ".png"))) << db;

  // predict: a folder (recursively) plus a damaged file; the damaged one
  // gets an error row, the others a MOS equal to evaluate's.
  const std::string folder = *dir_ / "corpus/NISQA_Corpus/NISQA_TEST_FOR";
  testing::WriteBytes(*dir_ / "broken.wav", "RIFF....WAVEfmt not really");
  ASSERT_EQ(RunCommand(JsqaExecutable() + " predict --model " + (*dir_ / "fine") + " " + folder + " " +
                           (*dir_ / "broken.wav") + " --out " + (*dir_ / "mos.csv"),
                       &log),
            0)
      << log;
  EXPECT_NE(log.find("real-time factor"), std::string::npos) << log;
  EXPECT_NE(log.find("1 unreadable"), std::string::npos) << log;
  const auto rows = ReadCsvFile(*dir_ / "mos.csv");
  const auto predictions = ReadCsvFile(*dir_ / "eval/predictions.csv");
  int matched = 0;
  for (size_t r = 1; r < rows.size(); ++r) {
    const auto& row = rows[r].fields;
    if (row[0] == *dir_ / "broken.wav") {
      EXPECT_TRUE(row[1].empty());
      EXPECT_FALSE(row[2].empty());
      continue;
    }
    const double mos = std::stod(row[1]);
    EXPECT_GT(mos, 1.0);
    EXPECT_LT(mos, 5.0);
    for (const auto& prediction : predictions)
      if (fs::path(prediction.fields[2]).lexically_normal() == fs::path(row[0]).lexically_normal()) {
        EXPECT_NEAR(std::stod(prediction.fields[4]), mos, 1e-3) << row[0];
        ++matched;
      }
  }
  EXPECT_EQ(matched, 100);  // the hundred TEST_FOR clips

  // A graph is one process, whatever the environment says.
  EXPECT_EQ(RunCommand("WORLD_SIZE=2 RANK=0 " + JsqaExecutable() + " run " + (*dir_ / "train.ini"), &log), 2);
  EXPECT_NE(log.find("srun or torchrun"), std::string::npos) << log;
  // Bad input: a dataset with no clips names the key.
  EXPECT_EQ(RunCommand(Command("finetune", *dir_ / "bad", "--set finetune.train_dbs=NISQA_NOPE"), &log), 2);
  EXPECT_NE(log.find("finetune.train_dbs"), std::string::npos) << log;
}

TEST_F(TrainingCliTest, KilledFinetuningResumesToTheSameModel) {
  std::string log;
  const std::string settings = "--set finetune.epochs=3 --set finetune.checkpoint_every=2";
  ASSERT_EQ(RunCommand(Command("finetune", *dir_ / "fine-whole", settings), &log), 0) << log;
  const std::string whole = ModelDigests(log).at(0);
  const std::string out = *dir_ / "fine-killed";
  // Killed mid-run once a checkpoint at step 6 or later exists (pruning
  // keeps the newest two, so step 6 itself may be gone by the next poll).
  const std::string later = out + "/checkpoints/step-0000000[6-9].pt " + out + "/checkpoints/step-000000[1-9]?.pt";
  RunCommand(Command("finetune", out, settings) + " > /dev/null 2>&1 & pid=$!; for i in $(seq 1 600); do " +
                 "ls " + later + " 2>/dev/null | grep -q . && break; sleep 0.05; done; kill -9 $pid; wait $pid",
             &log);
  ASSERT_EQ(RunCommand("ls " + later + " 2>/dev/null | grep -q ."), 0) << "no checkpoint at step 6 or later: " << log;
  ASSERT_FALSE(fs::exists(out + "/summary.json")) << "killed after it finished: nothing to resume";
  ASSERT_EQ(RunCommand(Command("finetune", out, settings), &log), 0) << log;
  EXPECT_NE(log.find("resuming from"), std::string::npos) << log;
  // On CPU every step is deterministic (fixed crops, order and threads), so
  // the resumed run matches exactly; with nondeterministic GPU kernels the
  // weights would differ by rounding while the step count still matches.
  EXPECT_EQ(ModelDigests(log).at(0), whole);
  EXPECT_EQ(Column(out + "/metrics.csv", "val_rmse"), Column(*dir_ / "fine-whole/metrics.csv", "val_rmse"));
}

// The shards' SHA-256 check runs once the ranks have met, each rank hashing
// its share (shard j by rank j mod world), then the ranks agree on the
// outcome: a damaged shard, found by the rank that hashed it after its
// rendezvous, stops both ranks with the line naming it, before either
// reads a batch. (Checked before the rendezvous, every rank hashed every
// shard there, and ranks that arrived apart failed the rendezvous.)
TEST_F(TrainingCliTest, RanksCheckTheirShareOfTheShardsAfterTheyMeet) {
  const std::string shards = *dir_ / "damaged-shards";
  fs::copy(fs::canonical(*dir_ / "run/synth"), shards, fs::copy_options::recursive);
  nlohmann::json manifest = ReadJsonFile(shards + "/manifest.json");
  ASSERT_GE(manifest["shards"].size(), 2u);
  manifest["shards"][1]["sha256"] = std::string(64, '0');  // shard 1: rank 1's share of two
  testing::WriteBytes(shards + "/manifest.json", manifest.dump(2) + "\n");
  const std::string damaged = shards + "/" + manifest["shards"][1]["file"].get<std::string>();
  const std::string port = std::to_string(FreePort());
  std::string status;
  const std::string launch =
      "cd " + dir_->path().string() + " && for r in 0 1; do RANK=$r WORLD_SIZE=2 MASTER_ADDR=127.0.0.1 MASTER_PORT=" +
      port + " " + Command("pretrain", *dir_ / "damaged", "--set pretrain.shards=" + shards +
                                                           " --set runtime.timeout_seconds=10") +
      " > damaged$r.log 2>&1 & eval pid$r=$!; done; s0=0; s1=0; wait $pid0 || s0=$?; wait $pid1 || s1=$?; "
      "echo \"exit $s0 $s1\"";
  ASSERT_EQ(RunCommand(launch, &status), 0) << status;
  const std::string log0 = testing::ReadBytes(*dir_ / "damaged0.log"), log1 = testing::ReadBytes(*dir_ / "damaged1.log");
  const std::string both = "rank 0:\n" + log0 + "rank 1:\n" + log1;
  EXPECT_NE(status.find("exit 1 1"), std::string::npos) << status << both;
  // Rank 1: met rank 0, then hashed shard 1 and ended with one line naming it.
  const std::string error_line = "\njsqa-pipeline pretrain: error: " + damaged + ": SHA-256 does not match manifest.json";
  const size_t met = log1.find("rank 1 of 2 on cpu, master 127.0.0.1:" + port);
  const size_t error = log1.find(error_line);
  ASSERT_NE(met, std::string::npos) << both;
  ASSERT_NE(error, std::string::npos) << both;
  EXPECT_LT(met, error) << "the shards were hashed before the rendezvous: " << both;
  // Rank 0 hashed only shard 0 (and 2, ...), which are intact, then learnt
  // rank 1's outcome and ended with the same line.
  const size_t met0 = log0.find("rank 0 of 2 on cpu");
  const size_t share0 = log0.find("pretrain: rank 0 of 2 hashed ");
  const size_t error0 = log0.find(error_line);
  ASSERT_NE(met0, std::string::npos) << both;
  ASSERT_NE(share0, std::string::npos) << both;
  ASSERT_NE(error0, std::string::npos) << both;
  EXPECT_LT(met0, share0) << both;
  EXPECT_LT(share0, error0) << both;
  EXPECT_EQ(log0.find(error_line, error0 + 1), std::string::npos) << "one line, once: " << both;
  EXPECT_FALSE(fs::exists(*dir_ / "damaged/checkpoints")) << "training started";
}

// One rank dies or hangs: the other stops with a clear error in bounded
// time instead of waiting forever.
TEST_F(TrainingCliTest, ARankThatDiesOrHangsStopsTheOther) {
  for (const char* signal : {"KILL", "STOP"}) {
    const std::string port = std::to_string(FreePort());
    const std::string out = *dir_ / (std::string("dead-") + signal);
    std::string log;
    const std::string launch =
        "cd " + dir_->path().string() + " && for r in 0 1; do RANK=$r WORLD_SIZE=2 MASTER_ADDR=127.0.0.1 MASTER_PORT=" +
        port + " " + Command("pretrain", out, "--set pretrain.steps=100000 --set runtime.timeout_seconds=5") +
        " > " + signal + "$r.log 2>&1 & eval pid$r=$!; done; "
        "for i in $(seq 1 600); do [ -e " + out + "/checkpoints/step-00000002.pt ] && break; sleep 0.05; done; "
        "[ -e " + out + "/checkpoints/step-00000002.pt ] && echo 'checkpoint before the kill'; "
        "kill -" + signal + " $pid1; start=$(date +%s); wait $pid0; status=$?; echo \"waited $(( $(date +%s) - start )) s\"; "
        "kill -9 $pid1; kill -CONT $pid1; cat " + signal + "0.log; exit $status";
    EXPECT_EQ(RunCommand(launch, &log), 1) << log;
    EXPECT_NE(log.find("checkpoint before the kill"), std::string::npos) << "killed before training ran: " << log;
    // One line: what failed, the likely cause, then Gloo's own words.
    EXPECT_TRUE(std::regex_search(log, std::regex("\njsqa-pipeline pretrain: error: distributed [a-z-]+ failed "
                                                  "\\(another rank died or timed out\\?\\): \\[[^\n]+\n")))
        << log;
    std::smatch waited;
    ASSERT_TRUE(std::regex_search(log, waited, std::regex("waited ([0-9]+) s"))) << log;
    const int seconds = std::stoi(waited[1]);
    if (std::string(signal) == "STOP") {
      // A hung rank is noticed by the collective's timeout (5 s), not before.
      EXPECT_NE(log.find("Timed out waiting 5000ms"), std::string::npos) << log;
      EXPECT_GE(seconds, 4) << log;
    }
    EXPECT_LE(seconds, 15) << signal;  // the 5 s timeout plus slack for a loaded machine
  }
}

}  // namespace
}  // namespace jsqa
