// Synthesis benchmark on the demo corpus scaled up (its speech repeated to at
// least 40 minutes: the 1-thread run then takes seconds, long enough for a
// wall-clock speed-up). Prints, measured in this one run:
//   - pair-seconds of audio synthesised per CPU-second (1 thread), the same
//     for a decode-only pass over the same files, and their ratio;
//   - the cost of ITU-T P.56 active speech levels: their rate alone, the
//     share of synthesis time the segment checks spend on them, and
//     synthesis with jnd.level_rule = active against the default rms rule;
//   - the same ratio on a 48 kHz copy of the corpus (each file resampled
//     and written as 48 kHz FLAC, so synthesis resamples every file);
//   - the wall-clock speed-up from 1 to 2 threads;
//   - peak RSS of a whole synthesis process for 1× and 4× the corpus;
//   - synthesis with degradation chains (kChainSettings: NISQA-like chains
//     of codecs, packet loss, rooms and band limits), on 4 copies of the
//     demo's speech, against the same decode-only rate.
// The ratios, the speed-up and the RSS ratio are printed with their goals.
// Usage: synth_bench [--minutes M]   (default 40)
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include "augment/active_speech_level.h"
#include "augment/audio_io.h"
#include "augment/resampler.h"
#include "pipeline/corpus/corpus_index.h"
#include "tools/demo_corpus/demo_corpus.h"
#include "pipeline/base/logging.h"
#include "pipeline/synthesis/synth_config.h"
#include "pipeline/synthesis/synthesis.h"
#include "stages/builtin_stages.h"
#include "tools/bench/bench_support.h"
#include "tools/bench/goal_line.h"

namespace fs = std::filesystem;
using namespace jsqa;
using bench::CpuSeconds;
using bench::GoalKind;
using bench::PrintGoal;
using bench::WallSeconds;

namespace {

struct Corpus {
  std::vector<ManifestItem> speech, noise;
  double speech_seconds = 0.0;
};

// The chains and dimensions of configs/degradations.ini (its [degrade]
// ranges left at their defaults).
const std::vector<std::string> kChainSettings = {
    "jnd.chains=noise:0.4, noise>amr_wb>packet_loss:0.2, noise>opus:0.1, noise>amr_nb:0.1, noise>reverb:0.1, "
    "noise>lowpass:0.1",
    "jnd.dimensions=snr:0.5, codec_mode:0.2, loss_rate:0.1, c50:0.1, cutoff:0.1"};

// The demo corpus with its speech repeated `copies` times under new ids
// (so every copy gets its own random draws).
Corpus LoadCorpus(const std::string& root, int copies) {
  CorpusConfig sources;
  sources.librispeech_root = root + "/LibriSpeech";
  sources.librispeech_subsets = "train-clean-5,dev-clean-2";
  sources.chime3_backgrounds = root + "/CHiME3/data/audio/16kHz/backgrounds";
  Corpus corpus;
  corpus.speech = bench::RepeatedUnderNewIds(IndexCorpus(CorpusKind::kSpeech, sources, {}).items, copies);
  corpus.noise = IndexCorpus(CorpusKind::kNoise, sources, {}).items;
  corpus.speech_seconds = bench::TotalSeconds(corpus.speech);
  return corpus;
}

// The corpus with every speech file resampled to 48 kHz and written as FLAC
// under dir (the noise stays as it is).
Corpus At48kHz(const Corpus& corpus, const fs::path& dir) {
  constexpr int kRate = 48000;
  Corpus resampled;
  resampled.noise = corpus.noise;
  fs::create_directories(dir);
  for (ManifestItem item : corpus.speech) {
    const Audio audio = ReadAudio(item.item.path);
    std::vector<float> samples = Resample(audio.samples, audio.sample_rate, kRate);
    // The resampler's ringing can overshoot full scale by a fraction of a dB.
    float peak = 0;
    for (float sample : samples) peak = std::max(peak, std::fabs(sample));
    if (peak > 1.0f)
      for (float& sample : samples) sample /= peak;
    item.item.path = (dir / (item.item.id + ".flac")).string();
    WriteAudio(item.item.path, samples, kRate);
    item.sample_rate = kRate;
    item.frames = static_cast<int64_t>(samples.size());
    item.channels = 1;
    resampled.speech_seconds += item.DurationSeconds();
    resampled.speech.push_back(std::move(item));
  }
  return resampled;
}

// Decode-only audio-seconds per CPU-second over the corpus's speech files.
double DecodeRate(const Corpus& corpus) {
  const double start = CpuSeconds();
  double decoded_seconds = 0.0;
  for (const ManifestItem& item : corpus.speech) decoded_seconds += ReadAudio(item.item.path).DurationSeconds();
  return decoded_seconds / (CpuSeconds() - start);
}

nlohmann::json Synthesize(const Corpus& corpus, const std::string& out, int threads,
                          const std::vector<std::string>& settings = {}) {
  Config config;
  AddConfigSections(config);
  std::vector<std::string> overrides = {"synth.threads=" + std::to_string(threads), "synth.pairs_per_shard=200"};
  overrides.insert(overrides.end(), settings.begin(), settings.end());
  config.Load("", overrides);
  fs::remove_all(out);
  return RunSynthesis(config, corpus.speech, corpus.noise, out, SynthJob{});
}

// Runs one synthesis of `copies` copies in a child process; returns its peak RSS in MiB.
double PeakRssMiB(const std::string& self, const std::string& root, int copies, const std::string& out) {
  std::fflush(stdout);  // else the child inherits the buffered report and prints it again
  const pid_t child = ::fork();
  if (child == 0) {
    ::execl(self.c_str(), self.c_str(), "--rss-child", root.c_str(), std::to_string(copies).c_str(), out.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int status = 0;
  rusage usage{};
  ::wait4(child, &status, 0, &usage);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "rss child failed\n");
    std::exit(1);
  }
  return usage.ru_maxrss / 1024.0;
}

}  // namespace

int main(int argc, char** argv) {
  SetLogLevel(LogLevel::kWarn);
  if (argc == 5 && std::strcmp(argv[1], "--rss-child") == 0) {
    Synthesize(LoadCorpus(argv[2], std::stoi(argv[3])), argv[4], 2);
    return 0;
  }
  double minutes = 40.0;
  if (argc == 3 && std::strcmp(argv[1], "--minutes") == 0) minutes = std::stod(argv[2]);

  const fs::path work = fs::temp_directory_path() / ("jsqa-synth-bench-" + std::to_string(::getpid()));
  const std::string root = (work / "corpus").string();
  BuildDemoCorpus(root);
  const Corpus once = LoadCorpus(root, 1);
  const int copies = static_cast<int>(std::ceil(minutes * 60.0 / once.speech_seconds));
  const Corpus corpus = LoadCorpus(root, copies);
  std::printf("corpus: demo speech x%d = %.1f min, %zu files; %zu noise files\n", copies, corpus.speech_seconds / 60,
              corpus.speech.size(), corpus.noise.size());

  // Decode-only: the same speech files, decoded to mono float, one thread.
  const double decode_rate = DecodeRate(corpus);

  // P.56 alone, over the demo's speech decoded once (timed without the decode).
  std::vector<Audio> decoded;
  double level_seconds = 0.0;
  for (const ManifestItem& item : once.speech) {
    decoded.push_back(ReadAudio(item.item.path));
    level_seconds += decoded.back().DurationSeconds();
  }
  const int level_passes = 20;
  double checksum = 0.0;  // keeps the measurement from being optimised away
  double start = CpuSeconds();
  for (int pass = 0; pass < level_passes; ++pass)
    for (const Audio& audio : decoded) checksum += MeasureActiveSpeechLevel(audio.samples, audio.sample_rate).activity;
  const double level_rate = level_passes * level_seconds / (CpuSeconds() - start);

  start = CpuSeconds();
  double wall = WallSeconds();
  const nlohmann::json one = Synthesize(corpus, (work / "one").string(), 1);
  const double synth_cpu = CpuSeconds() - start;
  const double wall_one = WallSeconds() - wall;
  const double segment_seconds = SynthConfig().segment_seconds;
  const double pair_seconds = one["made"]["pairs"].get<double>() * segment_seconds;
  const double synth_rate = pair_seconds / synth_cpu;

  start = CpuSeconds();
  const nlohmann::json active = Synthesize(corpus, (work / "active").string(), 1, {"jnd.level_rule=active"});
  const double active_rate = active["made"]["pairs"].get<double>() * segment_seconds / (CpuSeconds() - start);

  wall = WallSeconds();
  Synthesize(corpus, (work / "two").string(), 2);
  const double wall_two = WallSeconds() - wall;

  // The 48 kHz copy: decode-only and synthesis (resampling included), 1 thread.
  const Corpus corpus48 = At48kHz(corpus, work / "speech48k");
  const double decode48_rate = DecodeRate(corpus48);
  start = CpuSeconds();
  const nlohmann::json made48 = Synthesize(corpus48, (work / "one48k").string(), 1);
  const double synth48_rate = made48["made"]["pairs"].get<double>() * SynthConfig().segment_seconds /
                              (CpuSeconds() - start);

  std::printf("decode-only:   %8.1f audio-seconds per CPU-second\n", decode_rate);
  std::printf("synth:         %8.1f pair-seconds per CPU-second (%lld pairs of %.0f s, 1 thread)\n", synth_rate,
              one["made"]["pairs"].get<long long>(), segment_seconds);
  // Each segment's checks measure its clean speech once: 1/level_rate
  // CPU-seconds per pair-second, out of 1/synth_rate.
  std::printf("P.56 level:    %8.1f audio-seconds per CPU-second (%.2fx decode-only; checksum %.3f)\n", level_rate,
              level_rate / decode_rate, checksum);
  std::printf("  segment checks' share of synthesis: %.1f %% (one P.56 pass per segment)\n",
              100.0 * synth_rate / level_rate);
  std::printf("  level_rule = active: %8.1f pair-seconds per CPU-second, %.2f of the rms rule's rate\n", active_rate,
              active_rate / synth_rate);
  std::printf("48 kHz copy:   %8.1f audio-seconds per CPU-second decode-only, %.1f pair-seconds synth\n",
              decode48_rate, synth48_rate);
  const Corpus small = LoadCorpus(root, 4);
  start = CpuSeconds();
  const nlohmann::json chained = Synthesize(small, (work / "chains").string(), 1, kChainSettings);
  const double chain_rate = chained["made"]["pairs"].get<double>() * segment_seconds / (CpuSeconds() - start);
  std::printf("with chains:   %8.1f pair-seconds per CPU-second (%.2fx decode-only, %.2f of noise-only pairs)\n",
              chain_rate, chain_rate / decode_rate, chain_rate / synth_rate);
  std::printf("goals:\n");
  PrintGoal("synthesis / decode-only, demo corpus", synth_rate / decode_rate, "", 0.6);
  PrintGoal("synthesis / decode-only, 48 kHz corpus", synth48_rate / decode48_rate, "", 0.6);
  char walls[64];
  std::snprintf(walls, sizeof walls, "(%.2f s -> %.2f s wall)", wall_one, wall_two);
  PrintGoal("synthesis speed-up 1 -> 2 threads", wall_one / wall_two, "x", 1.8, GoalKind::kAtLeast, walls);
  const std::string self = fs::read_symlink("/proc/self/exe").string();
  const double rss_one = PeakRssMiB(self, root, copies, (work / "rss1").string());
  const double rss_four = PeakRssMiB(self, root, 4 * copies, (work / "rss4").string());
  char sizes[64];
  std::snprintf(sizes, sizeof sizes, "(%.1f MiB at 1x, %.1f MiB at 4x)", rss_one, rss_four);
  PrintGoal("peak RSS, 4x corpus / 1x", rss_four / rss_one, "", 1.1, GoalKind::kAtMost, sizes);
  fs::remove_all(work);
  return 0;
}
