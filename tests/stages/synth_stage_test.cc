// JND-pair synthesis on the demo corpus: exact SNRs, Δ ranges, determinism
// across threads, jobs and noise budgets, resume, bad input.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "augment/audio_io.h"
#include "augment/degradations/band_limit.h"
#include "augment/mix.h"
#include "augment/resampler.h"
#include "pipeline/corpus/corpus_index.h"
#include "tools/demo_corpus/demo_corpus.h"
#include "pipeline/synthesis/pair_batches.h"
#include "pipeline/base/error.h"
#include "pipeline/base/sha256.h"
#include "pipeline/base/text_files.h"
#include "pipeline/shards/shard_io.h"
#include "pipeline/synthesis/audio_config.h"
#include "pipeline/synthesis/synth_config.h"
#include "pipeline/synthesis/synth_plan.h"
#include "pipeline/synthesis/synthesis.h"
#include "stages/builtin_stages.h"
#include "tests/test_support.h"

namespace jsqa {
namespace {
namespace fs = std::filesystem;

class SynthTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    corpus_ = new testing::TempDir();
    BuildDemoCorpus((corpus_->path() / "corpus").string());
    CorpusConfig sources;
    sources.librispeech_root = (corpus_->path() / "corpus/LibriSpeech").string();
    sources.librispeech_subsets = "train-clean-5,dev-clean-2";
    sources.chime3_backgrounds = (corpus_->path() / "corpus/CHiME3/data/audio/16kHz/backgrounds").string();
    speech_ = new std::vector<ManifestItem>(IndexCorpus(CorpusKind::kSpeech, sources, {}).items);
    noise_ = new std::vector<ManifestItem>(IndexCorpus(CorpusKind::kNoise, sources, {}).items);
  }
  static void TearDownTestSuite() {
    delete speech_;
    delete noise_;
    delete corpus_;
  }

  // Short segments and small shards: many items and several shards from a
  // small corpus.
  std::unique_ptr<Config> MakeConfig(const std::vector<std::string>& extra = {}) {
    auto config = std::make_unique<Config>();
    AddConfigSections(*config);
    std::vector<std::string> overrides = {
        "jnd.svm_model=" + testing::SourceDir() + "/configs/jnd-svm.model",
        "synth.segment_seconds=1", "synth.pairs_per_shard=9", "synth.store_components=true", "synth.threads=2"};
    overrides.insert(overrides.end(), extra.begin(), extra.end());
    config->Load("", overrides);
    return config;
  }

  nlohmann::json Synthesize(const std::string& out, const std::vector<std::string>& extra = {}, SynthJob job = {},
                            const std::vector<ManifestItem>* speech = nullptr) {
    const auto config = MakeConfig(extra);
    return RunSynthesis(*config, speech ? *speech : *speech_, *noise_, out, job);
  }

  // Every file of a folder, name → bytes.
  static std::map<std::string, std::string> Files(const std::string& dir) {
    std::map<std::string, std::string> files;
    for (const auto& entry : fs::directory_iterator(dir))
      files[entry.path().filename().string()] = testing::ReadBytes(entry.path().string());
    return files;
  }

  static testing::TempDir* corpus_;
  static std::vector<ManifestItem>* speech_;
  static std::vector<ManifestItem>* noise_;
  testing::TempDir dir_;
};

testing::TempDir* SynthTest::corpus_ = nullptr;
std::vector<ManifestItem>* SynthTest::speech_ = nullptr;
std::vector<ManifestItem>* SynthTest::noise_ = nullptr;

TEST_F(SynthTest, StoredPairsHaveTheirRecordedSnrsAndDeltaInRange) {
  const nlohmann::json summary = Synthesize(dir_ / "out", {"jnd.delta_min_db=1", "jnd.delta_max_db=2.5"});
  ASSERT_TRUE(summary["complete"].get<bool>());
  const int shards = summary["shard_count"];
  ASSERT_GE(shards, 2);
  int64_t pairs = 0;
  for (int index = 0; index < shards; ++index) {
    const ShardReader reader(dir_ / ("out/" + ShardFileName(index, shards)));
    EXPECT_EQ(reader.info().segment_samples, 16000);
    for (int64_t i = 0; i < reader.pairs(); ++i, ++pairs) {
      const JndPair pair = reader.Read(i);
      EXPECT_NEAR(SnrDb(pair.clean, pair.noise_a), pair.snr_a_db, 0.01) << pair.utterance_id;
      EXPECT_NEAR(SnrDb(pair.clean, pair.noise_b), pair.snr_b_db, 0.01) << pair.utterance_id;
      const double delta = std::abs(pair.snr_b_db - pair.snr_a_db);
      EXPECT_GE(delta, 1.0 - 0.01);
      EXPECT_LE(delta, 2.5 + 0.01);
      EXPECT_GE(pair.snr_a_db, -5.0 - 0.01);
      EXPECT_LE(pair.snr_a_db, 20.0 + 0.01);
      // Both mixtures at the same level (-25 dBFS unless peak-limited together).
      EXPECT_NEAR(RmsDbfs(pair.a), RmsDbfs(pair.b), 0.05);
      EXPECT_GE(pair.jnd_probability, 0.5);
    }
  }
  EXPECT_EQ(pairs, summary["totals"]["pairs"].get<int64_t>());
  EXPECT_GT(pairs, 20);
  // The manifest's checksums are the files' SHA-256.
  std::ifstream in(dir_ / "out/manifest.json");
  const nlohmann::json manifest = nlohmann::json::parse(in);
  ASSERT_EQ(manifest["shards"].size(), static_cast<size_t>(shards));
  for (const auto& shard : manifest["shards"])
    EXPECT_EQ(shard["sha256"].get<std::string>(), Sha256File(dir_ / ("out/" + shard["file"].get<std::string>())));
  EXPECT_GT(manifest["totals"]["acceptance_rate"].get<double>(), 0.5);
  EXPECT_TRUE(manifest["totals"]["by_environment"].size() >= 2);
}

TEST_F(SynthTest, SameBytesForAnyThreadCountJobSplitAndNoiseBudget) {
  Synthesize(dir_ / "one", {"synth.threads=1"});
  const auto reference = Files(dir_ / "one");
  // The report and its plots are part of the folder, compared like the shards.
  for (const char* name : {"report.md", "report-snr.png", "report-delta.svg"}) EXPECT_TRUE(reference.count(name)) << name;
  Synthesize(dir_ / "two", {"synth.threads=2"});
  EXPECT_EQ(Files(dir_ / "two"), reference);
  // Three jobs, each its own shards, in one folder: the union is the same.
  for (int job = 0; job < 3; ++job) Synthesize(dir_ / "three", {}, SynthJob{job, 3});
  EXPECT_EQ(Files(dir_ / "three"), reference);
  // Noise read from disk per pair instead of cached: the same samples.
  Synthesize(dir_ / "streamed", {"synth.noise_cache_mb=0"});
  EXPECT_EQ(Files(dir_ / "streamed"), reference);
}

// Pairs on chains: noise alone or noise, a lowpass and clipping, differing
// in SNR, in cut-off or in clipping level.
const std::vector<std::string> kChainSettings = {
    "jnd.chains=noise:1, noise>lowpass>clipping:2", "jnd.dimensions=snr:1, cutoff:1, clip_threshold:1",
    "degrade.lowpass_min=2000", "degrade.lowpass_max=6000", "degrade.clipping_min=0.2"};

TEST_F(SynthTest, ChainPairsDifferInTheirOneDimensionAndRecordEveryStep) {
  const nlohmann::json summary = Synthesize(dir_ / "out", kChainSettings);
  std::map<std::string, int> pairs_by_dimension;
  for (int index = 0; index < summary["shard_count"].get<int>(); ++index) {
    const ShardReader reader(dir_ / ("out/" + ShardFileName(index, summary["shard_count"].get<int>())));
    EXPECT_EQ(reader.info().schema_version, 2);
    for (int64_t i = 0; i < reader.pairs(); ++i) {
      const JndPair pair = reader.Read(i);
      SCOPED_TRACE(pair.utterance_id + " " + pair.dimension + " " + pair.steps_a + " / " + pair.steps_b);
      ++pairs_by_dimension[pair.dimension];
      const nlohmann::json a = nlohmann::json::parse(pair.steps_a), b = nlohmann::json::parse(pair.steps_b);
      // Both mixtures at the level rule's level after the chain, too.
      EXPECT_NEAR(RmsDbfs(pair.a), RmsDbfs(pair.b), 0.05);
      if (pair.chain == "noise") {
        EXPECT_EQ(a, nlohmann::json::array());
        EXPECT_EQ(pair.dimension, "snr");
        continue;
      }
      ASSERT_EQ(pair.chain, "noise>lowpass>clipping");
      ASSERT_EQ(a.size(), 2u);
      ASSERT_EQ(b.size(), 2u);
      EXPECT_EQ(a[0]["degradation"], "lowpass");
      EXPECT_EQ(a[1]["degradation"], "clipping");
      EXPECT_GT(a[1]["realised"]["clipped_fraction"].get<double>(), 0.0);
      const double cutoff_a = a[0]["strength"], cutoff_b = b[0]["strength"];
      const double clip_a = a[1]["strength"], clip_b = b[1]["strength"];
      EXPECT_GE(cutoff_a, 2000.0);
      EXPECT_LE(cutoff_a, 6000.0);
      if (pair.dimension == "snr") {
        // The same steps; what they realise (the clipped fraction) follows
        // each mixture.
        EXPECT_EQ(cutoff_a, cutoff_b);
        EXPECT_EQ(clip_a, clip_b);
        EXPECT_GT(std::abs(pair.snr_a_db - pair.snr_b_db), 0.0);
      } else {
        // The same SNR, the same noise; one step moved by at most its Δ.
        EXPECT_NEAR(pair.snr_a_db, pair.snr_b_db, 1e-9);
        if (pair.dimension == "cutoff") {
          const double bark = std::abs(HzToBark(cutoff_b) - HzToBark(cutoff_a));
          EXPECT_GT(bark, 0.0);
          EXPECT_LE(bark, 1.0 + 1e-9);
          EXPECT_EQ(clip_a, clip_b);
        } else {
          ASSERT_EQ(pair.dimension, "clip_threshold");
          const double db = std::abs(20.0 * std::log10(clip_b / clip_a));
          EXPECT_GT(db, 0.0);
          EXPECT_LE(db, 2.0 + 1e-9);
          EXPECT_EQ(cutoff_a, cutoff_b);
        }
        EXPECT_EQ(pair.jnd_probability, 1.0) << "the SNR model does not judge other dimensions";
      }
    }
  }
  for (const char* dimension : {"snr", "cutoff", "clip_threshold"}) {
    EXPECT_GT(pairs_by_dimension[dimension], 3) << dimension;
    const nlohmann::json& counted = summary["totals"]["by_dimension"][dimension];
    EXPECT_EQ(counted["accepted"].get<int>(), pairs_by_dimension[dimension]) << dimension;
    if (std::string(dimension) != "snr") {
      EXPECT_EQ(counted["unjudged"], counted["accepted"]) << dimension;
    }
  }
  // The report gives them per dimension and per chain.
  const std::string report = testing::ReadBytes(dir_ / "out/report.md");
  EXPECT_NE(report.find("## JND dimensions and chains"), std::string::npos) << report;
  EXPECT_NE(report.find("| cutoff | " + std::to_string(pairs_by_dimension["cutoff"]) + " |"), std::string::npos)
      << report;
  EXPECT_NE(report.find("| `noise>lowpass>clipping` |"), std::string::npos) << report;
  // The same bytes for another thread count and job split.
  Synthesize(dir_ / "one", [] {
    std::vector<std::string> settings = kChainSettings;
    settings.push_back("synth.threads=1");
    return settings;
  }());
  EXPECT_EQ(Files(dir_ / "one"), Files(dir_ / "out"));
  for (int job = 0; job < 2; ++job) Synthesize(dir_ / "two", kChainSettings, SynthJob{job, 2});
  EXPECT_EQ(Files(dir_ / "two"), Files(dir_ / "out"));
}

// A step that cannot be made for a pair (GSM-FR has one mode, so a
// codec_mode pair on it cannot move) is counted as failed for its
// dimension, and the segment draws again: the run goes on.
TEST_F(SynthTest, AChainStepThatFailsIsCountedAndTheRunGoesOn) {
  const nlohmann::json summary =
      Synthesize(dir_ / "out", {"jnd.chains=noise:1, noise>gsm_fr:1", "jnd.dimensions=snr:1, codec_mode:1"});
  ASSERT_TRUE(summary["complete"].get<bool>());
  const nlohmann::json& codec_mode = summary["totals"]["by_dimension"]["codec_mode"];
  EXPECT_GT(codec_mode["failed"].get<int>(), 0);
  EXPECT_EQ(codec_mode["accepted"].get<int>(), 0);
  EXPECT_EQ(codec_mode["failed"], codec_mode["draws"]);
  EXPECT_GT(summary["totals"]["by_dimension"]["snr"]["accepted"].get<int>(), 10);
  EXPECT_GT(summary["totals"]["pairs"].get<int>(), 10);
}

// C50 has a published JND (Bradley et al. 1999): without an SVM of its
// own, its pairs are judged by that prior, and none is unjudged.
TEST_F(SynthTest, C50PairsAreJudgedByThePublishedPrior) {
  const nlohmann::json summary =
      Synthesize(dir_ / "out", {"jnd.chains=noise>reverb", "jnd.dimensions=c50", "jnd.deltas=c50:2"});
  ASSERT_TRUE(summary["complete"].get<bool>());
  const nlohmann::json& c50 = summary["totals"]["by_dimension"]["c50"];
  EXPECT_GT(c50["accepted"].get<int>(), 0) << c50;
  EXPECT_EQ(c50["unjudged"].get<int>(), 0) << c50;
  // Δ up to 2 dB against a 1.1 dB JND: the prior turns some draws away.
  EXPECT_GT(c50["draws"].get<int>(), c50["accepted"].get<int>() + c50["failed"].get<int>()) << c50;
}

TEST_F(SynthTest, BadChainsAndRangesAreRefusedNamingTheKey) {
  const auto refused = [&](const std::vector<std::string>& settings, const std::string& expected) {
    try {
      MakeConfig(settings);
      ADD_FAILURE() << "accepted: " << settings.front();
    } catch (const UsageError& error) {
      EXPECT_NE(std::string(error.what()).find(expected), std::string::npos) << error.what();
    }
  };
  refused({"jnd.chains=noise>vinyl"}, "jnd.chains: chain 'noise>vinyl' names unknown degradation 'vinyl'");
  refused({"jnd.chains=lowpass>noise"}, "jnd.chains: chain 'lowpass>noise' must start with noise");
  refused({"jnd.dimensions=snr, cutoff"}, "jnd.dimensions: no chain in jnd.chains has a step that varies 'cutoff'");
  refused({"jnd.dimensions=warmth"}, "jnd.dimensions: unknown JND dimension 'warmth'");
  refused({"jnd.chains=noise>lowpass", "jnd.deltas=snr:2"}, "jnd.deltas: the SNR's Δ is set by jnd.delta_min_db");
  refused({"degrade.clipping_min=2"}, "degrade.clipping_min");
  refused({"jnd.svm_models=snr:x.svm"}, "jnd.svm_models = snr:x.svm: the snr dimension's SVM is jnd.svm_model");
  refused({"jnd.svm_models=warmth:x.svm"}, "unknown JND dimension 'warmth'");
  refused({"jnd.svm_models=codec_mode"}, "'codec_mode' is not DIMENSION:FILE");
  refused({"degrade.lowpass_min=5000", "degrade.lowpass_max=4000"}, "the minimum is above the maximum");
}

// synth.max_speech_hours: a learning curve's amounts of data. A larger cap
// keeps every utterance a smaller one took; the rest are accounted for.
TEST_F(SynthTest, ASpeechCapTakesNestedSubsetsAndListsTheRest) {
  double total_seconds = 0.0;
  for (const ManifestItem& item : *speech_) total_seconds += item.DurationSeconds();
  std::vector<std::set<std::string>> taken;
  int64_t smallest_items = 0;
  for (const double fraction : {0.3, 0.6, 1.0}) {
    SynthConfig config;
    config.segment_seconds = 1;
    config.max_speech_hours = fraction * total_seconds / 3600.0;
    const SynthPlan plan(*speech_, 16000, config);
    if (taken.empty()) smallest_items = plan.items();
    std::set<std::string> skipped;
    for (const SkippedEntry& entry : plan.skipped()) {
      EXPECT_EQ(entry.code, SkipReason::kOverDataCap) << entry.where;
      skipped.insert(entry.where);
    }
    std::set<std::string> used;
    double used_seconds = 0.0;
    for (const ManifestItem& item : *speech_)
      if (!skipped.count(item.item.path)) {
        used.insert(item.item.path);
        used_seconds += item.DurationSeconds();
      }
    EXPECT_LE(used_seconds, fraction * total_seconds + 1e-6);
    EXPECT_GT(used_seconds, fraction * total_seconds - 20.0) << "within one utterance of the cap";
    for (const std::string& path : taken.empty() ? std::set<std::string>{} : taken.back()) {
      EXPECT_TRUE(used.count(path)) << path << " left a larger cap";
    }
    taken.push_back(used);
  }
  EXPECT_EQ(taken.back().size(), speech_->size());
  EXPECT_LT(taken.front().size(), speech_->size());

  const nlohmann::json summary = Synthesize(dir_ / "capped", {"synth.max_speech_hours=" + FormatDouble(0.3 * total_seconds / 3600.0)});
  EXPECT_EQ(summary["totals"]["segments"].get<int64_t>(), smallest_items);
  EXPECT_NE(testing::ReadBytes(dir_ / "capped/skipped.tsv").find("over_data_cap"), std::string::npos);
}

TEST_F(SynthTest, ARerunSkipsCompleteShardsAndRedoesDamagedOnes) {
  const nlohmann::json first = Synthesize(dir_ / "out", {"synth.store_components=false"});
  const int shards = first["shard_count"];
  ASSERT_GE(shards, 3);
  const auto reference = Files(dir_ / "out");
  // Shard 1 lost its sidecar; shard 0 was cut short; the manifest is gone.
  fs::remove(dir_ / ("out/" + ShardFileName(1, shards).replace(ShardFileName(1, shards).size() - 3, 3, ".json")));
  const std::string damaged = dir_ / ("out/" + ShardFileName(0, shards));
  fs::resize_file(damaged, fs::file_size(damaged) / 2);
  fs::remove(dir_ / "out/manifest.json");
  const nlohmann::json summary = Synthesize(dir_ / "out", {"synth.store_components=false"});
  EXPECT_EQ(summary["shards_made"].get<int>(), 2);
  EXPECT_EQ(Files(dir_ / "out"), reference);
}

TEST_F(SynthTest, KilledRunResumesToTheSameBytes) {
  const std::vector<std::string> settings = {"synth.pairs_per_shard=3", "synth.store_components=false",
                                             "synth.threads=1"};
  Synthesize(dir_ / "reference", settings);
  const auto reference = Files(dir_ / "reference");
  const std::string out = dir_ / "killed";
  // Shards that look finished: those with their sidecar (manifest.json aside).
  const auto finished = [&] {
    int count = 0;
    std::error_code error;
    for (fs::directory_iterator it(out, error), end; !error && it != end; it.increment(error))
      count += it->path().extension() == ".json" && it->path().filename() != "manifest.json";
    return count;
  };
  // Each restart is killed once it has finished one more shard than the
  // last left behind (whatever the machine's speed), then a few ms later:
  // while the next shard is open, renamed or its sidecar written.
  int finished_before = 0;
  for (int attempt = 0; attempt < 3; ++attempt) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      try {
        Synthesize(out, settings);
      } catch (...) {
      }
      ::_exit(0);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (finished() <= finished_before && !fs::exists(out + "/manifest.json") &&
           std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    std::this_thread::sleep_for(std::chrono::milliseconds(5 * attempt));
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
    ASSERT_FALSE(fs::exists(out + "/manifest.json")) << "the run finished before kill " << attempt;
    // Whatever has its final name and sidecar is complete: identical to the reference.
    int matching = 0;
    for (const auto& entry : fs::directory_iterator(out)) {
      const std::string name = entry.path().filename().string();
      if (name.size() > 3 && name.substr(name.size() - 3) == ".h5" &&
          fs::exists(fs::path(out) / (name.substr(0, name.size() - 3) + ".json"))) {
        ASSERT_TRUE(reference.count(name)) << name;
        EXPECT_EQ(testing::ReadBytes(entry.path().string()), reference.at(name)) << name;
        ++matching;
      }
    }
    EXPECT_GT(matching, finished_before) << "kill " << attempt << " came before another shard was finished";
    finished_before = matching;
  }
  Synthesize(out, settings);
  auto resumed = Files(out);
  for (auto it = resumed.begin(); it != resumed.end();)
    it = it->first.find(".tmp") != std::string::npos ? resumed.erase(it) : std::next(it);
  EXPECT_EQ(resumed, reference);
}

TEST_F(SynthTest, BadInputIsSkippedCountedAndTheRunGoesOn) {
  const fs::path bad = dir_.path() / "bad";
  fs::create_directories(bad);
  std::vector<ManifestItem> speech = *speech_;
  const auto add = [&](const std::string& id, const fs::path& path, int rate, int64_t frames) {
    ManifestItem item;
    item.item.id = id;
    item.item.path = path.string();
    item.sample_rate = rate;
    item.frames = frames;
    item.channels = 1;
    speech.push_back(item);
  };
  // Truncated FLAC (its manifest entry says the full length).
  const std::string flac = speech_->front().item.path;
  const std::string bytes = testing::ReadBytes(flac);
  testing::WriteBytes((bad / "truncated.flac").string(), bytes.substr(0, bytes.size() / 2));
  add("zz-truncated", bad / "truncated.flac", speech_->front().sample_rate, speech_->front().frames);
  // Empty file, non-audio file, NaN samples, all-zero speech.
  testing::WriteBytes((bad / "empty.wav").string(), "");
  add("zz-empty", bad / "empty.wav", 16000, 32000);
  testing::WriteBytes((bad / "text.wav").string(), "this is not audio");
  add("zz-text", bad / "text.wav", 16000, 32000);
  {
    // WriteAudio refuses NaN: write a float WAV, then overwrite one sample.
    std::vector<float> finite(32000, 0.1f);
    WriteAudio((bad / "nan.wav").string(), finite, 16000, SampleFormat::kFloat);
    std::string raw = testing::ReadBytes((bad / "nan.wav").string());
    const float nan_value = NAN;
    raw.replace(raw.size() - 4 * 100, 4, reinterpret_cast<const char*>(&nan_value), 4);
    testing::WriteBytes((bad / "nan.wav").string(), raw);
  }
  add("zz-nan", bad / "nan.wav", 16000, 32000);
  WriteAudio((bad / "silent.wav").string(), std::vector<float>(32000, 0.0f), 16000);
  add("zz-silent", bad / "silent.wav", 16000, 32000);

  const nlohmann::json summary = Synthesize(dir_ / "out", {}, {}, &speech);
  ASSERT_TRUE(summary["complete"].get<bool>());
  const nlohmann::json clean = Synthesize(dir_ / "clean");
  // Every segment the plan gives a bad file is skipped, under the file's
  // code: whole segments of its manifest length, plus a tail of at least
  // min_tail_fraction of one (2 for 32000 frames at 16 kHz and 1 s; the
  // truncated FLAC as many as its manifest entry promised).
  const auto config = MakeConfig();
  const int rate = config->Get<AudioConfig>("audio").sample_rate;
  const auto& synth = config->Get<SynthConfig>("synth");
  const int64_t segment = synth.SegmentSamples(rate);
  const auto planned = [&](const ManifestItem& item) {
    const int64_t length = ResampledLength(item.frames, item.sample_rate, rate);
    return std::max<int64_t>(1, length / segment + (length % segment >= synth.min_tail_fraction * segment ? 1 : 0));
  };
  const std::map<std::string, std::string> code_of = {{"zz-truncated", "truncated"},
                                                      {"zz-empty", "unreadable"},  // 0 bytes: no header to open
                                                      {"zz-text", "unreadable"},
                                                      {"zz-nan", "non_finite"},
                                                      {"zz-silent", "silent"}};
  // Whatever the good corpus skips by itself (the clean run) is skipped here too.
  auto expected = clean["totals"]["skipped_by_reason"].get<std::map<std::string, int64_t>>();
  for (const ManifestItem& item : speech)
    if (code_of.count(item.item.id)) expected[code_of.at(item.item.id)] += planned(item);
  const auto skipped = summary["totals"]["skipped_by_reason"].get<std::map<std::string, int64_t>>();
  EXPECT_EQ(skipped, expected) << summary["totals"].dump();
  // manifest.json, what readers of the shards see, holds the same counts.
  const nlohmann::json manifest = ReadJsonFile(dir_ / "out/manifest.json");
  EXPECT_EQ(manifest["totals"]["skipped_by_reason"].get<decltype(expected)>(), expected);
  // Every good utterance still made its pairs.
  EXPECT_EQ(summary["totals"]["pairs"], clean["totals"]["pairs"]);
}

// The speech checks (P.56 level floor, activity, gain, clipping) pass over
// no segment of the demo's real recordings, under either level rule and in
// either SNR mode: every segment is drawn for, and only the SVM can drop one.
TEST_F(SynthTest, EveryGoodSegmentOfTheDemoCorpusStillMakesAPair) {
  for (const std::vector<std::string>& settings :
       {std::vector<std::string>{"jnd.level_rule=rms"},
        std::vector<std::string>{"jnd.level_rule=active", "jnd.snr_mode=active", "jnd.skip_clipped_speech=true"}}) {
    SCOPED_TRACE(settings.front());
    std::vector<std::string> extra = settings;
    extra.push_back("synth.segment_seconds=4");
    const std::string out = dir_ / ("all-" + settings.front().substr(settings.front().find('=') + 1));
    const nlohmann::json totals = Synthesize(out, extra)["totals"];
    EXPECT_TRUE(totals["skipped_by_reason"].empty()) << totals.dump();
    EXPECT_EQ(totals["clipped_speech_files"].get<int64_t>(), 0);
    EXPECT_EQ(totals["pairs"].get<int64_t>() + totals["dropped_after_max_draws"].get<int64_t>(),
              totals["segments"].get<int64_t>());
    EXPECT_GE(totals["pairs"].get<int64_t>(), 20);  // 22 files, one 4 s segment or more each
  }
}

TEST_F(SynthTest, ShardsMadeFromOtherItemsAreNotManifestedTogether) {
  // Job 0 alone: items handed over in code, every one used; no manifest yet.
  const nlohmann::json first = Synthesize(dir_ / "out", {}, SynthJob{0, 2});
  ASSERT_FALSE(first["complete"].get<bool>());
  const nlohmann::json& sources = first["sources"];
  EXPECT_TRUE(sources["indexed_by"].is_null()) << sources.dump();
  EXPECT_EQ(sources["speech"]["used"].get<size_t>(), speech_->size());
  EXPECT_EQ(sources["speech"]["input_files"].get<size_t>(), speech_->size());
  EXPECT_EQ(sources["noise"]["used"].get<size_t>(), noise_->size());
  EXPECT_EQ(sources["skipped"].get<int>(), 0);
  EXPECT_TRUE(fs::exists(dir_ / "out/skipped.tsv"));
  // Job 1 was given a corpus in which one file has moved: the same plan and
  // shard names, other items. Its shards are made, but no manifest claims
  // both jobs' shards as one set.
  std::vector<ManifestItem> moved = *speech_;
  const fs::path copy = dir_.path() / ("moved" + fs::path(moved.back().item.path).extension().string());
  fs::copy_file(moved.back().item.path, copy);
  moved.back().item.path = copy.string();
  try {
    Synthesize(dir_ / "out", {}, SynthJob{1, 2}, &moved);
    ADD_FAILURE() << "a manifest over shards of two corpora";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("made from other speech or noise items than this job's"), std::string::npos)
        << e.what();
  }
  EXPECT_FALSE(fs::exists(dir_ / "out/manifest.json"));
}

TEST_F(SynthTest, OnTheFlyBatchesAreThePairsTheShardsHold) {
  const std::vector<std::string> settings = {"synth.sample_format=float32", "synth.store_components=false"};
  Synthesize(dir_ / "out", settings);
  const auto config = MakeConfig(settings);
  // In stored order, the shards give exactly the stream's full batches.
  auto from_disk = OpenShardBatches(dir_ / "out", 5, {}, ShardOrder{1, 0, false});
  auto on_the_fly = OpenOnTheFlyBatches(*config, *speech_, *noise_, 5);
  PairBatch stored, streamed;
  int batches = 0;
  while (from_disk->Next(stored)) {
    ASSERT_TRUE(on_the_fly->Next(streamed));
    EXPECT_EQ(streamed.item_index, stored.item_index);
    EXPECT_EQ(streamed.samples, 16000);
    EXPECT_EQ(streamed.a, stored.a);
    EXPECT_EQ(streamed.b, stored.b);
    ++batches;
  }
  EXPECT_GE(batches, 2);
  // A rank's stream is its own shards of the plan: two ranks together make
  // every pair once.
  std::vector<int64_t> one_rank, two_ranks;
  for (const RankSlice slice : {RankSlice{0, 1}, RankSlice{0, 2}, RankSlice{1, 2}}) {
    auto stream = OpenOnTheFlyBatches(*config, *speech_, *noise_, 3, slice);
    auto& seen = slice.world == 1 ? one_rank : two_ranks;
    while (stream->Next(streamed)) seen.insert(seen.end(), streamed.item_index.begin(), streamed.item_index.end());
  }
  std::sort(one_rank.begin(), one_rank.end());
  std::sort(two_ranks.begin(), two_ranks.end());
  ASSERT_GE(one_rank.size(), 6u) << "the streams held no pairs: nothing was compared";
  EXPECT_EQ(std::adjacent_find(one_rank.begin(), one_rank.end()), one_rank.end()) << "a pair came twice";
  EXPECT_EQ(one_rank, two_ranks);
}

TEST_F(SynthTest, ShuffledShardBatchesAreTheSameGlobalBatchesForAnyRankCount) {
  Synthesize(dir_ / "out", {"synth.sample_format=float32"});
  const auto global_batches = [&](int world, int64_t epoch) {
    std::vector<std::vector<int64_t>> sources(world);
    for (int rank = 0; rank < world; ++rank) {
      auto batches = OpenShardBatches(dir_ / "out", 4 / world, RankSlice{rank, world}, ShardOrder{7, epoch, true});
      PairBatch batch;
      while (batches->Next(batch))
        sources[rank].insert(sources[rank].end(), batch.item_index.begin(), batch.item_index.end());
    }
    std::vector<int64_t> order;  // rank rows interleaved back into global batches
    const size_t rows = 4 / world;
    for (size_t first = 0; first < sources[0].size(); first += rows)
      for (int rank = 0; rank < world; ++rank)
        order.insert(order.end(), sources[rank].begin() + first, sources[rank].begin() + first + rows);
    return order;
  };
  const auto single = global_batches(1, 0);
  EXPECT_GE(single.size(), 8u);
  EXPECT_EQ(single.size() % 4, 0u);
  EXPECT_EQ(global_batches(2, 0), single);
  EXPECT_EQ(global_batches(4, 0), single);
  EXPECT_NE(global_batches(1, 1), single);  // each epoch its own order
  auto resumed = OpenShardBatches(dir_ / "out", 4, {}, ShardOrder{7, 0, true});
  resumed->Skip(1);
  PairBatch second;
  ASSERT_TRUE(resumed->Next(second));
  EXPECT_EQ(second.item_index, std::vector<int64_t>(single.begin() + 4, single.begin() + 8));
}

// Sets an environment variable for a scope, then puts the old value back.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    const char* old = std::getenv(name);
    if (old) old_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_)
      ::setenv(name_, old_->c_str(), 1);
    else
      ::unsetenv(name_);
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// Threads of this process: /proc/self/task has one entry per thread.
size_t ThreadCount() {
  size_t count = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator("/proc/self/task")) ++count;
  return count;
}

// Every path under dir, relative to it, sorted: files and folders alike.
std::vector<std::string> Tree(const fs::path& dir) {
  std::vector<std::string> paths;
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    paths.push_back(fs::relative(entry.path(), dir).string());
  std::sort(paths.begin(), paths.end());
  return paths;
}

TEST_F(SynthTest, AbandonedStreamStopsCleanly) {
  // Stopping waits for the units in flight (a few ms each). The plan is 400
  // copies of the corpus (about 30 s of work on 2 threads here), so a graph
  // that ran its plan out instead would take far past the bound, and one
  // that never heard the stop would block on the full queue for good.
  constexpr auto kBound = std::chrono::seconds(5);
  const auto config = MakeConfig({});
  std::vector<ManifestItem> speech;
  for (int copy = 0; copy < 400; ++copy)
    for (ManifestItem item : *speech_) {
      item.item.id = "copy" + std::to_string(copy) + "/" + item.item.id;
      speech.push_back(std::move(item));
    }
  // The stream writes nothing to disk: not next to the corpus, not in the
  // test's folder, not in $TMPDIR (pointed at an empty folder of the test's
  // own while streams run).
  const fs::path tmp = dir_.path() / "tmp";
  fs::create_directories(tmp);
  const ScopedEnv tmpdir("TMPDIR", tmp.string());
  const std::vector<std::string> corpus_before = Tree(corpus_->path());
  PairBatch first;
  // oneTBB keeps the worker threads an arena woke for the life of the
  // process, so the baseline is counted after a first stream, like the
  // abandoned one, has run and gone: the abandoned one may leave no more.
  ASSERT_TRUE(OpenOnTheFlyBatches(*config, speech, *noise_, 2)->Next(first));
  const size_t baseline = ThreadCount();

  // Dropped after its first batch, with the rest of the plan still to make.
  auto abandoned = OpenOnTheFlyBatches(*config, speech, *noise_, 2);
  EXPECT_TRUE(abandoned->Next(first));
  // Destroyed on a thread of its own, so that a destructor that never
  // returns fails the test instead of hanging it.
  const auto start = std::chrono::steady_clock::now();
  std::promise<void> destroyed;
  std::future<void> done = destroyed.get_future();
  std::thread([source = std::move(abandoned), destroyed = std::move(destroyed)]() mutable {
    source.reset();
    destroyed.set_value();
  }).detach();
  if (done.wait_for(kBound) != std::future_status::ready) {
    ADD_FAILURE() << "destroying the abandoned stream took over " << kBound.count() << " s";
    // Its threads cannot be joined: leave now rather than hang at exit.
    std::fflush(stdout);
    std::_Exit(1);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // The thread that destroyed it ends just after: wait for it (within the
  // bound) before counting.
  while (ThreadCount() > baseline && std::chrono::steady_clock::now() - start < kBound)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_LE(ThreadCount(), baseline) << "threads left behind after " << seconds << " s";

  EXPECT_EQ(Tree(dir_.path()), std::vector<std::string>{"tmp"});
  EXPECT_EQ(Tree(corpus_->path()), corpus_before);
}

}  // namespace
}  // namespace jsqa
