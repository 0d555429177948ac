// Training pieces in one process: checkpoints (round trip, latest, pruning),
// metrics.csv on resume, the learning-rate schedule, frozen layers, model
// files, predictions independent of batching, rank discovery from torchrun's
// and SLURM's variables, and the model file read by Python's torch.jit.load.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "pipeline/base/error.h"
#include "model/autocast.h"
#include "model/checkpoint.h"
#include "model/distributed.h"
#include "pipeline/run/distributed_env.h"
#include "model/jsqa_models.h"
#include "model/loss_window.h"
#include "pipeline/base/prefetcher.h"
#include "model/metrics_log.h"
#include "model/mos_predictor.h"
#include "pipeline/base/sha256.h"
#include "tests/test_support.h"

namespace jsqa {
namespace {

using testing::TempDir;

EncoderOptions TinyEncoder() {
  EncoderOptions options;
  options.channels({4, 8, 8}).strides({2, 2, 2});
  return options;
}

// One Adam step of a MOS model on fixed input.
void TrainStep(MosModel& model, torch::optim::Optimizer& optimizer) {
  torch::manual_seed(11);
  const torch::Tensor input = torch::randn({3, 800});
  optimizer.zero_grad();
  torch::mse_loss(model(input), torch::tensor({2.0f, 3.0f, 4.0f})).backward();
  optimizer.step();
}

std::vector<torch::Tensor> State(torch::nn::Module& module) {
  std::vector<torch::Tensor> state = module.parameters();
  for (const auto& buffer : module.buffers()) state.push_back(buffer);
  return state;
}

void ExpectSameState(torch::nn::Module& a, torch::nn::Module& b) {
  const auto x = State(a), y = State(b);
  ASSERT_EQ(x.size(), y.size());
  for (size_t i = 0; i < x.size(); ++i) EXPECT_TRUE(torch::equal(x[i], y[i])) << "tensor " << i;
}

TEST(Checkpoint, RoundTripRestoresModelOptimizerStepAndRng) {
  TempDir dir;
  torch::manual_seed(1);
  MosModel model(TinyEncoder());
  torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-3));
  TrainStep(model, optimizer);
  CheckpointState state;
  state.step = 1;
  state.config = "[model]\nchannels = 4,8,8\n";
  state.progress = {{"epoch", 3}};
  const std::string path = CheckpointPath(dir.path().string(), 1);
  SaveCheckpoint(path, *model, optimizer, state);
  const torch::Tensor next_random = torch::rand({4});

  torch::manual_seed(99);  // a different initialisation, overwritten by the load
  MosModel restored(TinyEncoder());
  torch::optim::Adam restored_optimizer(restored->parameters(), torch::optim::AdamOptions(1e-3));
  const CheckpointState loaded = LoadCheckpoint(path, *restored, restored_optimizer, torch::kCPU);
  EXPECT_EQ(loaded.step, 1);
  EXPECT_EQ(loaded.config, state.config);
  EXPECT_EQ(loaded.progress["epoch"], 3);
  EXPECT_TRUE(torch::equal(torch::rand({4}), next_random));  // the RNG continues where it was saved
  ExpectSameState(*model, *restored);
  // Adam's moments came back too: the next step is identical.
  TrainStep(model, optimizer);
  TrainStep(restored, restored_optimizer);
  ExpectSameState(*model, *restored);
}

TEST(Checkpoint, LatestIsTheHighestStepAndPruningKeepsTheNewest) {
  TempDir dir;
  MosModel model(TinyEncoder());
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.1));
  EXPECT_EQ(LatestCheckpoint(dir.path().string()), "");
  for (int64_t step : {5, 20, 100}) SaveCheckpoint(CheckpointPath(dir.path().string(), step), *model, optimizer, CheckpointState{step, "", {}});
  testing::WriteBytes(dir / "step-notanumber.pt", "x");
  EXPECT_EQ(LatestCheckpoint(dir.path().string()), dir / "step-00000100.pt");
  PruneCheckpoints(dir.path().string(), 2);
  EXPECT_FALSE(std::filesystem::exists(dir / "step-00000005.pt"));
  EXPECT_TRUE(std::filesystem::exists(dir / "step-00000020.pt"));
  EXPECT_TRUE(std::filesystem::exists(dir / "step-00000100.pt"));  // the newest two survive
  EXPECT_EQ(LatestCheckpoint(dir.path().string()), dir / "step-00000100.pt");
  EXPECT_FALSE(std::filesystem::exists(dir / "step-00000100.pt.tmp"));
}

TEST(Checkpoint, AnotherModelsCheckpointIsAClearError) {
  TempDir dir;
  MosModel model(TinyEncoder());
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.1));
  const std::string path = CheckpointPath(dir.path().string(), 1);
  SaveCheckpoint(path, *model, optimizer, CheckpointState{1, "", {}});
  EncoderOptions wider = TinyEncoder();
  wider.channels({4, 8, 16});
  MosModel other(wider);
  torch::optim::SGD other_optimizer(other->parameters(), torch::optim::SGDOptions(0.1));
  try {
    LoadCheckpoint(path, *other, other_optimizer, torch::kCPU);
    FAIL() << "loaded a checkpoint of another shape";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find(path), std::string::npos) << error.what();
  }
  testing::WriteBytes(dir / "garbage.pt", "not a zip archive");
  EXPECT_THROW(LoadCheckpoint(dir / "garbage.pt", *model, optimizer, torch::kCPU), Error);
}

// Rewrites a torch archive so that every tensor's storage says it was
// saved on cuda:0, as rank 0 of a GPU job writes them (a CPU machine cannot
// save one itself). In the archive's pickles a storage's location is the
// string "cpu" (BINUNICODE: 'X', 4-byte length, bytes).
void MarkSavedOnCuda0(const std::string& path) {
  const std::string script =
      "import sys, zipfile\n"
      "src = sys.argv[1]; dst = src + '.cuda'\n"
      "with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, 'w', zipfile.ZIP_STORED) as zout:\n"
      "    n = 0\n"
      "    for info in zin.infolist():\n"
      "        data = zin.read(info)\n"
      "        if info.filename.endswith('.pkl'):\n"
      "            n += data.count(b'X\\x03\\x00\\x00\\x00cpu')\n"
      "            data = data.replace(b'X\\x03\\x00\\x00\\x00cpu', b'X\\x06\\x00\\x00\\x00cuda:0')\n"
      "        zout.writestr(info.filename, data)\n"
      "assert n > 0, 'no storage locations found'\n";
  const std::string script_path = path + ".py";
  testing::WriteBytes(script_path, script);
  std::string output;
  ASSERT_EQ(testing::RunCommand("python3 " + script_path + " " + path + " && mv " + path + ".cuda " + path, &output), 0)
      << output;
}

// A checkpoint or model file saved on a GPU (rank 0's cuda:0) loads onto
// the loading process's own device: here a CPU-only build.
TEST(Checkpoint, SavedOnAGpuLoadsOntoThisProcesssDevice) {
  TempDir dir;
  torch::manual_seed(1);
  MosModel model(TinyEncoder());
  torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-3));
  TrainStep(model, optimizer);
  const std::string checkpoint = CheckpointPath(dir.path().string(), 1);
  SaveCheckpoint(checkpoint, *model, optimizer, CheckpointState{1, "", {}});
  const std::string model_file = dir / "model.pt";
  SaveMosModelFile(model_file, model, TinyEncoder());
  MarkSavedOnCuda0(checkpoint);
  MarkSavedOnCuda0(model_file);

  MosModel restored(TinyEncoder());
  torch::optim::Adam restored_optimizer(restored->parameters(), torch::optim::AdamOptions(1e-3));
  LoadCheckpoint(checkpoint, *restored, restored_optimizer, torch::kCPU);
  ExpectSameState(*model, *restored);
  for (const auto& tensor : State(*restored)) EXPECT_TRUE(tensor.device().is_cpu());
  // Adam's moments came back on the parameters' device: the next step runs.
  TrainStep(model, optimizer);
  TrainStep(restored, restored_optimizer);
  ExpectSameState(*model, *restored);

  MosModel loaded = LoadMosModelFile(model_file, torch::kCPU);
  MosModel saved_state(TinyEncoder());
  LoadCheckpoint(checkpoint, *saved_state, restored_optimizer, torch::kCPU);
  ExpectSameState(*loaded, *saved_state);
}

// The MOS head runs in float32 under autocast: in bfloat16 its 1 + 4·sigmoid
// would round scores to steps of 1/64 to 1/32. Shown with CPU autocast,
// which rounds as CUDA's does.
TEST(MosModel, HeadRunsInFloat32UnderAutocast) {
  torch::manual_seed(3);
  MosModel model(TinyEncoder());
  model->eval();
  torch::NoGradGuard no_grad;
  const torch::Tensor input = torch::randn({16, 1600});
  torch::Tensor embedding, scores;
  {
    AutocastScope autocast(torch::kCPU, true);
    embedding = model->encoder(input);
    scores = model(input);
  }
  EXPECT_EQ(embedding.scalar_type(), torch::kBFloat16);  // autocast was on for the encoder
  EXPECT_EQ(scores.scalar_type(), torch::kFloat);
  EXPECT_TRUE(torch::equal(scores, model->head(embedding.to(torch::kFloat))));
}

TEST(Device, AnExplicitGpuForSeveralRanksOfANodeIsRefused) {
  EXPECT_TRUE(ResolveDevice("cpu", 3).is_cpu());
  try {
    ResolveDevice("cuda:1", 1);
    FAIL() << "local rank 1 was given cuda:1, which rank 0 of its node would share";
  } catch (const UsageError& error) {
    EXPECT_NE(std::string(error.what()).find("runtime.device = cuda:1 with several ranks on this node (this one is "
                                             "local rank 1): every rank would use that one GPU"),
              std::string::npos)
        << error.what();
  }
  if (!torch::cuda::is_available()) {
    EXPECT_THROW(ResolveDevice("cuda", 0), UsageError);
    EXPECT_THROW(ResolveDevice("cuda:0", 0), UsageError);
  }
}

// The training loop reads the loss once per metrics row, not per step:
// LossWindow::Add never reads a value. Meta tensors have shapes and no
// values (reading one throws), so adding them shows it on a CPU.
TEST(LossWindow, AddingStepsNeverReadsTheLoss) {
  LossWindow window;
  for (int step = 0; step < 5; ++step) window.Add(torch::empty({}, torch::device(torch::kMeta)));
  EXPECT_EQ(window.steps(), 5);
  const torch::Tensor mean = window.TakeMean();
  EXPECT_TRUE(mean.is_meta());
  EXPECT_EQ(window.steps(), 0);
  for (float loss : {1.0f, 2.0f, 6.0f}) window.Add(torch::tensor(loss));
  EXPECT_FLOAT_EQ(window.TakeMean().item<float>(), 3.0f);
}

TEST(Prefetcher, HandsOverInOrderAheadOfTheConsumerAndRethrows) {
  std::atomic<int> produced{0};
  Prefetcher<int> numbers(
      [&] {
        const int n = produced++;
        if (n == 4) throw Error("source ended");
        return n;
      },
      /*depth=*/2);
  for (int expected = 0; expected < 4; ++expected) EXPECT_EQ(numbers.Next(), expected);
  try {
    numbers.Next();
    FAIL() << "the producer's error was not rethrown";
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(), "source ended");
  }
  // Never more than depth ahead of what was taken: once two are ready the
  // producer waits (given time to overrun, it does not), and each item
  // taken lets it make exactly one more.
  std::atomic<int> made{0};
  Prefetcher<int> ahead([&] { return made++; }, /*depth=*/2);
  const auto wait_for_made = [&](int count) {
    for (int spin = 0; made.load() < count && spin < 10000; ++spin)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    ASSERT_GE(made.load(), count) << "the producer never made item " << count - 1;
  };
  wait_for_made(2);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(made.load(), 2);
  EXPECT_EQ(ahead.Next(), 0);
  wait_for_made(3);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(made.load(), 3);
  EXPECT_EQ(ahead.Next(), 1);
}

TEST(MetricsLog, ResumingKeepsRowsUpToTheCheckpointStep) {
  TempDir dir;
  const std::string path = dir / "metrics.csv";
  {
    MetricsLog log(path, {"loss", "val_rmse"}, 0);
    for (int64_t step = 10; step <= 40; step += 10) log.Append(step, {{"loss", 1.0 / step}});
    log.Append(50, {{"loss", 0.5}, {"val_rmse", 0.7}});
  }
  MetricsLog resumed(path, {"loss", "val_rmse"}, 30);  // the checkpoint was at step 30
  resumed.Append(40, {{"loss", 0.25}});
  const PlotSeries loss = resumed.Series("loss", "loss");
  EXPECT_EQ(loss.x, (std::vector<double>{10, 20, 30, 40}));
  EXPECT_DOUBLE_EQ(loss.y.back(), 0.25);
  EXPECT_TRUE(resumed.Series("val_rmse", "rmse").x.empty());
  std::ifstream in(path);
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(header, "step,loss,val_rmse");
}

TEST(Schedule, WarmupThenCosineOrLinearDecayToZero) {
  OptimizerSettings settings;
  settings.learning_rate = 1.0;
  settings.warmup_steps = 4;
  settings.schedule = OptimizerSettings::Schedule::kCosine;
  EXPECT_DOUBLE_EQ(settings.LearningRateAt(0, 104), 0.2);  // (0 + 1) / (4 + 1)
  EXPECT_DOUBLE_EQ(settings.LearningRateAt(4, 104), 1.0);
  EXPECT_NEAR(settings.LearningRateAt(54, 104), 0.5, 1e-12);  // half way: cos(π/2)
  EXPECT_NEAR(settings.LearningRateAt(104, 104), 0.0, 1e-12);
  settings.schedule = OptimizerSettings::Schedule::kLinear;
  EXPECT_NEAR(settings.LearningRateAt(29, 104), 0.75, 1e-12);
  settings.schedule = OptimizerSettings::Schedule::kConstant;
  EXPECT_DOUBLE_EQ(settings.LearningRateAt(100, 104), 1.0);
}

TEST(Encoder, FrozenLayersGetNoGradientAndKeepTheirStatistics) {
  Encoder encoder(TinyEncoder());
  encoder->FreezeLayers(2);
  encoder->train();
  const auto parameters = encoder->named_parameters();
  EXPECT_FALSE(parameters["conv0.weight"].requires_grad());
  EXPECT_FALSE(parameters["norm1.weight"].requires_grad());
  EXPECT_TRUE(parameters["conv2.weight"].requires_grad());
  const torch::Tensor before = encoder->named_buffers()["norm0.running_mean"].clone();
  encoder->forward(torch::randn({2, 1000}) + 3.0);
  EXPECT_TRUE(torch::equal(encoder->named_buffers()["norm0.running_mean"], before));
  EXPECT_FALSE(torch::equal(encoder->named_buffers()["norm2.running_mean"], torch::zeros({8})));
}

TEST(MosPredictor, AClipScoresTheSameAloneAndPaddedInABatch) {
  torch::manual_seed(5);
  MosModel model(TinyEncoder());
  model->train();
  model(torch::randn({4, 2000}));  // batch-norm statistics away from the identity
  MosPredictor predictor(model, torch::kCPU, 4);
  std::vector<std::vector<float>> clips;
  for (int64_t length : {1600, 5000, 777, 3000, 16000}) {
    const torch::Tensor clip = torch::randn({length}) * 0.1;
    clips.emplace_back(clip.data_ptr<float>(), clip.data_ptr<float>() + length);
  }
  const std::vector<double> together = predictor.Predict(clips);
  for (size_t i = 0; i < clips.size(); ++i) {
    const double alone = predictor.Predict({clips[i]})[0];
    EXPECT_NEAR(together[i], alone, 1e-5) << "clip " << i;
    EXPECT_GT(alone, 1.0);
    EXPECT_LT(alone, 5.0);
  }
}

TEST(MosPredictor, LongClipsScoredWindowByWindowGetTheWholeClipsScore) {
  torch::manual_seed(6);
  MosModel model(TinyEncoder());
  model->train();
  model(torch::randn({4, 2000}));
  model->eval();
  std::vector<std::vector<float>> clips;
  for (int64_t length : {20000, 16003, 9001}) {
    const torch::Tensor clip = torch::randn({length}) * 0.1;
    clips.emplace_back(clip.data_ptr<float>(), clip.data_ptr<float>() + length);
  }
  MosPredictor whole(model, torch::kCPU, 4);
  MosPredictor windowed(model, torch::kCPU, 4, 8 * 30 * 16000, /*long_clip_samples=*/1000);  // windows of 500
  const auto expected = whole.Predict(clips), got = windowed.Predict(clips);
  for (size_t i = 0; i < clips.size(); ++i) EXPECT_NEAR(got[i], expected[i], 1e-5) << "clip " << i;
  // The default encoder reaches about 1 s each way: 6 s windows of a 20 s clip.
  Encoder encoder;
  encoder->eval();
  torch::NoGradGuard no_grad;
  const torch::Tensor clip = torch::randn({20 * 16000}) * 0.1;
  const torch::Tensor full = encoder->forward(clip.unsqueeze(0), torch::tensor({20 * 16000}, torch::kLong))[0];
  EXPECT_TRUE(torch::allclose(encoder->LongClipEmbedding(clip, 6 * 16000), full, 1e-4, 1e-5));
}

TEST(ModelFile, RebuildsTheNetworkFromItsOwnAttributes) {
  TempDir dir;
  torch::manual_seed(2);
  MosModel model(TinyEncoder());
  SaveMosModelFile(dir / "model.pt", model, TinyEncoder());
  MosModel loaded = LoadMosModelFile(dir / "model.pt", torch::kCPU);
  ExpectSameState(*model, *loaded);
  EXPECT_FALSE(loaded->is_training());
  Encoder encoder(TinyEncoder());
  SaveEncoderFile(dir / "encoder.pt", encoder);
  try {
    LoadMosModelFile(dir / "encoder.pt", torch::kCPU);
    FAIL() << "an encoder.pt is not a model.pt";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("encoder.pt"), std::string::npos);
  }
  Encoder other(EncoderOptions().channels({4, 4}).strides({2, 2}));
  EXPECT_THROW(LoadEncoderFile(dir / "encoder.pt", other), Error);
  EXPECT_THROW(LoadEncoderFile(dir / "missing.pt", other), Error);
}

TEST(ModelFile, PythonTorchJitLoadReadsTheSameWeights) {
  if (testing::RunCommand("/usr/bin/python3 -c 'import torch' 2>/dev/null") != 0)
    GTEST_SKIP() << "Python torch (Debian python3-torch) is not installed";
  TempDir dir;
  torch::manual_seed(4);
  MosModel model(TinyEncoder());
  SaveMosModelFile(dir / "model.pt", model, TinyEncoder());
  // The README's recipe: state_dict() keys are the C++ module names.
  const std::string script =
      "import torch, sys\n"
      "m = torch.jit.load(sys.argv[1])\n"
      "print(list(m.jsqa_channels), m.jsqa_kernel_size)\n"
      "import hashlib\n"
      "for k, v in sorted(m.state_dict().items()):\n"
      "    print(k, hashlib.sha256(v.contiguous().numpy().tobytes()).hexdigest())\n";
  testing::WriteBytes(dir / "read.py", script);
  std::string output;
  ASSERT_EQ(testing::RunCommand("/usr/bin/python3 " + (dir / "read.py") + " " + (dir / "model.pt"), &output), 0)
      << output;
  EXPECT_NE(output.find("[4, 8, 8] 15"), std::string::npos) << output;
  // Every parameter and buffer (batch-norm statistics too), byte for byte.
  int checked = 0;
  const auto check = [&](const std::string& name, const torch::Tensor& value) {
    const torch::Tensor bytes = value.contiguous();
    Sha256 digest;
    digest.Update(bytes.data_ptr(), bytes.nbytes());
    EXPECT_NE(output.find(name + " " + digest.HexDigest() + "\n"), std::string::npos) << name << "\n" << output;
    ++checked;
  };
  for (const auto& item : model->named_parameters()) check(item.key(), item.value());
  for (const auto& item : model->named_buffers()) check(item.key(), item.value());
  EXPECT_GT(checked, 6);
}

class EnvironmentTest : public ::testing::Test {
 protected:
  void TearDown() override {
    testing::UnsetDistributedEnvironment();
  }
};

TEST_F(EnvironmentTest, TorchrunVariables) {
  setenv("RANK", "3", 1);
  setenv("WORLD_SIZE", "4", 1);
  setenv("LOCAL_RANK", "1", 1);
  setenv("MASTER_ADDR", "node7", 1);
  setenv("MASTER_PORT", "29555", 1);
  const DistributedEnv env = DistributedEnv::FromEnvironment();
  EXPECT_EQ(env.rank, 3);
  EXPECT_EQ(env.world, 4);
  EXPECT_EQ(env.local_rank, 1);
  EXPECT_EQ(env.master_addr, "node7");
  EXPECT_EQ(env.master_port, 29555);
  setenv("RANK", "4", 1);
  EXPECT_THROW(DistributedEnv::FromEnvironment(), UsageError);
  setenv("RANK", "x", 1);
  EXPECT_THROW(DistributedEnv::FromEnvironment(), UsageError);
}

TEST_F(EnvironmentTest, SlurmVariablesAndTheFirstHostOfTheNodeList) {
  // What a batch script sees: one process, however many tasks the job has.
  setenv("SLURM_PROCID", "0", 1);
  setenv("SLURM_NTASKS", "8", 1);
  setenv("SLURM_JOB_NODELIST", "gpu[03-06,09],cpu1", 1);
  setenv("SLURM_JOB_ID", "123456", 1);
  EXPECT_EQ(DistributedEnv::FromEnvironment().world, 1);
  // A task of an srun step.
  setenv("SLURM_STEP_ID", "2", 1);
  setenv("SLURM_STEP_NUM_TASKS", "8", 1);
  setenv("SLURM_PROCID", "5", 1);
  setenv("SLURM_LOCALID", "1", 1);
  const DistributedEnv env = DistributedEnv::FromEnvironment();
  EXPECT_EQ(env.rank, 5);
  EXPECT_EQ(env.world, 8);
  EXPECT_EQ(env.local_rank, 1);
  EXPECT_EQ(env.master_addr, "gpu03");
  EXPECT_EQ(env.master_port, 20337);  // DerivedMasterPort(123456, 2)
  setenv("SLURM_STEP_ID", "3", 1);     // another step of the job on the node: another port
  EXPECT_EQ(DistributedEnv::FromEnvironment().master_port, 30045);
  setenv("MASTER_PORT", "30001", 1);  // an explicit master wins
  EXPECT_EQ(DistributedEnv::FromEnvironment().master_port, 30001);
}

TEST_F(EnvironmentTest, NoVariablesIsOneProcess) {
  const DistributedEnv env = DistributedEnv::FromEnvironment();
  EXPECT_EQ(env.rank, 0);
  EXPECT_EQ(env.world, 1);
}

}  // namespace
}  // namespace jsqa
