#include "stages/prepare_stage.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <algorithm>
#include <cmath>
#include <random>

#include "augment/active_speech_level.h"
#include "augment/audio_io.h"
#include "pipeline/corpus/file_signal.h"
#include "tests/svg_text.h"
#include "tools/demo_corpus/demo_corpus.h"
#include "pipeline/run/graph_runner.h"
#include "pipeline/corpus/item_manifest.h"
#include "pipeline/base/text_files.h"
#include "stages/builtin_stages.h"
#include "tests/test_support.h"

namespace jsqa {
namespace {
namespace fs = std::filesystem;

class PrepareStageTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    corpus_ = new testing::TempDir();
    BuildDemoCorpus((corpus_->path() / "corpus").string());
  }
  static void TearDownTestSuite() { delete corpus_; }

  std::string Root(const std::string& relative) { return (corpus_->path() / "corpus" / relative).string(); }

  RunReport RunPrepare(const std::vector<std::string>& extra) {
    Config config;
    AddConfigSections(config);
    std::vector<std::string> overrides = {
        "graph.prepare=",
        "corpus.librispeech_root=" + Root("LibriSpeech"),
        "corpus.librispeech_subsets=train-clean-5,dev-clean-2",
        "corpus.chime3_backgrounds=" + Root("CHiME3/data/audio/16kHz/backgrounds"),
        "corpus.nisqa_root=" + Root("NISQA_Corpus"),
        "prepare.check=decode",
    };
    overrides.insert(overrides.end(), extra.begin(), extra.end());
    config.Load("", overrides);
    StageRegistry registry;
    RegisterBuiltinStages(registry);
    const StageGraph graph(config.GraphEntries(), registry);
    return RunGraph(config, graph, registry, {run_dir_.path().string(), {}, false});
  }

  static testing::TempDir* corpus_;
  testing::TempDir run_dir_;
};

testing::TempDir* PrepareStageTest::corpus_ = nullptr;

TEST_F(PrepareStageTest, IndexesEveryCorpusOfTheDemo) {
  const RunReport report = RunPrepare({});
  ASSERT_TRUE(report.ok()) << report.stages[0].error;
  const std::string folder = report.stages[0].folder;
  const auto speech = ReadItemManifest(folder + "/speech.tsv");
  const auto noise = ReadItemManifest(folder + "/noise.tsv");
  const auto nisqa = ReadItemManifest(folder + "/nisqa.tsv");
  EXPECT_GE(speech.size(), 10u);
  EXPECT_GE(noise.size(), 2u);
  EXPECT_GE(nisqa.size(), 10u);
  bool has_48k = false;
  for (const ManifestItem& item : speech) {
    EXPECT_TRUE(fs::path(item.item.path).is_absolute());
    EXPECT_GT(item.DurationSeconds(), 0.1);
    has_48k = has_48k || item.sample_rate == 48000;
    ASSERT_NE(item.item.Tag("subset"), nullptr);
  }
  EXPECT_TRUE(has_48k) << "the demo keeps 48 kHz speech so resampling is exercised";
  for (const ManifestItem& item : nisqa) {
    EXPECT_GE(item.item.mos, 1.0);
    EXPECT_LE(item.item.mos, 5.0);
  }
  EXPECT_TRUE(fs::exists(folder + "/skipped.tsv"));
  EXPECT_NE(testing::ReadBytes(folder + "/summary.json").find("\"speech\""), std::string::npos);
}

TEST_F(PrepareStageTest, DamagedFilesAreSkippedWithTheirReasonAndTheRunGoesOn) {
  // A copy of the speech corpus with one truncated FLAC and one empty FLAC.
  const fs::path damaged = run_dir_.path() / "damaged";
  fs::create_directories(damaged);
  fs::copy(Root("LibriSpeech"), damaged / "LibriSpeech", fs::copy_options::recursive);
  std::vector<fs::path> flacs;
  for (const auto& entry : fs::recursive_directory_iterator(damaged))
    if (entry.path().extension() == ".flac") flacs.push_back(entry.path());
  std::sort(flacs.begin(), flacs.end());
  ASSERT_GE(flacs.size(), 3u);
  const std::string bytes = testing::ReadBytes(flacs[0].string());
  testing::WriteBytes(flacs[0].string(), bytes.substr(0, bytes.size() / 2));
  testing::WriteBytes(flacs[1].string(), "");

  const RunReport report = RunPrepare({"corpus.librispeech_root=" + (damaged / "LibriSpeech").string()});
  ASSERT_TRUE(report.ok());
  const std::string folder = report.stages[0].folder;
  const std::string skipped = testing::ReadBytes(folder + "/skipped.tsv");
  EXPECT_NE(skipped.find(flacs[0].filename().string()), std::string::npos) << skipped;
  EXPECT_NE(skipped.find(flacs[1].filename().string()), std::string::npos) << skipped;
  EXPECT_EQ(ReadItemManifest(folder + "/speech.tsv").size(), flacs.size() - 2);
  // summary.json counts them by reason code (prepare.check = decode): the
  // half FLAC decodes short, the empty one cannot be opened.
  const nlohmann::json summary = ReadJsonFile(folder + "/summary.json");
  const std::map<std::string, int64_t> expected = {{"truncated", 1}, {"unreadable", 1}};
  EXPECT_EQ(summary.at("speech").at("skipped_by_reason").get<decltype(expected)>(), expected) << summary.dump();
  EXPECT_EQ(summary.at("speech").at("skipped").get<int64_t>(), 2);
  // The totals over all kinds are skipped.tsv's code column, counted.
  std::map<std::string, int64_t> listed;
  std::istringstream rows(skipped);
  std::string row;
  std::getline(rows, row);  // header: where, code, reason
  while (std::getline(rows, row)) {
    const size_t code = row.find('\t') + 1;
    ++listed[row.substr(code, row.find('\t', code) - code)];
  }
  EXPECT_EQ(summary.at("skipped_by_reason").get<decltype(listed)>(), listed) << summary.dump();
  EXPECT_EQ(summary.at("skipped_total").get<int64_t>(), 2) << skipped;
}

TEST_F(PrepareStageTest, ManifestIsIdenticalForAnyThreadCount) {
  const RunReport one = RunPrepare({"prepare.threads=1", "prepare.min_seconds=0.2"});
  const std::string first = testing::ReadBytes(one.stages[0].folder + "/speech.tsv");
  fs::remove_all(run_dir_.path());
  const RunReport two = RunPrepare({"prepare.threads=2", "prepare.min_seconds=0.2"});
  // Thread counts are not part of the key: the same folder is produced, with the same bytes.
  EXPECT_EQ(one.stages[0].key, two.stages[0].key);
  EXPECT_EQ(testing::ReadBytes(two.stages[0].folder + "/speech.tsv"), first);
  // The signal measures and the report they make, too.
  for (const char* name : {"signal.tsv", "report.md", "report-speech-level.svg"})
    EXPECT_EQ(testing::ReadBytes(two.stages[0].folder + "/" + name), testing::ReadBytes(one.stages[0].folder + "/" + name))
        << name;
}

// What the corpus report exists to show, on real recordings: beside the
// demo's LibriSpeech, a plain speech folder ("odd") holding a file of
// 16-bit dither alone, one of 3 s of silence before 1 s of speech, one
// clipped at the source and one with a DC offset; a noise folder ("hum")
// whose recording has a 200 ms digital dropout.
TEST_F(PrepareStageTest, CorpusReportShowsTheFilesAResearcherMustSee) {
  const Audio speech = ReadAudio(testing::LibrivoxClips().at(0));
  const int rate = speech.sample_rate;
  const fs::path odd = run_dir_.path() / "speech" / "odd";
  fs::create_directories(odd);
  std::mt19937 random(11);
  std::vector<float> dither(4 * rate);
  for (float& x : dither) x = static_cast<float>(static_cast<int>(random() % 3) - 1) / 32768.0f;
  WriteAudio((odd / "dither.flac").string(), dither, rate);
  std::vector<float> late(3 * rate, 0.0f);
  late.insert(late.end(), speech.samples.begin(), speech.samples.begin() + rate);
  WriteAudio((odd / "late.flac").string(), late, rate);
  // The clip has a small offset of its own (about 0.007): centred first, so
  // that only offset.flac goes over the report's limit.
  double mean = 0.0;
  for (const float x : speech.samples) mean += x;
  mean /= static_cast<double>(speech.samples.size());
  std::vector<float> clipped = speech.samples, offset = speech.samples;
  for (float& x : clipped) x = std::clamp(8.0f * (x - static_cast<float>(mean)), -1.0f, 1.0f);
  for (float& x : offset) x = 0.5f * (x - static_cast<float>(mean)) + 0.05f;
  WriteAudio((odd / "clipped.flac").string(), clipped, rate);
  WriteAudio((odd / "offset.flac").string(), offset, rate);
  const fs::path hum = run_dir_.path() / "noise" / "hum";
  fs::create_directories(hum);
  const Audio noise = ReadAudio(testing::AlsaNoise());
  std::vector<float> gapped = noise.samples;
  std::fill(gapped.begin() + noise.sample_rate, gapped.begin() + noise.sample_rate * 6 / 5, 0.0f);
  WriteAudio((hum / "gapped.wav").string(), gapped, noise.sample_rate);

  // Two speech sources with different tags (LibriSpeech's subset, reader,
  // chapter; the folder's env) share one speech.tsv.
  const RunReport report = RunPrepare({"corpus.speech_folder=" + (run_dir_.path() / "speech").string(),
                                       "corpus.noise_folder=" + (run_dir_.path() / "noise").string()});
  ASSERT_TRUE(report.ok()) << report.stages[0].error;
  const std::string folder = report.stages[0].folder;

  // Per file, in signal.tsv.
  std::map<std::string, FileSignal> measured;
  for (const FileSignalRow& row : ReadFileSignals(folder + "/signal.tsv")) measured[row.kind + " " + row.id] = row.signal;
  EXPECT_EQ(measured.size(), ReadItemManifest(folder + "/speech.tsv").size() +
                                 ReadItemManifest(folder + "/noise.tsv").size() +
                                 ReadItemManifest(folder + "/nisqa.tsv").size());
  const FileSignal& silent = measured.at("speech odd/dither");
  EXPECT_TRUE(std::isinf(silent.active_level_db));
  EXPECT_EQ(silent.activity, 0.0);
  EXPECT_NEAR(measured.at("speech odd/late").activity, 0.25 * MeasureActiveSpeechLevel(speech.samples.data(), rate, rate).activity, 0.01);
  EXPECT_GT(measured.at("speech odd/clipped").clipped_runs, 0);
  EXPECT_EQ(measured.at("speech odd/offset").clipped_runs, 0);
  EXPECT_NEAR(measured.at("speech odd/offset").dc_offset, 0.05, 0.002);
  EXPECT_NEAR(measured.at("noise hum/gapped").longest_zero_run_s, 0.2, 0.001);

  // In report.md: the plain folder's row counts one file without activity,
  // one clipped, one with a DC offset; the noise folder's one dropout; the
  // quietest speech file is the dither.
  const std::string text = testing::ReadBytes(folder + "/report.md");
  const auto row_of = [&](const std::string& start) {
    const size_t at = text.find(start);
    return at == std::string::npos ? std::string() : text.substr(at, text.find('\n', at) - at);
  };
  const std::string odd_signal = row_of("| odd | -");
  ASSERT_FALSE(odd_signal.empty()) << text;
  const std::vector<std::string> cells = [&] {
    std::vector<std::string> split;
    std::istringstream in(odd_signal);
    std::string cell;
    while (std::getline(in, cell, '|')) split.push_back(cell);
    return split;
  }();
  ASSERT_EQ(cells.size(), 8u) << odd_signal;  // "", group, level, activity, no activity, clipped, DC, dropouts
  EXPECT_EQ(cells[4], " 1 ");
  EXPECT_EQ(cells[5], " 1 ");
  EXPECT_EQ(cells[6], " 1 ");
  // The noise folder's signal row (its level column starts with "-"), not
  // its files row, whose file count is 1 too: the last cell, dropouts, is 1.
  const std::string hum_signal = row_of("| hum | -");
  ASSERT_GE(hum_signal.size(), 5u) << text;
  EXPECT_EQ(hum_signal.substr(hum_signal.size() - 5), "| 1 |") << hum_signal;
  const size_t quietest = text.find("Quietest files:");
  ASSERT_NE(quietest, std::string::npos);
  EXPECT_NE(text.find("| `odd/dither` | odd | -inf | 0.00 |", quietest), std::string::npos) << text;
  EXPECT_LT(text.find("| `odd/dither`", quietest), text.find("Loudest files:", quietest));
  EXPECT_NE(text.find("| train-clean-5 | "), std::string::npos);
  for (const char* plot : {"report-speech-duration", "report-speech-level", "report-speech-activity",
                           "report-noise-level", "report-nisqa-duration"}) {
    EXPECT_NE(text.find(std::string("(") + plot + ".png)"), std::string::npos) << plot;
    EXPECT_TRUE(fs::exists(folder + "/" + plot + ".png")) << plot;
  }
  // The level histogram's legend counts the files with a level: the
  // dither has none.
  const std::vector<std::string> legend = testing::SvgTexts(folder + "/report-speech-level.svg");
  EXPECT_EQ(testing::CountText(legend, "odd (3)"), 1u);
}

// Headers only: no signal measures, and the report says how to get them.
TEST_F(PrepareStageTest, CorpusReportWithoutDecodingSaysWhatItLacks) {
  const RunReport report = RunPrepare({"prepare.check=header"});
  ASSERT_TRUE(report.ok()) << report.stages[0].error;
  const std::string folder = report.stages[0].folder;
  EXPECT_FALSE(fs::exists(folder + "/signal.tsv"));
  EXPECT_FALSE(fs::exists(folder + "/report-speech-level.png"));
  const std::string text = testing::ReadBytes(folder + "/report.md");
  EXPECT_NE(text.find("set prepare.check = decode"), std::string::npos) << text;
  EXPECT_EQ(text.find("Quietest files"), std::string::npos) << text;
  EXPECT_NE(text.find("| dev-clean-2 | "), std::string::npos) << text;
  EXPECT_TRUE(fs::exists(folder + "/report-speech-duration.png"));
}

TEST_F(PrepareStageTest, NoCorpusConfiguredIsAUsageError) {
  const RunReport report = RunPrepare({"corpus.librispeech_root=", "corpus.chime3_backgrounds=", "corpus.nisqa_root="});
  EXPECT_FALSE(report.ok());
  EXPECT_NE(report.stages[0].error.find("no corpus configured"), std::string::npos);
}

}  // namespace
}  // namespace jsqa
