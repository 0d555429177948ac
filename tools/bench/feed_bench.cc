// Feeding benchmark: how many CPU cores keep one GPU busy with JND pairs.
// Prints, measured in this one run on the demo corpus (speech repeated),
// each figure with its goal:
//   - the on-the-fly source (OpenOnTheFlyBatches, synth.threads = 1): pairs
//     of 4 s per core-second (process CPU time);
//   - the shard loader (OpenShardBatches: int16 shards of 1,000 pairs,
//     shuffled order, page cache warm, batches of 64): pairs per
//     core-second with 1 thread, and the wall-clock speed-up from 1 to 2;
//   - cores per GPU for both at --gpu-pairs-per-second (default 3,300: the
//     default encoder's pretraining step on an A100/H100-class GPU).
// Usage: feed_bench [--minutes M] [--gpu-pairs-per-second R]
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include "pipeline/base/logging.h"
#include "pipeline/corpus/corpus_index.h"
#include "pipeline/synthesis/pair_batches.h"
#include "pipeline/synthesis/synthesis.h"
#include "stages/builtin_stages.h"
#include "tools/bench/bench_support.h"
#include "tools/bench/goal_line.h"
#include "tools/demo_corpus/demo_corpus.h"

namespace fs = std::filesystem;
using namespace jsqa;
using bench::CpuSeconds;
using bench::GoalKind;
using bench::PrintGoal;
using bench::WallSeconds;

namespace {

constexpr int64_t kBatch = 64;
// Pairs read per loader measurement: several shuffled epochs of the shards.
constexpr int64_t kLoaderPairs = 6400;

double Flag(int argc, char** argv, const char* name, double fallback) {
  for (int i = 1; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], name) == 0) return std::stod(argv[i + 1]);
  return fallback;
}

struct Rate {
  int64_t pairs = 0;
  double cpu = 0, wall = 0;  // seconds
  double PerCoreSecond() const { return pairs / cpu; }
};

// Drains a source, counting pairs and the whole process's CPU time.
Rate Drain(PairBatchSource& source, Rate rate = {}) {
  const double cpu = CpuSeconds(), wall = WallSeconds();
  PairBatch batch;
  while (source.Next(batch)) rate.pairs += batch.size;
  rate.cpu += CpuSeconds() - cpu;
  rate.wall += WallSeconds() - wall;
  return rate;
}

// Shuffled epochs of the shards in dir until kLoaderPairs are read.
Rate ReadShards(const std::string& dir, int threads) {
  Rate rate;
  for (int64_t epoch = 0; rate.pairs < kLoaderPairs; ++epoch) {
    const int64_t before = rate.pairs;
    rate = Drain(*OpenShardBatches(dir, kBatch, {}, ShardOrder{1, epoch, true}, threads), rate);
    if (rate.pairs == before) break;  // fewer pairs than one batch
  }
  return rate;
}

}  // namespace

int main(int argc, char** argv) {
  SetLogLevel(LogLevel::kWarn);
  const double minutes = Flag(argc, argv, "--minutes", 45);
  const double gpu_rate = Flag(argc, argv, "--gpu-pairs-per-second", 3300);

  const fs::path work = fs::temp_directory_path() / ("jsqa-feed-bench-" + std::to_string(::getpid()));
  const std::string root = (work / "corpus").string();
  BuildDemoCorpus(root);
  Config config;
  AddConfigSections(config);
  config.Load("", {"corpus.librispeech_root=" + root + "/LibriSpeech",
                   "corpus.librispeech_subsets=train-clean-5,dev-clean-2",
                   "corpus.chime3_backgrounds=" + root + "/CHiME3/data/audio/16kHz/backgrounds",
                   "synth.threads=1", "synth.store_components=false", "synth.pairs_per_shard=1000",
                   "synth.sample_format=int16", "synth.segment_seconds=4"});
  const auto& corpus = config.Get<CorpusConfig>("corpus");
  const std::vector<ManifestItem> demo = IndexCorpus(CorpusKind::kSpeech, corpus, {}).items;
  const std::vector<ManifestItem> noise = IndexCorpus(CorpusKind::kNoise, corpus, {}).items;
  const double demo_seconds = bench::TotalSeconds(demo);
  const int copies = std::max(1, static_cast<int>(std::ceil(minutes * 60 / demo_seconds)));
  const std::vector<ManifestItem> speech = bench::RepeatedUnderNewIds(demo, copies);
  std::printf("feed_bench: demo speech x%d = %.1f min; pairs of 4 s at 16 kHz, batches of %lld\n", copies,
              copies * demo_seconds / 60, static_cast<long long>(kBatch));

  const Rate fly = Drain(*OpenOnTheFlyBatches(config, speech, noise, kBatch));
  const std::string shards = (work / "shards").string();
  const nlohmann::json made = RunSynthesis(config, speech, noise, shards, SynthJob{});
  ReadShards(shards, 1);  // warms the page cache
  const Rate one = ReadShards(shards, 1);
  const Rate two = ReadShards(shards, 2);

  std::printf("on the fly (synth.threads = 1, %lld pairs):\n", static_cast<long long>(fly.pairs));
  PrintGoal("pairs of 4 s per core-second", fly.PerCoreSecond(), "pairs/core-s", 700);
  std::printf("shard loader (%lld pairs in int16 shards of 1000, shuffled, %lld read per figure):\n",
              made["made"]["pairs"].get<long long>(), static_cast<long long>(one.pairs));
  PrintGoal("pairs per core-second, 1 thread", one.PerCoreSecond(), "pairs/core-s", 5000);
  PrintGoal("speed-up 1 -> 2 threads (wall)", one.wall / two.wall, "x", 1.8, GoalKind::kAtLeast,
            "(" + std::to_string(two.PerCoreSecond()).substr(0, 7) + " pairs/core-s with 2)");
  std::printf("cores per GPU at %.0f pairs/s (--gpu-pairs-per-second):\n", gpu_rate);
  PrintGoal("on the fly", gpu_rate / fly.PerCoreSecond(), "cores", gpu_rate / 700, GoalKind::kAtMost);
  PrintGoal("from shards", gpu_rate / one.PerCoreSecond(), "cores", gpu_rate / 5000, GoalKind::kAtMost);
  fs::remove_all(work);
  return 0;
}
