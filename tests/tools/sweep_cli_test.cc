// `jsqa-pipeline sweep` on the demo corpus over the cheap stages: shared
// stages run once, --plan runs nothing, a failed point leaves the others
// going, a re-run resumes, and the results table and plots are written.
#include <gtest/gtest.h>

#include <filesystem>

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
  EXPECT_FALSE(fs::exists(dir / "run/sweep.csv"));  // --plan runs nothing

  EXPECT_EQ(RunCommand(sweep + grid, &output), 1) << output;  // two points fail
  EXPECT_NE(output.find("2 failed"), std::string::npos) << output;
  EXPECT_EQ(Folders(dir / "run", "prepare-"), 1);  // run once for all points
  EXPECT_EQ(Folders(dir / "run", "synth-"), 2);
  const auto rows = ReadCsvFile(dir / "run/sweep.csv");
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0].fields[1], "jnd.delta_min_db:jnd.delta_max_db");
  EXPECT_EQ(rows[1].fields[3], "ok");
  EXPECT_EQ(rows[2].fields[3], "failed");
  EXPECT_NE(rows[2].fields.back().find("bad.model"), std::string::npos) << rows[2].fields.back();
  EXPECT_TRUE(fs::exists(dir / "run/sweep.md"));
  EXPECT_TRUE(fs::exists(dir / "run/sweep-mean_pcc-vs-jnd.delta_min_db+jnd.delta_max_db.png"));

  // A re-run reuses every finished stage.
  ASSERT_EQ(RunCommand(sweep + " --plan", &output), 0) << output;
  EXPECT_EQ(output.find("runs"), std::string::npos) << output;
  // A malformed axis is a usage error naming it.
  EXPECT_EQ(RunCommand(sweep + " --grid jnd.delta_min_db:jnd.delta_max_db=0:1,3", &output), 2);
  EXPECT_NE(output.find("'3' has 1 values for 2 keys"), std::string::npos) << output;
}

}  // namespace
}  // namespace jsqa
