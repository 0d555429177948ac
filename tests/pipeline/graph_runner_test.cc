#include "pipeline/run/graph_runner.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "pipeline/base/error.h"
#include "pipeline/run/artifact_cache.h"
#include "tests/test_support.h"

namespace jsqa {
namespace {
namespace fs = std::filesystem;

struct ValueSection : ConfigSection {
  int value = 1;
  void Declare(KeyDeclarations& keys) override { keys.Key("value", value, "value"); }
};

std::atomic<int> g_runs{0};

// Writes its section's value (plus its input's) to out.txt; while a file
// SLOW naming it exists in the run folder it sleeps between two writes, so a
// test can kill it midway.
class ValueStage : public Stage {
 public:
  ValueStage(std::string name, std::string input, bool fail_on_zero = false)
      : name_(std::move(name)), input_(std::move(input)), fail_on_zero_(fail_on_zero) {}
  std::string Name() const override { return name_; }
  std::string Description() const override { return "test"; }
  std::vector<std::string> ConfigSections() const override { return {name_}; }
  std::vector<std::string> RequiredInputs() const override {
    return input_.empty() ? std::vector<std::string>{} : std::vector<std::string>{input_};
  }
  void Run(StageContext& context) const override {
    ++g_runs;
    const int value = context.config.Get<ValueSection>(name_).value;
    if (fail_on_zero_ && value == 0) throw Error(name_ + ": value 0 is refused");
    int total = value;
    if (!input_.empty()) total += std::stoi(testing::ReadBytes(context.Input(input_) + "/out.txt"));
    std::ofstream(context.out_dir + "/partial.txt") << "started";
    const fs::path slow = fs::path(context.out_dir).parent_path() / "SLOW";
    if (fs::exists(slow) && testing::ReadBytes(slow.string()) == name_)
      std::this_thread::sleep_for(std::chrono::seconds(30));
    std::ofstream(context.out_dir + "/out.txt") << total;
    context.summary["total"] = total;
  }

 private:
  std::string name_, input_;
  bool fail_on_zero_;
};

class GraphRunnerTest : public ::testing::Test {
 protected:
  GraphRunnerTest() {
    registry_.Register(std::make_unique<ValueStage>("a", ""));
    registry_.Register(std::make_unique<ValueStage>("b", "a", true));
    registry_.Register(std::make_unique<ValueStage>("c", ""));
    registry_.Register(std::make_unique<ValueStage>("d", "b"));  // in the graph only when a test adds it
  }
  RunReport Run(const std::vector<std::string>& overrides, std::set<std::string> force = {}) {
    Config config;
    for (const char* name : {"a", "b", "c", "d"}) config.AddSection<ValueSection>(name);
    std::vector<std::string> all = {"graph.a=", "graph.b=a", "graph.c="};
    all.insert(all.end(), overrides.begin(), overrides.end());
    config.Load("", all);
    const StageGraph graph(config.GraphEntries(), registry_);
    return RunGraph(config, graph, registry_, {dir_.path().string(), std::move(force), false});
  }
  std::string Output(const std::string& stage) { return testing::ReadBytes(dir_ / (stage + "/out.txt")); }

  StageRegistry registry_;
  testing::TempDir dir_;
};

TEST_F(GraphRunnerTest, SecondRunDoesNoWork) {
  g_runs = 0;
  RunReport first = Run({});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first.Count(StageOutcome::kRan), 3);
  EXPECT_EQ(Output("b"), "2");
  RunReport second = Run({});
  EXPECT_EQ(second.Count(StageOutcome::kCached), 3);
  EXPECT_EQ(g_runs, 3);
  for (const StageReport& stage : second.stages) EXPECT_TRUE(fs::exists(stage.folder + "/summary.json"));
  EXPECT_TRUE(fs::exists(dir_ / "config.ini"));
  EXPECT_TRUE(fs::exists(dir_ / "a/stage.log"));
  EXPECT_TRUE(fs::exists(dir_ / "a/config.ini"));
}

TEST_F(GraphRunnerTest, ChangedSettingRerunsOnlyThatStageAndDependents) {
  Run({});
  const RunReport changed = Run({"a.value=5"});
  EXPECT_EQ(changed.stages[0].outcome, StageOutcome::kRan);     // a
  EXPECT_EQ(changed.stages[1].outcome, StageOutcome::kRan);     // b, downstream of a
  EXPECT_EQ(changed.stages[2].outcome, StageOutcome::kCached);  // c, independent
  EXPECT_EQ(Output("b"), "6");
  // Going back to the old value reuses the old folders.
  EXPECT_EQ(Run({}).Count(StageOutcome::kCached), 3);
  EXPECT_EQ(Output("b"), "2");
}

TEST_F(GraphRunnerTest, ForceRerunsOneStage) {
  Run({});
  const RunReport forced = Run({}, {"c"});
  EXPECT_EQ(forced.stages[2].outcome, StageOutcome::kRan);
  EXPECT_EQ(forced.Count(StageOutcome::kCached), 2);
  EXPECT_THROW(Run({}, {"nope"}), UsageError);
}

TEST_F(GraphRunnerTest, FailedStageSkipsDependentsButNotOthers) {
  const RunReport report = Run({"b.value=0", "graph.d=b"});
  EXPECT_FALSE(report.ok());
  std::map<std::string, StageReport> by_stage;
  for (const StageReport& stage : report.stages) by_stage[stage.stage] = stage;
  ASSERT_EQ(by_stage.size(), 4u);
  EXPECT_EQ(by_stage["a"].outcome, StageOutcome::kRan);
  EXPECT_EQ(by_stage["b"].outcome, StageOutcome::kFailed);
  EXPECT_NE(by_stage["b"].error.find("value 0 is refused"), std::string::npos);
  EXPECT_EQ(by_stage["c"].outcome, StageOutcome::kRan);  // independent of b
  EXPECT_EQ(by_stage["d"].outcome, StageOutcome::kSkipped);
  EXPECT_EQ(by_stage["d"].error, "input 'b' did not finish");
  EXPECT_EQ(report.ExitCode(), 1);
  // Nothing of the failed or skipped stage looks finished, and no temporary
  // folder (.tmp.<stage>-<key>.<pid>) is left.
  for (const auto& entry : fs::directory_iterator(dir_.path())) {
    const std::string name = entry.path().filename().string();
    EXPECT_EQ(name.rfind("b-", 0), std::string::npos) << name;
    EXPECT_EQ(name.rfind("d", 0), std::string::npos) << name;
    EXPECT_EQ(name.rfind(".tmp.", 0), std::string::npos) << name;
  }
}

TEST_F(GraphRunnerTest, KilledStageLeavesNothingThatLooksFinished) {
  testing::WriteBytes(dir_ / "SLOW", "c");
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    try {
      Run({"c.value=99"});
    } catch (...) {
    }
    ::_exit(0);
  }
  // Wait until stage c is midway (its partial file exists), then SIGKILL.
  bool midway = false;
  for (int i = 0; i < 600 && !midway; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (fs::exists(dir_.path()))
      for (const auto& entry : fs::directory_iterator(dir_.path()))
        midway = midway || (entry.path().filename().string().rfind(".tmp.c-", 0) == 0 &&
                            fs::exists(entry.path() / "partial.txt"));
  }
  ASSERT_TRUE(midway);
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);

  EXPECT_FALSE(fs::exists(dir_ / "c")) << "a killed stage must not be linked as finished";
  for (const auto& entry : fs::directory_iterator(dir_.path())) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("c-", 0) == 0) ADD_FAILURE() << "complete-looking folder " << name;
  }
  // Rerunning completes and clears the dead process's temporary folder.
  fs::remove(dir_ / "SLOW");
  ASSERT_TRUE(Run({"c.value=99"}).ok());
  EXPECT_EQ(Output("c"), "99");
  for (const auto& entry : fs::directory_iterator(dir_.path()))
    EXPECT_NE(entry.path().filename().string().rfind(".tmp.", 0), 0u) << entry.path();
}

}  // namespace
}  // namespace jsqa
