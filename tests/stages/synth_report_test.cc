// The report of a synthesis folder (report.md and its histograms), checked
// against figures recomputed from the shards themselves: a real small
// synthesis from LibriVox clips and two noise environments.
#include "pipeline/synthesis/synth_report.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>

#include "pipeline/base/config.h"
#include "pipeline/base/error.h"
#include "pipeline/base/text_files.h"
#include "pipeline/corpus/corpus_config.h"
#include "pipeline/corpus/corpus_index.h"
#include "pipeline/shards/shard_io.h"
#include "pipeline/synthesis/synthesis.h"
#include "stages/builtin_stages.h"
#include "tests/svg_text.h"
#include "tests/test_support.h"

namespace jsqa {
namespace {
namespace fs = std::filesystem;

// The synthesised folder, shared by the suite's tests: one run of a few
// seconds.
class SynthReportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    const fs::path root = dir_->path();
    for (const char* sub : {"speech", "noise/NOI", "noise/SPK"}) fs::create_directories(root / sub);
    for (int i = 0; i < 4; ++i)
      fs::copy_file(testing::LibrivoxClips()[i], root / ("speech/" + std::to_string(i) + ".wav"));
    // Noise folders name their environments: NOI (alsa's noise), SPK (babble).
    fs::copy_file(testing::AlsaNoise(), root / "noise/NOI/noise.wav");
    fs::copy_file(testing::LibrivoxClips()[4], root / "noise/SPK/babble.wav");
    CorpusConfig sources;
    sources.speech_folder = (root / "speech").string();
    sources.noise_folder = (root / "noise").string();
    speech_ = new std::vector<ManifestItem>(IndexCorpus(CorpusKind::kSpeech, sources, {}).items);
    noise_ = new std::vector<ManifestItem>(IndexCorpus(CorpusKind::kNoise, sources, {}).items);
    folder_ = new std::string((root / "out").string());
    summary_ = new nlohmann::json(Synthesize(*folder_));
  }
  static void TearDownTestSuite() {
    delete summary_;
    delete folder_;
    delete noise_;
    delete speech_;
    delete dir_;
  }

  // Synthesises into folder; in a copy of the suite's folder this only
  // checks the shards and writes the manifest and report again.
  static nlohmann::json Synthesize(const std::string& folder) {
    Config config;
    AddConfigSections(config);
    config.Load("", {"jnd.svm_model=" + testing::SourceDir() + "/configs/jnd-svm.model", "synth.segment_seconds=1",
                     "synth.pairs_per_shard=4", "synth.threads=2"});
    return RunSynthesis(config, *speech_, *noise_, folder, {});
  }

  static testing::TempDir* dir_;
  static std::vector<ManifestItem>* speech_;
  static std::vector<ManifestItem>* noise_;
  static std::string* folder_;
  static nlohmann::json* summary_;
};

testing::TempDir* SynthReportTest::dir_ = nullptr;
std::vector<ManifestItem>* SynthReportTest::speech_ = nullptr;
std::vector<ManifestItem>* SynthReportTest::noise_ = nullptr;
std::string* SynthReportTest::folder_ = nullptr;
nlohmann::json* SynthReportTest::summary_ = nullptr;

std::string Fixed2(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", value);
  return text;
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

TEST_F(SynthReportTest, EnvironmentRowsHoldTheFiguresOfTheShardsPairs) {
  ASSERT_TRUE((*summary_)["complete"].get<bool>());
  const int shards = (*summary_)["shard_count"];
  ASSERT_GE(shards, 2);
  // Per environment (the noise id's folder), from every stored pair.
  std::map<std::string, std::vector<double>> snr, delta;
  for (int index = 0; index < shards; ++index) {
    const ShardReader reader(fs::path(*folder_) / ShardFileName(index, shards));
    for (int64_t i = 0; i < reader.pairs(); ++i) {
      const JndPair pair = reader.Read(i);
      const std::string environment = pair.noise_id.substr(0, pair.noise_id.find('/'));
      snr[environment].insert(snr[environment].end(), {pair.snr_a_db, pair.snr_b_db});
      delta[environment].push_back(std::abs(pair.snr_a_db - pair.snr_b_db));
    }
  }
  ASSERT_EQ(snr.size(), 2u) << "pairs from both environments";
  const std::string report = ReadTextFile(fs::path(*folder_) / "report.md");
  const nlohmann::json& totals = (*summary_)["totals"]["by_environment"];
  for (const auto& [environment, values] : snr) {
    SCOPED_TRACE(environment);
    const auto& d = delta.at(environment);
    const int64_t draws = totals.at(environment).at("draws"), accepted = totals.at(environment).at("accepted");
    char rate[32];
    std::snprintf(rate, sizeof rate, "%.1f %%", 100.0 * accepted / draws);
    const std::string row = "| " + environment + " | " + std::to_string(d.size()) + " | " + std::to_string(draws) +
                            " | " + std::to_string(accepted) + " | " + rate + " | " + Fixed2(Median(values)) + " | " +
                            Fixed2(*std::min_element(values.begin(), values.end())) + " | " +
                            Fixed2(*std::max_element(values.begin(), values.end())) + " | " + Fixed2(Median(d)) +
                            " | " + Fixed2(*std::min_element(d.begin(), d.end())) + " | " +
                            Fixed2(*std::max_element(d.begin(), d.end())) + " |\n";
    EXPECT_NE(report.find(row), std::string::npos) << row << "\nnot in\n" << report;
  }
  const int64_t pairs = (*summary_)["totals"]["pairs"];
  EXPECT_NE(report.find("- pairs: " + std::to_string(pairs) + " in " + std::to_string(shards) + " shards"),
            std::string::npos)
      << report;
  for (const char* line : {"- sample rate: 16000 Hz; segments of 1 s (16000 samples)", "- level rule: rms",
                           "- SNR mode: segment", "- JND SVM: model sha256 `"})
    EXPECT_NE(report.find(line), std::string::npos) << line << "\n" << report;
  // inspect prints the same text.
  EXPECT_EQ(SynthReportMarkdown(*folder_), report);
}

TEST_F(SynthReportTest, EveryLinkedPlotExistsWithItsTitleAndGroups) {
  const std::string report = ReadTextFile(fs::path(*folder_) / "report.md");
  const std::string pairs = std::to_string((*summary_)["totals"]["pairs"].get<int64_t>());
  const std::map<std::string, std::vector<std::string>> legends = {
      {"snr", {"Realised SNR of the mixtures A and B", "A (" + pairs + ")", "B (" + pairs + ")", "SNR, dB"}},
      {"delta", {"Δ = |SNR A − SNR B| per noise environment", "Δ, dB"}},
      {"gain", {"Output gains of A and B, 20·log10(gain)", "A (" + pairs + ")", "gain, dB"}},
      {"p-same", {"SVM's P(same) of the accepted pairs per noise environment", "P(same)"}}};
  for (const auto& [name, texts] : legends) {
    SCOPED_TRACE(name);
    EXPECT_NE(report.find("](report-" + name + ".png)"), std::string::npos) << report;
    EXPECT_TRUE(fs::exists(fs::path(*folder_) / ("report-" + name + ".png")));
    const std::vector<std::string> svg = testing::SvgTexts(fs::path(*folder_) / ("report-" + name + ".svg"));
    for (const std::string& text : texts) EXPECT_EQ(testing::CountText(svg, text), 1u) << text;
  }
  // Δ's groups are the environments, each with its pair count.
  const std::vector<std::string> delta = testing::SvgTexts(fs::path(*folder_) / "report-delta.svg");
  const auto starts = [&](const std::string& prefix) {
    return std::count_if(delta.begin(), delta.end(), [&](const std::string& t) { return t.rfind(prefix, 0) == 0; });
  };
  EXPECT_EQ(starts("NOI ("), 1);
  EXPECT_EQ(starts("SPK ("), 1);
}

TEST_F(SynthReportTest, AReportThatCannotBeWrittenLeavesTheSetComplete) {
  testing::TempDir dir;
  const fs::path copy = dir.path() / "out";
  fs::copy(*folder_, copy);
  // report.md cannot be renamed over a folder of that name.
  fs::remove(copy / "report.md");
  fs::create_directories(copy / "report.md/kept");
  fs::remove(copy / "manifest.json");
  const nlohmann::json summary = Synthesize(copy.string());
  EXPECT_TRUE(summary["complete"].get<bool>());
  EXPECT_EQ(ReadTextFile(copy / "manifest.json"), ReadTextFile(fs::path(*folder_) / "manifest.json"));
  EXPECT_TRUE(fs::is_directory(copy / "report.md/kept"));
}

TEST_F(SynthReportTest, AManifestWithoutEnvironmentsGroupsPairsByNoiseRecordingAndSaysSo) {
  testing::TempDir dir;
  const fs::path copy = dir.path() / "out";
  fs::copy(*folder_, copy);
  nlohmann::json manifest = ReadJsonFile(copy / "manifest.json");
  manifest.erase("noise_environments");
  WriteFileAtomically(copy / "manifest.json", manifest.dump(2));
  const std::string report = SynthReportMarkdown(copy.string());
  EXPECT_NE(report.find("records no noise environments"), std::string::npos) << report;
  // Acceptance rows per environment without pairs, pair rows per noise id without draws.
  EXPECT_NE(report.find("| NOI | 0 | "), std::string::npos) << report;
  EXPECT_NE(report.find("| NOI/noise | "), std::string::npos) << report;
  EXPECT_NE(report.find("| SPK/babble | "), std::string::npos) << report;
}

TEST(SynthReportFolderTest, AFolderWithoutManifestIsNamedAsIncomplete) {
  testing::TempDir dir;
  try {
    SynthReportMarkdown(dir.path().string());
    ADD_FAILURE() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(dir.path().string() + ": no manifest.json"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace jsqa
