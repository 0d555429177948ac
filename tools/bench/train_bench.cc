// Training benchmark. Prints, measured in this one run (2 torch threads):
//   - pretraining throughput in segments per second (a segment: one 4 s
//     mixture at 16 kHz; a step of B pairs processes 2B) of the default
//     encoder (~25.6 M parameters) and the small demo one: encoder forward on
//     both views, contrastive head, NT-Xent, backward, Adam step;
//   - the same step in Python PyTorch on the same libtorch build (Debian
//     python3-torch, tools/bench/train_step.py) and the C++ / Python ratio;
//   - the data-wait fraction of the real pretraining loop (RunPretraining,
//     small model) reading shards vs synthesising pairs on the fly.
// Usage: train_bench [--default-steps N] [--small-steps N] [--data-steps N] [--no-python]
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "model/jsqa_models.h"
#include "model/nt_xent.h"
#include "model/pretrain.h"
#include "model/training_config.h"
#include "pipeline/corpus_config.h"
#include "pipeline/corpus_index.h"
#include "pipeline/csv.h"
#include "pipeline/demo_corpus.h"
#include "pipeline/logging.h"
#include "pipeline/pair_batches.h"
#include "pipeline/synth_config.h"
#include "pipeline/synthesis.h"
#include "stages/builtin_stages.h"

#ifndef JSQA_SOURCE_DIR
#error "JSQA_SOURCE_DIR must name the source tree (tools/bench/CMakeLists.txt defines it)"
#endif

namespace fs = std::filesystem;
using namespace jsqa;

namespace {

constexpr int kThreads = 2;
constexpr int kWarmupSteps = 2;
constexpr double kSegmentSeconds = 4.0;
constexpr int64_t kSampleRate = 16000;
constexpr double kTemperature = 0.1;

double WallSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct ModelSpec {
  std::string name;      // train_step.py's --model
  std::string channels;  // [model] keys
  std::string strides;
  int contrastive_size = 256;
  int64_t batch = 4;  // pairs per step
  int steps = 5;      // timed, after kWarmupSteps
};

struct Throughput {
  int64_t parameters = 0;
  double gflops_per_audio_second = 0;  // forward, 2 × MACs
  double segments_per_second = 0;
};

// The pretraining step of model/pretrain.cc without its bookkeeping:
// [2B, samples] through the PretrainModel, NT-Xent, backward, Adam.
Throughput MeasureCpp(const ModelSpec& spec) {
  ModelConfig config;
  config.channels = spec.channels;
  config.strides = spec.strides;
  config.contrastive_size = spec.contrastive_size;
  torch::manual_seed(1);
  PretrainModel model(config);
  model->train();
  torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-4));
  const int64_t samples = static_cast<int64_t>(std::lround(kSegmentSeconds * kSampleRate));
  const torch::Tensor waveforms = torch::rand({2 * spec.batch, samples}) * 2 - 1;  // both views, in [-1, 1]
  auto step = [&] {
    const torch::Tensor z = model(waveforms);
    const torch::Tensor loss = NtXentLoss(z.narrow(0, 0, spec.batch), z.narrow(0, spec.batch, spec.batch), kTemperature);
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    return loss.item<double>();
  };
  for (int i = 0; i < kWarmupSteps; ++i) step();
  const double start = WallSeconds();
  for (int i = 0; i < spec.steps; ++i) step();
  const double seconds = WallSeconds() - start;
  return {CountParameters(*model->encoder), 2e-9 * model->encoder->MacsPerSecond(),
          spec.steps * 2.0 * spec.batch / seconds};
}

std::string Shell(const std::string& command, int* status) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) {
    *status = -1;
    return out;
  }
  char buffer[4096];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  *status = ::pclose(pipe);
  return out;
}

const std::string kPython = "/usr/bin/python3";
const std::string kStepScript = std::string(JSQA_SOURCE_DIR) + "/tools/bench/train_step.py";

// "" when python3 with torch runs, else why not.
std::string PythonTorchMissing() {
  int status = 0;
  const std::string out = Shell(kPython + " -c 'import torch; print(torch.__version__)' 2>&1", &status);
  if (status != 0) return kPython + " cannot import torch: " + out.substr(0, out.find('\n'));
  if (!fs::exists(kStepScript)) return kStepScript + " is missing";
  return "";
}

// train_step.py's JSON line; null when it failed (its stderr goes to ours).
nlohmann::json MeasurePython(const ModelSpec& spec) {
  const std::string command = kPython + " " + kStepScript + " --model " + spec.name + " --batch " +
                              std::to_string(spec.batch) + " --warmup " + std::to_string(kWarmupSteps) + " --steps " +
                              std::to_string(spec.steps) + " --threads " + std::to_string(kThreads) + " --seconds " +
                              FormatDouble(kSegmentSeconds);
  int status = 0;
  const std::string out = Shell(command, &status);
  const size_t line = out.rfind('{');
  if (status != 0 || line == std::string::npos) {
    std::fprintf(stderr, "train_bench: `%s` failed (status %d): %s\n", command.c_str(), status, out.c_str());
    return nullptr;
  }
  return nlohmann::json::parse(out.substr(line), nullptr, false);
}

// Mean of a metrics.csv column over the rows after the first (the first
// window holds start-up: opening the source, first-step allocations).
double SteadyMean(const std::string& metrics_csv, const std::string& column) {
  const std::vector<CsvRow> rows = ReadCsvFile(metrics_csv);
  if (rows.size() < 3) return NAN;
  const auto& header = rows[0].fields;
  const size_t index = std::find(header.begin(), header.end(), column) - header.begin();
  if (index == header.size()) return NAN;
  double sum = 0;
  for (size_t r = 2; r < rows.size(); ++r) sum += std::stod(rows[r].fields.at(index));
  return sum / static_cast<double>(rows.size() - 2);
}

struct DataWait {
  double wait_fraction = 0, steady_wait_fraction = 0;
  double pairs_per_second = 0, steady_pairs_per_second = 0;
  double seconds = 0;
};

DataWait MeasurePretraining(const Config& config, const std::string& out_dir, const PairBatchOpener& open) {
  fs::remove_all(out_dir);
  const double start = WallSeconds();
  const nlohmann::json summary = RunPretraining(config, out_dir, open);
  DataWait result;
  result.seconds = WallSeconds() - start;
  result.wait_fraction = summary.at("data_wait_fraction").get<double>();
  result.pairs_per_second = summary.at("pairs_per_second").get<double>();
  const std::string metrics = (fs::path(out_dir) / "metrics.csv").string();
  result.steady_wait_fraction = SteadyMean(metrics, "data_wait_fraction");
  result.steady_pairs_per_second = SteadyMean(metrics, "pairs_per_second");
  return result;
}

int IntFlag(int argc, char** argv, const char* name, int fallback) {
  for (int i = 1; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], name) == 0) return std::stoi(argv[i + 1]);
  return fallback;
}

bool HasFlag(int argc, char** argv, const char* name) {
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], name) == 0) return true;
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  SetLogLevel(LogLevel::kWarn);
  const int default_steps = IntFlag(argc, argv, "--default-steps", 5);
  const int small_steps = IntFlag(argc, argv, "--small-steps", 20);
  const int data_steps = IntFlag(argc, argv, "--data-steps", 20);
  torch::set_num_threads(kThreads);
  std::printf("train_bench: libtorch %d.%d.%d on CPU, %d threads; a segment = one %.0f s mixture at %lld Hz\n",
              TORCH_VERSION_MAJOR, TORCH_VERSION_MINOR, TORCH_VERSION_PATCH, torch::get_num_threads(),
              kSegmentSeconds, static_cast<long long>(kSampleRate));

  // 1-2. Throughput of the step, C++ and Python, one model after the other.
  const std::string python_missing = HasFlag(argc, argv, "--no-python") ? "--no-python given" : PythonTorchMissing();
  const std::vector<ModelSpec> specs = {
      {"default", ModelConfig().channels, ModelConfig().strides, 256, 4, default_steps},
      {"small", "16,16,32,32,64,64,128,128", "2,2,2,2,2,2,2,2", 64, 8, small_steps},
  };
  std::map<std::string, double> ratios;
  for (const ModelSpec& spec : specs) {
    const Throughput cpp = MeasureCpp(spec);
    std::printf("\n%s model: encoder %lld parameters, %.3f GFLOPs per audio second (forward, 2 x MACs)\n",
                spec.name.c_str(), static_cast<long long>(cpp.parameters), cpp.gflops_per_audio_second);
    std::printf("  step: B=%lld pairs = %lld segments; %d timed steps after %d warm-up\n",
                static_cast<long long>(spec.batch), static_cast<long long>(2 * spec.batch), spec.steps, kWarmupSteps);
    // Backward costs about twice the forward: ~3x forward FLOPs per step.
    std::printf("  C++ training throughput:     %8.2f segments/s  (%.2f s/step, ~%.1f GFLOP/s at 3x forward)\n",
                cpp.segments_per_second, 2.0 * spec.batch / cpp.segments_per_second,
                3 * cpp.segments_per_second * kSegmentSeconds * cpp.gflops_per_audio_second);
    if (!python_missing.empty()) {
      std::printf("  Python training throughput: skipped (%s)\n", python_missing.c_str());
      continue;
    }
    const nlohmann::json python = MeasurePython(spec);
    if (python.is_discarded() || python.is_null()) {
      std::printf("  Python training throughput: failed (see stderr)\n");
      continue;
    }
    const double python_rate = python.at("segments_per_second").get<double>();
    std::printf("  Python training throughput:  %8.2f segments/s  (%.2f s/step, torch %s, %lld parameters)\n",
                python_rate, 2.0 * spec.batch / python_rate, python.value("torch_version", "?").c_str(),
                static_cast<long long>(python.value("parameters", int64_t{0})));
    ratios[spec.name] = cpp.segments_per_second / python_rate;
    std::printf("  C++ / Python ratio:          %8.2f  (>1: C++ faster)\n", ratios[spec.name]);
  }

  // 3. Data wait of the real pretraining loop, small model: shards vs on the fly.
  const fs::path work = fs::temp_directory_path() / ("jsqa-train-bench-" + std::to_string(::getpid()));
  const std::string root = (work / "corpus").string();
  const std::string source_dir = JSQA_SOURCE_DIR;
  BuildDemoCorpus(root);
  const std::vector<std::string> base = {
      "corpus.librispeech_root=" + root + "/LibriSpeech",
      "corpus.chime3_backgrounds=" + root + "/CHiME3/data/audio/16kHz/backgrounds",
      "corpus.nisqa_root=" + root + "/NISQA_Corpus",
      "jnd.svm_model=" + source_dir + "/configs/jnd-svm.model",
      "pretrain.steps=" + std::to_string(data_steps),
      "pretrain.log_every=5",
      "pretrain.checkpoint_every=1000000",
      "runtime.threads=" + std::to_string(kThreads),
      "pretrain.shards=" + (work / "shards").string(),
  };
  auto make_config = [&](const std::string& source) {
    auto config = std::make_unique<Config>();
    AddConfigSections(*config);
    std::vector<std::string> overrides = base;
    overrides.push_back("pretrain.source=" + source);
    config->Load(source_dir + "/configs/demo.ini", overrides);  // the demo's small model and synthesis
    return config;
  };
  const auto shards_config = make_config("shards");
  const auto fly_config = make_config("on-the-fly");
  const auto& corpus = shards_config->Get<CorpusConfig>("corpus");
  const auto& pretrain = shards_config->Get<PretrainConfig>("pretrain");
  const auto& synth = shards_config->Get<SynthConfig>("synth");
  const int64_t batch = pretrain.optimization.batch_size;

  // The demo speech repeated under new ids until one pass holds every step's
  // pairs (with a margin for rejected draws), so neither source restarts.
  const std::vector<ManifestItem> demo_speech = IndexCorpus(CorpusKind::kSpeech, corpus, {}).items;
  const std::vector<ManifestItem> noise = IndexCorpus(CorpusKind::kNoise, corpus, {}).items;
  double demo_seconds = 0;
  for (const ManifestItem& item : demo_speech) demo_seconds += item.DurationSeconds();
  const int copies = std::max(
      1, static_cast<int>(std::ceil(1.5 * data_steps * batch * synth.segment_seconds / std::max(demo_seconds, 1.0))));
  std::vector<ManifestItem> speech;
  for (int copy = 0; copy < copies; ++copy)
    for (ManifestItem item : demo_speech) {
      item.item.id += "-copy" + std::to_string(copy);
      speech.push_back(std::move(item));
    }
  double start = WallSeconds();
  const nlohmann::json made = RunSynthesis(*shards_config, speech, noise, pretrain.shards, SynthJob{});
  const double synth_seconds = WallSeconds() - start;
  const int64_t pairs = made["made"]["pairs"].get<int64_t>();
  std::printf("\ndata wait: small model, RunPretraining, %d steps of %lld pairs (first %lld steps: warm-up window)\n",
              data_steps, static_cast<long long>(batch), static_cast<long long>(pretrain.optimization.log_every));
  std::printf("  corpus: demo speech x%d = %.1f min; %lld pairs of %.0f s synthesised to shards in %.1f s (%.2f passes needed)\n",
              copies, copies * demo_seconds / 60, static_cast<long long>(pairs), synth.segment_seconds, synth_seconds,
              double(data_steps * batch) / std::max<int64_t>(pairs, 1));

  const std::string shards = pretrain.shards;
  const uint64_t seed = pretrain.optimization.seed;
  const PairBatchOpener open_shards = [shards, seed](int64_t epoch, int64_t batch_size, const RankSlice& slice) {
    return OpenShardBatches(shards, batch_size, slice, ShardOrder{seed, epoch, true});
  };
  const PairBatchOpener open_fly = [&](int64_t, int64_t batch_size, const RankSlice& slice) {
    return OpenOnTheFlyBatches(*fly_config, speech, noise, batch_size, slice);
  };
  const DataWait from_shards = MeasurePretraining(*shards_config, (work / "pretrain-shards").string(), open_shards);
  const DataWait on_the_fly = MeasurePretraining(*fly_config, (work / "pretrain-fly").string(), open_fly);
  auto print = [](const char* name, const DataWait& result) {
    std::printf("  %s data-wait fraction %.3f (%.3f after warm-up); %.2f segments/s (%.2f after warm-up); run %.1f s\n",
                name, result.wait_fraction, result.steady_wait_fraction, 2 * result.pairs_per_second,
                2 * result.steady_pairs_per_second, result.seconds);
  };
  print("shards:    ", from_shards);
  print("on-the-fly:", on_the_fly);
  std::printf("  on-the-fly / shards throughput: %.2f (synth.threads = %s, sharing the cores with training)\n",
              on_the_fly.pairs_per_second / from_shards.pairs_per_second, synth.threads.c_str());

  if (!ratios.empty()) {
    std::printf("\nC++ / Python ratio:");
    for (const auto& [name, ratio] : ratios) std::printf("  %s %.2f", name.c_str(), ratio);
    std::printf("\n");
  }
  fs::remove_all(work);
  return 0;
}
