// Training benchmark. Prints, measured in this one run (2 torch threads):
//   - pretraining throughput in segments per second (a segment: one 4 s
//     mixture at 16 kHz; a step of B pairs processes 2B) of the default
//     encoder (~25.6 M parameters) and the small demo one: encoder forward on
//     both views, contrastive head, NT-Xent, backward, Adam step;
//   - the same step in Python PyTorch on the same libtorch build (Debian
//     python3-torch, tools/bench/train_step.py) and the C++ / Python ratio;
//     C++ and Python steps alternate (Python in a child process), and the
//     median step time counts, so a neighbour's load hits both alike;
//   - the data-wait fraction of the real pretraining loop (RunPretraining,
//     small model) reading shards vs synthesising pairs on the fly.
//   With --device cuda[:N] (a CUDA libtorch, README "Building on a GPU
//   cluster") the step and the pretraining loop run on that GPU, in
//   bfloat16 autocast with --bf16, and the Python comparison is left out
//   (Debian's python3-torch is CPU-only): the GPU figures behind the
//   README's wall-time table.
// Usage: train_bench [--default-steps N] [--small-steps N] [--data-steps N] [--no-python]
//                    [--device cpu|cuda[:N]] [--bf16]
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "model/autocast.h"
#include "model/distributed.h"
#include "model/jsqa_models.h"
#include "model/nt_xent.h"
#include "model/pretrain.h"
#include "model/training_config.h"
#include "pipeline/corpus/corpus_config.h"
#include "pipeline/corpus/corpus_index.h"
#include "pipeline/base/csv.h"
#include "tools/bench/bench_support.h"
#include "tools/demo_corpus/demo_corpus.h"
#include "pipeline/base/logging.h"
#include "pipeline/synthesis/pair_batches.h"
#include "pipeline/synthesis/synth_config.h"
#include "pipeline/synthesis/synthesis.h"
#include "stages/builtin_stages.h"

#ifndef JSQA_SOURCE_DIR
#error "JSQA_SOURCE_DIR must name the source tree (tools/bench/CMakeLists.txt defines it)"
#endif

namespace fs = std::filesystem;
using namespace jsqa;
using bench::WallSeconds;

namespace {

constexpr int kThreads = 2;
constexpr int kWarmupSteps = 2;
constexpr double kSegmentSeconds = 4.0;
constexpr int64_t kSampleRate = 16000;
constexpr double kTemperature = 0.1;

struct ModelSpec {
  std::string name;      // train_step.py's --model
  std::string channels;  // [model] keys
  std::string strides;
  int contrastive_size = 256;
  int64_t batch = 4;  // pairs per step
  int steps = 5;      // timed, after kWarmupSteps
};

// Step times in seconds: median (robust to a neighbour's burst) and range.
struct StepTimes {
  std::vector<double> seconds;
  double Median() const {
    std::vector<double> sorted = seconds;
    std::sort(sorted.begin(), sorted.end());
    const size_t n = sorted.size();
    return n == 0 ? NAN : n % 2 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
  }
  double Min() const { return seconds.empty() ? NAN : *std::min_element(seconds.begin(), seconds.end()); }
  double Max() const { return seconds.empty() ? NAN : *std::max_element(seconds.begin(), seconds.end()); }
};

// The pretraining step of model/pretrain.cc without its bookkeeping:
// [2B, samples] through the PretrainModel, NT-Xent, backward, Adam.
class CppStep {
 public:
  CppStep(const ModelSpec& spec, const torch::Device& device, bool bf16)
      : batch_(spec.batch), device_(device), bf16_(bf16), model_(SeededConfig(spec)) {
    model_->to(device_);
    model_->train();
    optimizer_ = std::make_unique<torch::optim::Adam>(model_->parameters(), torch::optim::AdamOptions(1e-4));
    const int64_t samples = static_cast<int64_t>(std::lround(kSegmentSeconds * kSampleRate));
    waveforms_ = (torch::rand({2 * batch_, samples}) * 2 - 1).to(device_);  // both views, in [-1, 1]
  }

  // Wall time of one step; loss.item() waits for the device to finish it.
  double Run() {
    const double start = WallSeconds();
    torch::Tensor z;
    {
      AutocastScope autocast(device_, bf16_);
      z = model_(waveforms_);
    }
    z = z.to(torch::kFloat);
    const torch::Tensor loss = NtXentLoss(z.narrow(0, 0, batch_), z.narrow(0, batch_, batch_), kTemperature);
    optimizer_->zero_grad();
    loss.backward();
    optimizer_->step();
    loss.item<double>();
    return WallSeconds() - start;
  }

  int64_t parameters() const { return CountParameters(*model_->encoder); }
  double gflops_per_audio_second() const { return 2e-9 * model_->encoder->MacsPerSecond(); }  // forward

 private:
  // The model's [model] section; seeds torch first, so initialisation is repeatable.
  static ModelConfig SeededConfig(const ModelSpec& spec) {
    ModelConfig config;
    config.channels = spec.channels;
    config.strides = spec.strides;
    config.contrastive_size = spec.contrastive_size;
    torch::manual_seed(1);
    return config;
  }

  const int64_t batch_;
  const torch::Device device_;
  const bool bf16_;
  PretrainModel model_;
  std::unique_ptr<torch::optim::Adam> optimizer_;
  torch::Tensor waveforms_;
};

const std::string kPython = "/usr/bin/python3";
const std::string kStepScript = std::string(JSQA_SOURCE_DIR) + "/tools/bench/train_step.py";

// "" when python3 with torch runs, else why not.
std::string PythonTorchMissing() {
  if (!fs::exists(kStepScript)) return kStepScript + " is missing";
  std::string out;
  FILE* pipe = ::popen((kPython + " -c 'import torch' 2>&1").c_str(), "r");
  if (!pipe) return "cannot run " + kPython;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe)) out = buffer;  // the last line says why
  if (::pclose(pipe) != 0) return kPython + " cannot import torch: " + out.substr(0, out.find('\n'));
  return "";
}

// train_step.py --serve in a child process: built and warmed up on start,
// then one Python step per Run(), timed inside Python.
class PythonStep {
 public:
  explicit PythonStep(const ModelSpec& spec) {
    int to_child[2], from_child[2];
    if (::pipe(to_child) != 0 || ::pipe(from_child) != 0) throw std::runtime_error("pipe failed");
    const std::vector<std::string> args = {kPython,      kStepScript,   "--serve",   "--model",
                                           spec.name,    "--batch",     std::to_string(spec.batch),
                                           "--warmup",   std::to_string(kWarmupSteps),
                                           "--threads",  std::to_string(kThreads),
                                           "--seconds",  FormatDouble(kSegmentSeconds)};
    std::fflush(stdout);  // else the child inherits the buffered report and prints it again
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(to_child[0], STDIN_FILENO);
      ::dup2(from_child[1], STDOUT_FILENO);
      for (int fd : {to_child[0], to_child[1], from_child[0], from_child[1]}) ::close(fd);
      std::vector<char*> argv;
      for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
      argv.push_back(nullptr);
      ::execv(kPython.c_str(), argv.data());
      ::_exit(127);
    }
    ::close(to_child[0]);
    ::close(from_child[1]);
    to_ = ::fdopen(to_child[1], "w");
    from_ = ::fdopen(from_child[0], "r");
    about_ = ReadJson();
  }
  ~PythonStep() {
    if (to_) std::fclose(to_);  // end of input: the child exits
    if (from_) std::fclose(from_);
    if (pid_ > 0) ::waitpid(pid_, nullptr, 0);
  }

  // null when the child failed (its stderr is ours).
  const nlohmann::json& about() const { return about_; }
  double Run() {
    std::fputs("step\n", to_);
    std::fflush(to_);
    const nlohmann::json reply = ReadJson();
    return reply.is_object() ? reply.value("seconds", double(NAN)) : NAN;
  }

 private:
  nlohmann::json ReadJson() {
    char* line = nullptr;
    size_t capacity = 0;
    nlohmann::json value;
    while (::getline(&line, &capacity, from_) > 0) {
      if (line[0] != '{') continue;
      value = nlohmann::json::parse(line, nullptr, false);
      if (value.is_discarded()) value = nullptr;
      break;
    }
    std::free(line);
    return value;
  }

  pid_t pid_ = -1;
  FILE* to_ = nullptr;
  FILE* from_ = nullptr;
  nlohmann::json about_;
};

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

// Peak RSS (MiB) of `jsqa-pipeline predict` over a folder, run as a child.
double PredictPeakRssMiB(const std::string& model, const std::string& folder) {
  const std::string executable = std::string(JSQA_EXECUTABLE);
  std::fflush(stdout);  // else the child inherits the buffered report and prints it again
  const pid_t child = ::fork();
  if (child == 0) {
    std::freopen("/dev/null", "w", stdout);
    std::freopen("/dev/null", "w", stderr);
    ::execl(executable.c_str(), executable.c_str(), "predict", "--model", model.c_str(), folder.c_str(), "--threads", "2",
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int status = 0;
  rusage usage{};
  ::wait4(child, &status, 0, &usage);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error("predict failed on " + folder);
  return usage.ru_maxrss / 1024.0;
}

std::string StringFlag(int argc, char** argv, const char* name, const std::string& fallback) {
  for (int i = 1; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], name) == 0) return argv[i + 1];
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
  std::signal(SIGPIPE, SIG_IGN);  // a dead Python child shows as a failed step
  const int default_steps = IntFlag(argc, argv, "--default-steps", 5);
  const int small_steps = IntFlag(argc, argv, "--small-steps", 20);
  const int data_steps = IntFlag(argc, argv, "--data-steps", 20);
  const std::string device_name = StringFlag(argc, argv, "--device", "cpu");
  const bool bf16 = HasFlag(argc, argv, "--bf16");
  const torch::Device device = ResolveDevice(device_name, 0);
  torch::set_num_threads(kThreads);
  std::printf("train_bench: libtorch %d.%d.%d on %s%s, %d CPU threads; a segment = one %.0f s mixture at %lld Hz\n",
              TORCH_VERSION_MAJOR, TORCH_VERSION_MINOR, TORCH_VERSION_PATCH, device.str().c_str(),
              bf16 && device.is_cuda() ? " (bf16 autocast)" : "", torch::get_num_threads(), kSegmentSeconds,
              static_cast<long long>(kSampleRate));

  // 1-2. Throughput of the step, C++ and Python, one model after the other.
  const std::string python_missing = HasFlag(argc, argv, "--no-python") ? "--no-python given"
                                     : device.is_cuda() ? "on CUDA: Debian's python3-torch is CPU-only"
                                                        : PythonTorchMissing();
  const std::vector<ModelSpec> specs = {
      {"default", ModelConfig().channels, ModelConfig().strides, 256, 4, default_steps},
      {"small", "16,16,32,32,64,64,128,128", "2,2,2,2,2,2,2,2", 64, 8, small_steps},
  };
  std::map<std::string, double> ratios;
  for (const ModelSpec& spec : specs) {
    CppStep cpp(spec, device, bf16 && device.is_cuda());
    for (int i = 0; i < kWarmupSteps; ++i) cpp.Run();
    std::unique_ptr<PythonStep> python;
    if (python_missing.empty()) {
      python = std::make_unique<PythonStep>(spec);  // warms up too
      if (!python->about().is_object()) python.reset();
    }
    // C++ and Python steps alternate, so both see the same background load.
    StepTimes cpp_times, python_times;
    bool python_failed = python_missing.empty() && !python;
    for (int i = 0; i < spec.steps; ++i) {
      cpp_times.seconds.push_back(cpp.Run());
      if (!python) continue;
      const double seconds = python->Run();
      if (std::isnan(seconds)) {
        python.reset();
        python_failed = true;
      } else {
        python_times.seconds.push_back(seconds);
      }
    }
    const double segments = 2.0 * spec.batch;
    std::printf("\n%s model: encoder %lld parameters, %.3f GFLOPs per audio second (forward, 2 x MACs)\n",
                spec.name.c_str(), static_cast<long long>(cpp.parameters()), cpp.gflops_per_audio_second());
    std::printf("  step: B=%lld pairs = %.0f segments; %d timed steps after %d warm-up, C++ and Python alternating\n",
                static_cast<long long>(spec.batch), segments, spec.steps, kWarmupSteps);
    // Backward costs about twice the forward: ~3x forward FLOPs per step.
    auto print = [&](const char* label, const StepTimes& times) {
      std::printf("  %s training throughput: %8.2f segments/s  (median %.2f s/step, range %.2f-%.2f; ~%.0f GFLOP/s at 3x forward)\n",
                  label, segments / times.Median(), times.Median(), times.Min(), times.Max(),
                  3 * segments * kSegmentSeconds * cpp.gflops_per_audio_second() / times.Median());
    };
    print("C++   ", cpp_times);
    if (!python) {
      std::printf("  Python training throughput: skipped (%s)\n",
                  python_failed ? "train_step.py failed, see stderr" : python_missing.c_str());
      continue;
    }
    print("Python", python_times);
    ratios[spec.name] = python_times.Median() / cpp_times.Median();
    std::printf("  C++ / Python throughput ratio: %.2f  (>1: C++ faster; torch %s in Python)\n", ratios[spec.name],
                python->about().value("torch_version", "?").c_str());
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
      "runtime.device=" + device_name,
      std::string("runtime.mixed_precision=") + (bf16 ? "bf16" : "off"),
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
  const double demo_seconds = bench::TotalSeconds(demo_speech);
  const int copies = std::max(
      1, static_cast<int>(std::ceil(1.5 * data_steps * batch * synth.segment_seconds / std::max(demo_seconds, 1.0))));
  const std::vector<ManifestItem> speech = bench::RepeatedUnderNewIds(demo_speech, copies);
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

  // predict's memory against the number of files: the default model over
  // the demo's NISQA clips, then over 4 times as many.
  {
    const fs::path clips = fs::path(root) / "NISQA_Corpus";
    std::vector<fs::path> files;
    for (const auto& entry : fs::recursive_directory_iterator(clips))
      if (entry.path().extension() == ".wav") files.push_back(entry.path());
    for (int times : {1, 4})
      for (int c = 0; c < times; ++c)
        for (size_t i = 0; i < files.size(); ++i) {
          const fs::path folder = work / ("predict-x" + std::to_string(times)) / std::to_string(c);
          fs::create_directories(folder);
          fs::create_symlink(files[i], folder / (std::to_string(i) + ".wav"));
        }
    torch::manual_seed(1);
    MosModel model{EncoderOptions()};
    const std::string model_path = (work / "model.pt").string();
    SaveMosModelFile(model_path, model, EncoderOptions());
    const double one = PredictPeakRssMiB(model_path, (work / "predict-x1").string());
    const double four = PredictPeakRssMiB(model_path, (work / "predict-x4").string());
    std::printf("\npredict peak RSS, default model: %.1f MiB for %zu files, %.1f MiB for %zu files: ratio %.2f\n", one,
                files.size(), four, 4 * files.size(), four / one);
  }

  if (!ratios.empty()) {
    std::printf("\nC++ / Python ratio:");
    for (const auto& [name, ratio] : ratios) std::printf("  %s %.2f", name.c_str(), ratio);
    std::printf("\n");
  }
  fs::remove_all(work);
  return 0;
}
