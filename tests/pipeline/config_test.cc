#include "pipeline/base/config.h"

#include <gtest/gtest.h>

#include "pipeline/base/error.h"
#include "tests/test_support.h"

namespace jsqa {
namespace {

struct ToySection : ConfigSection {
  enum class Mode { kFast, kSlow };
  double snr_min_db = 0.0;
  double snr_max_db = 10.0;
  int threads = 2;
  Mode mode = Mode::kFast;
  bool store = false;
  std::string workers = "auto";

  void Declare(KeyDeclarations& keys) override {
    keys.Key("snr_min_db", snr_min_db, "dB");
    keys.Key("snr_max_db", snr_max_db, "dB");
    keys.Key("threads", threads, "count").AtLeast(1);
    keys.Choice("mode", mode, "speed", {{"fast", Mode::kFast}, {"slow", Mode::kSlow}});
    keys.Key("store", store, "flag");
    keys.Threads("workers", workers, "worker threads");
  }
  void ValidateTogether(const std::string& prefix) const override {
    if (snr_min_db > snr_max_db)
      throw UsageError(prefix + ".snr_min_db = " + FormatDouble(snr_min_db) + ", " + prefix +
                       ".snr_max_db = " + FormatDouble(snr_max_db) + ": need snr_min_db <= snr_max_db");
  }
};

class ConfigTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& text) {
    const std::string path = dir_ / "c.ini";
    testing::WriteBytes(path, text);
    return path;
  }
  std::string LoadError(const std::string& text, const std::vector<std::string>& overrides = {}) {
    Config config;
    config.AddSection<ToySection>("toy");
    try {
      config.Load(Write(text), overrides);
    } catch (const UsageError& e) {
      return e.what();
    }
    return "";
  }
  testing::TempDir dir_;
};

TEST_F(ConfigTest, ReadsSectionsAndDefaults) {
  Config config;
  auto& toy = config.AddSection<ToySection>("toy");
  config.Load(Write("[toy]\nsnr_min_db = -5.5\nstore = true\n[graph]\nprepare =\nsynth = prepare\n"));
  EXPECT_DOUBLE_EQ(toy.snr_min_db, -5.5);
  EXPECT_EQ(toy.threads, 2);
  EXPECT_TRUE(toy.store);
  ASSERT_EQ(config.GraphEntries().size(), 2u);
  EXPECT_EQ(config.GraphEntries()[1].first, "synth");
  EXPECT_EQ(config.GraphEntries()[1].second, "prepare");
}

TEST_F(ConfigTest, OverridesWinOverTheFile) {
  Config config;
  auto& toy = config.AddSection<ToySection>("toy");
  config.Load(Write("[toy]\nthreads = 3\n[graph]\nprepare =\n"),
              {"toy.threads=5", "toy.mode=slow", "graph.synth=prepare", "toy.threads=7"});
  EXPECT_EQ(toy.threads, 7);  // the last override of a key wins
  EXPECT_EQ(toy.mode, ToySection::Mode::kSlow);
  EXPECT_EQ(config.GraphEntries().size(), 2u);
}

TEST_F(ConfigTest, UnknownKeyNamesFileKeyAndSuggestion) {
  const std::string error = LoadError("[toy]\nthread = 3\n");
  EXPECT_NE(error.find("c.ini"), std::string::npos) << error;
  EXPECT_NE(error.find("unknown key 'toy.thread'"), std::string::npos) << error;
  EXPECT_NE(error.find("did you mean 'toy.threads'"), std::string::npos) << error;
}

TEST_F(ConfigTest, IllTypedValueNamesKeyAndExpectedType) {
  const std::string error = LoadError("[toy]\nthreads = many\n");
  EXPECT_NE(error.find("c.ini: toy.threads = 'many'"), std::string::npos) << error;
  EXPECT_NE(error.find("expected an integer"), std::string::npos) << error;
  EXPECT_NE(LoadError("[toy]\nsnr_min_db = loud\n").find("expected a number"), std::string::npos);
}

TEST_F(ConfigTest, OutOfRangeAndEnumValuesListWhatIsAllowed) {
  const std::string error = LoadError("[toy]\nthreads = 0\n");
  EXPECT_NE(error.find("c.ini: toy.threads = 0: allowed: >= 1"), std::string::npos) << error;
  const std::string mode = LoadError("", {"toy.mode=medium"});
  EXPECT_NE(mode.find("--set: toy.mode = 'medium'"), std::string::npos) << mode;
  EXPECT_NE(mode.find("allowed: fast, slow"), std::string::npos) << mode;
}

// A rule over two keys blames --set when --set gave either of them, not
// the file that gave (or did not give) the other.
TEST_F(ConfigTest, CrossKeyErrorNamesSetWhenSetGaveEitherKey) {
  const std::string error = LoadError("[toy]\nsnr_min_db = 5\n", {"toy.snr_max_db=1"});
  EXPECT_EQ(error.rfind("--set: toy.snr_min_db = 5, toy.snr_max_db = 1", 0), 0u) << error;
  const std::string from_file = LoadError("[toy]\nsnr_min_db = 5\nsnr_max_db = 1\n");
  EXPECT_NE(from_file.find("c.ini: toy.snr_min_db = 5"), std::string::npos) << from_file;
  const std::string workers = LoadError("", {"toy.workers=none"});
  EXPECT_EQ(workers.rfind("--set: toy.workers = 'none'", 0), 0u) << workers;
}

// Register, Validate, ToString, --help and the execution keys all come from
// the one declaration of each key.
TEST_F(ConfigTest, OneDeclarationGivesHelpTextAndExecutionKeys) {
  Config config;
  auto& toy = config.AddSection<ToySection>("toy");
  config.Load(Write("[toy]\nmode = slow\n"));
  EXPECT_EQ(toy.ToString(),
            "snr_min_db = 0\nsnr_max_db = 10\nthreads = 2\nmode = slow\nstore = false\nworkers = auto\n");
  EXPECT_EQ(toy.Text("mode"), "slow");
  EXPECT_THROW(toy.Text("nothing"), Error);
  EXPECT_EQ(toy.ExecutionKeys(), std::vector<std::string>{"workers"});
  EXPECT_EQ(config.CacheKeyText({"toy"}).find("workers"), std::string::npos);
  const auto* threads = config.Options().find_nothrow("toy.threads", false);
  ASSERT_NE(threads, nullptr);
  EXPECT_EQ(threads->description(), "count (>= 1)");
  const auto* mode = config.Options().find_nothrow("toy.mode", false);
  ASSERT_NE(mode, nullptr);
  EXPECT_EQ(mode->description(), "speed (one of fast, slow)");
}

TEST_F(ConfigTest, MalformedOverrideAndDuplicateKeyAndMissingFile) {
  EXPECT_NE(LoadError("", {"threads"}).find("expected section.key=value"), std::string::npos);
  EXPECT_NE(LoadError("[toy]\nthreads = 1\nthreads = 2\n").find("more than once"), std::string::npos);
  Config config;
  config.AddSection<ToySection>("toy");
  EXPECT_THROW(config.Load(dir_ / "missing.ini"), UsageError);
}

TEST_F(ConfigTest, ResolvedIniRoundTrips) {
  Config first;
  first.AddSection<ToySection>("toy");
  first.Load(Write("[toy]\nsnr_min_db = 0.1\nmode = slow\n[graph]\nprepare =\n"));
  const std::string ini = first.ToIni();
  Config second;
  second.AddSection<ToySection>("toy");
  second.Load(Write(ini));
  EXPECT_EQ(second.ToIni(), ini);
  EXPECT_NE(ini.find("snr_min_db = 0.1\n"), std::string::npos) << ini;
}

TEST(ConfigHelpers, SplitAndFormat) {
  EXPECT_EQ(SplitList(" a, b ,,c "), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(SplitList("").empty());
  EXPECT_EQ(FormatDouble(0.1), "0.1");
  EXPECT_EQ(FormatDouble(-3.0), "-3");
  EXPECT_EQ(FormatDouble(-60.0), "-60");
  EXPECT_EQ(FormatDouble(192000.0), "192000");
  EXPECT_EQ(FormatDouble(1e-4), "1e-04");
  EXPECT_EQ(std::stod(FormatDouble(1.0 / 3.0)), 1.0 / 3.0);
}

TEST_F(ConfigTest, IncludedBaseAppliesWhereTheFileIsSilent) {
  testing::WriteBytes(dir_ / "base.ini",
                      "[toy]\nsnr_min_db = -5\nmode = slow\n[graph]\nprepare =\nsynth = prepare\n[sweep]\ntoy.threads = 1, 2\n");
  testing::WriteBytes(dir_ / "child.ini", "include = base.ini\n[toy]\nmode = fast\n[sweep]\ntoy.mode = fast, slow\n");
  Config config;
  auto& toy = config.AddSection<ToySection>("toy");
  config.Load(dir_ / "child.ini", {"toy.threads=4"});
  EXPECT_DOUBLE_EQ(toy.snr_min_db, -5);  // from the base
  EXPECT_EQ(toy.mode, ToySection::Mode::kFast);  // the file over its base
  EXPECT_EQ(toy.threads, 4);             // --set over both
  ASSERT_EQ(config.GraphEntries().size(), 2u);  // the base's graph: the child has none
  ASSERT_EQ(config.SweepEntries().size(), 1u);  // the child's [sweep] replaces the base's
  EXPECT_EQ(config.SweepEntries()[0].first, "toy.mode");
  EXPECT_EQ(config.SweepEntries()[0].second, "fast, slow");

  testing::WriteBytes(dir_ / "loop.ini", "include = loop.ini\n");
  EXPECT_NE(LoadError("include = loop.ini\n").find("includes itself"), std::string::npos);
  EXPECT_NE(LoadError("include = missing.ini\n").find("missing.ini: cannot read"), std::string::npos);
}

TEST_F(ConfigTest, EnvironmentVariablesInValues) {
  setenv("JSQA_TEST_MODE", "slow", 1);
  Config config;
  auto& toy = config.AddSection<ToySection>("toy");
  config.Load(Write("[toy]\nmode = ${JSQA_TEST_MODE}\n"));
  EXPECT_EQ(toy.mode, ToySection::Mode::kSlow);
  unsetenv("JSQA_TEST_MODE");
  const std::string error = LoadError("[toy]\nmode = ${JSQA_TEST_MODE}\n");
  EXPECT_NE(error.find("toy.mode"), std::string::npos) << error;
  EXPECT_NE(error.find("JSQA_TEST_MODE is not set"), std::string::npos) << error;
}

}  // namespace
}  // namespace jsqa
