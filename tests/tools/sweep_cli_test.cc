// `jsqa-pipeline sweep` on the demo corpus over the cheap stages: shared
// stages run once, --plan runs nothing, a failed point leaves the others
// going, a re-run resumes, and the results table and plots are written.
#include <gtest/gtest.h>

#include <filesystem>
#include <iterator>
#include <sstream>
#include <vector>

#include "pipeline/base/csv.h"
#include "tests/test_support.h"

namespace jsqa {
namespace {
namespace fs = std::filesystem;
using testing::JsqaExecutable;
using testing::RunCommand;

int Folders(const fs::path& dir, const std::string& prefix) {
  int count = 0;
  for (const auto& entry : fs::directory_iterator(dir)) count += entry.path().filename().string().rfind(prefix, 0) == 0;
  return count;
}

TEST(SweepCli, SharesUnchangedStagesReportsFailuresAndResumes) {
  testing::TempDir dir;
  std::string output;
  testing::WriteBytes(dir / "bad.model", "not an svm model\n");
  testing::WriteDemoConfig(dir.path(), "sweep.ini",
                           "[jnd]\nsvm_model = " + testing::SourceDir() + "/configs/jnd-svm.model\n"
                           "[synth]\nthreads = 1\n"
                           "[sweep]\njnd.delta_min_db:jnd.delta_max_db = 0:1, 0:3\n"
                           "[graph]\nprepare =\nsynth = prepare\n");
  const std::string sweep = JsqaExecutable() + " sweep " + (dir / "sweep.ini") + " --run-dir " + (dir / "run");
  // Four points: two Δ ranges from [sweep] times a --grid axis whose second
  // value is a broken SVM model.
  const std::string grid = " --grid jnd.svm_model=" + testing::SourceDir() + "/configs/jnd-svm.model," + (dir / "bad.model");

  ASSERT_EQ(RunCommand(sweep + grid + " --plan", &output), 0) << output;
  EXPECT_NE(output.find("4 points"), std::string::npos) << output;
  EXPECT_NE(output.find("prepare: shared with point-000"), std::string::npos) << output;
  EXPECT_FALSE(fs::exists(dir / "run/sweeps"));  // --plan runs nothing

  EXPECT_EQ(RunCommand(sweep + grid, &output), 1) << output;  // two points fail
  EXPECT_NE(output.find("2 failed"), std::string::npos) << output;
  EXPECT_EQ(Folders(dir / "run", "prepare-"), 1);  // run once for all points
  EXPECT_EQ(Folders(dir / "run", "synth-"), 2);
  const fs::path own = testing::SweepFolder(dir / "run", "delta_min_db+delta_max_db+svm_model");
  const auto rows = ReadCsvFile(own / "sweep.csv");
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0].fields[1], "jnd.delta_min_db:jnd.delta_max_db");
  EXPECT_EQ(rows[1].fields[3], "ok");
  EXPECT_EQ(rows[2].fields[3], "failed");
  EXPECT_NE(rows[2].fields.back().find("bad.model"), std::string::npos) << rows[2].fields.back();
  EXPECT_TRUE(fs::exists(own / "sweep.md"));
  EXPECT_TRUE(fs::exists(own / "sweep-mean_pcc-vs-jnd.delta_min_db+jnd.delta_max_db.png"));

  // A re-run reuses every finished stage.
  ASSERT_EQ(RunCommand(sweep + " --plan", &output), 0) << output;
  EXPECT_EQ(output.find("runs"), std::string::npos) << output;
  // Once the broken model is mended, re-running the sweep runs only what
  // the failed points lacked: their two synth stages, nothing of the others.
  fs::copy_file(testing::SourceDir() + "/configs/jnd-svm.model", dir / "bad.model",
                fs::copy_options::overwrite_existing);
  ASSERT_EQ(RunCommand(sweep + grid, &output), 0) << output;
  EXPECT_NE(output.find("0 failed"), std::string::npos) << output;
  size_t synth_runs = 0;
  for (size_t at = output.find("synth: running"); at != std::string::npos; at = output.find("synth: running", at + 1))
    ++synth_runs;
  EXPECT_EQ(synth_runs, 2u) << output;
  EXPECT_EQ(output.find("prepare: running"), std::string::npos) << output;
  EXPECT_EQ(Folders(dir / "run", "synth-"), 4);
  // A malformed axis is a usage error naming it.
  EXPECT_EQ(RunCommand(sweep + " --grid jnd.delta_min_db:jnd.delta_max_db=0:1,3", &output), 2);
  EXPECT_NE(output.find("'3' has 1 values for 2 keys"), std::string::npos) << output;
}

// Two sweeps in one run folder (the paper's workflow): each keeps its own
// points, tables and plots, --collect reads only its own points, and the
// run's own stage links and config.ini stay the run's.
TEST(SweepCli, TwoSweepsInOneRunFolderKeepTheirOwnResultsAndTheRunsLinks) {
  testing::TempDir dir;
  std::string output;
  const std::string config = testing::WriteDemoConfig(
      dir.path(), "run.ini",
      "[jnd]\nsvm_model = " + testing::SourceDir() + "/configs/jnd-svm.model\n"
      "[synth]\nthreads = 1\n[graph]\nprepare =\nsynth = prepare\n");
  const std::string run_dir = " --run-dir " + (dir / "run");
  ASSERT_EQ(RunCommand(JsqaExecutable() + " run " + config + run_dir, &output), 0) << output;
  const fs::path synth_link = fs::read_symlink(dir / "run/synth");
  const std::string run_config = testing::ReadBytes(dir / "run/config.ini");

  const std::string sweep = JsqaExecutable() + " sweep " + config + run_dir;
  ASSERT_EQ(RunCommand(sweep + " --grid jnd.delta_max_db=1,2", &output), 0) << output;
  ASSERT_EQ(RunCommand(sweep + " --grid synth.seed=5,6,7", &output), 0) << output;
  const fs::path delta = testing::SweepFolder(dir / "run", "delta_max_db");
  const fs::path seed = testing::SweepFolder(dir / "run", "seed");
  EXPECT_TRUE(fs::exists(delta / "point-001/result.json"));
  EXPECT_FALSE(fs::exists(delta / "point-002"));
  EXPECT_TRUE(fs::exists(seed / "point-002/result.json"));

  // Collecting the first sweep again reports its own two points and labels.
  ASSERT_EQ(RunCommand(sweep + " --grid jnd.delta_max_db=1,2 --collect", &output), 0) << output;
  const auto rows = ReadCsvFile(delta / "sweep.csv");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].fields[1], "jnd.delta_max_db");
  EXPECT_EQ(rows[1].fields[1], "1");
  EXPECT_EQ(rows[2].fields[1], "2");
  EXPECT_EQ(ReadCsvFile(seed / "sweep.csv").size(), 4u);

  EXPECT_EQ(fs::read_symlink(dir / "run/synth"), synth_link);
  EXPECT_EQ(testing::ReadBytes(dir / "run/config.ini"), run_config);

  // stages.tsv indexes the sweeps' folders too: synth for Δ 3 (the run),
  // 1 and 2, and seeds 5, 6 and 7.
  const std::string index = testing::ReadBytes(dir / "run/stages.tsv");
  size_t synth_rows = 0;
  for (size_t at = index.find("\nsynth\t"); at != std::string::npos; at = index.find("\nsynth\t", at + 1)) ++synth_rows;
  EXPECT_EQ(synth_rows, 6u) << index;

  // inspect tells the run's folders and its sweeps apart, without JSON.
  // Table rows are compared as their words (columns are padded).
  const auto row_of = [](const std::string& text, const std::string& first_word) {
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
      std::istringstream words(line);
      std::vector<std::string> row{std::istream_iterator<std::string>(words), {}};
      if (!row.empty() && row[0] == first_word) return row;
    }
    return std::vector<std::string>{};
  };
  using Row = std::vector<std::string>;
  const std::string inspect = JsqaExecutable() + " inspect ";
  ASSERT_EQ(RunCommand(inspect + (dir / "run"), &output), 0) << output;
  EXPECT_NE(output.find(": run folder"), std::string::npos) << output;
  EXPECT_EQ(row_of(output, "prepare"), (Row{"prepare", fs::read_symlink(dir / "run/prepare").string(), "current"}))
      << output;
  EXPECT_EQ(row_of(output, "sweeps/" + delta.filename().string()),
            (Row{"sweeps/" + delta.filename().string(), "2", "2", "0", "0"}))
      << output;
  EXPECT_EQ(row_of(output, "sweeps/" + seed.filename().string()),
            (Row{"sweeps/" + seed.filename().string(), "3", "3", "0", "0"}))
      << output;
  ASSERT_EQ(RunCommand(inspect + delta.string(), &output), 0) << output;
  EXPECT_EQ(row_of(output, "point-000"), (Row{"point-000", "ok", "jnd.delta_max_db=1"})) << output;
  EXPECT_EQ(row_of(output, "point-001"), (Row{"point-001", "ok", "jnd.delta_max_db=2"})) << output;
  ASSERT_EQ(RunCommand(inspect + (dir / "run/synth"), &output), 0) << output;
  EXPECT_NE(output.find(": stage folder, complete\n"), std::string::npos) << output;
  EXPECT_NE(output.find("\n  totals.pairs  "), std::string::npos) << output;
  EXPECT_EQ(output.find('{'), std::string::npos) << "raw JSON in:\n" << output;
  ASSERT_EQ(RunCommand(inspect + (dir / "run/synth/manifest.json"), &output), 0) << output;
  EXPECT_NE(output.find(": shard set manifest\n"), std::string::npos) << output;
  EXPECT_NE(output.find("pairs-00000-of-"), std::string::npos) << output;
}

// The cluster scripts carry the user's sbatch arguments (our defaults only
// for what they leave out) and a GPU request when the config trains on CUDA.
// --seeds N: every point with seeds 1..N, every seed key of the config
// moving together.
TEST(SweepCli, SeedsReplicateEveryPoint) {
  testing::TempDir dir;
  std::string output;
  const std::string config = testing::WriteDemoConfig(dir.path(), "run.ini", "[graph]\nprepare =\nsynth = prepare\n");
  const std::string sweep = JsqaExecutable() + " sweep " + config + " --run-dir " + (dir / "run");
  ASSERT_EQ(RunCommand(sweep + " --grid jnd.delta_max_db=1,2 --seeds 3 --plan", &output), 0) << output;
  EXPECT_NE(output.find("6 points"), std::string::npos) << output;
#ifdef JSQA_WITH_TORCH
  for (const char* seed : {"=1:1:1", "=2:2:2", "=3:3:3"}) EXPECT_NE(output.find(seed), std::string::npos) << output;
  EXPECT_NE(output.find("synth.seed:pretrain.seed:finetune.seed"), std::string::npos) << output;
#else  // no training sections: the synthesis seed alone
  for (const char* seed : {"synth.seed=1", "synth.seed=2", "synth.seed=3"})
    EXPECT_NE(output.find(seed), std::string::npos) << output;
#endif
  EXPECT_EQ(RunCommand(sweep + " --grid jnd.delta_max_db=1,2 --seeds 1 --plan", &output), 2) << output;
  EXPECT_NE(output.find("--seeds 1: allowed: 0 (none) or 2 and more"), std::string::npos) << output;
}

#ifdef JSQA_WITH_TORCH
// Every shipped sweep plans: its axes parse (quoted chains included), every
// point's config is accepted and its stages have keys.
TEST(SweepCli, EveryShippedSweepConfigPlans) {
  testing::TempDir dir;
  for (const char* name : {"ablation-degradations", "ablation-data-scale", "ablation-snr", "ablation-projection",
                           "scratch-vs-pretrained", "demo-sweep", "demo-degradation-sweep"}) {
    std::string output;
    const std::string command = "cd " + testing::SourceDir() + " && JSQA_DATA=" + (dir / "data") + " " +
                                JsqaExecutable() + " sweep configs/" + name + ".ini --run-dir " + (dir / name) +
                                " --plan 2>&1";
    ASSERT_EQ(RunCommand(command, &output), 0) << name << ": " << output;
    EXPECT_EQ(output.find("fails:"), std::string::npos) << name << ": " << output;
  }
}
#endif

TEST(SweepCli, SlurmScriptsCarryTheSbatchArgumentsAndAGpuForCuda) {
  testing::TempDir dir;
  std::string output;
  const std::string config = testing::WriteDemoConfig(dir.path(), "run.ini", "[graph]\nprepare =\n");
  const std::string sweep = JsqaExecutable() + " sweep " + config +
                            " --grid prepare.min_seconds=0.1,0.2 --slurm --sbatch-args '--mem=500M -p debug'";
  ASSERT_EQ(RunCommand(sweep + " --run-dir " + (dir / "cpu"), &output), 0) << output;
  const std::string cpu = testing::ReadBytes(testing::SweepFolder(dir / "cpu", "min_seconds") / "sweep-points.sbatch");
  EXPECT_NE(cpu.find("#SBATCH --mem=500M\n"), std::string::npos) << cpu;
  EXPECT_NE(cpu.find("#SBATCH -p debug\n"), std::string::npos) << cpu;
  EXPECT_NE(cpu.find("#SBATCH --cpus-per-task=8\n"), std::string::npos) << cpu;
  EXPECT_EQ(cpu.find("--mem=16G"), std::string::npos) << cpu;
  EXPECT_EQ(cpu.find("--gres"), std::string::npos) << cpu;  // no GPU asked for on the CPU
#ifdef JSQA_WITH_TORCH
  ASSERT_EQ(RunCommand(sweep + " --run-dir " + (dir / "gpu") + " --set runtime.device=cuda", &output), 0) << output;
  const std::string gpu = testing::ReadBytes(testing::SweepFolder(dir / "gpu", "min_seconds") / "sweep-shared.sbatch");
  EXPECT_NE(gpu.find("#SBATCH --gres=gpu:1\n"), std::string::npos) << gpu;
#endif
}

}  // namespace
}  // namespace jsqa
