#include "model/checkpoint.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <vector>

#include "pipeline/base/error.h"
#include "model/archive_files.h"

namespace jsqa {
namespace fs = std::filesystem;
namespace {

// Checkpoint files of dir, oldest first.
std::vector<fs::path> Checkpoints(const std::string& dir) {
  std::vector<fs::path> files;
  if (!fs::is_directory(dir)) return files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.size() == 16 && name.rfind("step-", 0) == 0 && name.substr(13) == ".pt") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

std::string CheckpointPath(const std::string& dir, int64_t step) {
  char name[32];
  std::snprintf(name, sizeof(name), "step-%08lld.pt", static_cast<long long>(step));
  return (fs::path(dir) / name).string();
}

void SaveCheckpoint(const std::string& path, torch::nn::Module& model, torch::optim::Optimizer& optimizer,
                    const CheckpointState& state) {
  torch::serialize::OutputArchive archive, model_archive, optimizer_archive;
  model.save(model_archive);
  optimizer.save(optimizer_archive);
  archive.write("model", model_archive);
  archive.write("optimizer", optimizer_archive);
  archive.write("step", c10::IValue(state.step));
  archive.write("config", c10::IValue(state.config));
  archive.write("progress", c10::IValue(state.progress.dump()));
  archive.write("rng", at::detail::getDefaultCPUGenerator().get_state());
  SaveArchive(archive, path);
}

CheckpointState LoadCheckpoint(const std::string& path, torch::nn::Module& model, torch::optim::Optimizer& optimizer,
                               const torch::Device& device) {
  torch::serialize::InputArchive archive, model_archive, optimizer_archive;
  // The optimizer's state (Adam's moments) is taken as read: it must land
  // on the device of the parameters it belongs to.
  LoadArchive(archive, path, device);
  CheckpointState state;
  try {
    archive.read("model", model_archive);
    archive.read("optimizer", optimizer_archive);
    LoadModule(model, model_archive, path);
    optimizer.load(optimizer_archive);
    c10::IValue step, config, progress;
    archive.read("step", step);
    archive.read("config", config);
    archive.read("progress", progress);
    state.step = step.toInt();
    state.config = config.toStringRef();
    state.progress = nlohmann::json::parse(progress.toStringRef());
    torch::Tensor rng;
    archive.read("rng", rng);
    at::Generator generator = at::detail::getDefaultCPUGenerator();  // shares the default's state
    generator.set_state(rng);
  } catch (const c10::Error& error) {
    throw Error(path + ": not a checkpoint of this model: " + FirstLine(error.what()));
  }
  return state;
}

std::string LatestCheckpoint(const std::string& dir) {
  const auto files = Checkpoints(dir);
  return files.empty() ? "" : files.back().string();
}

void PruneCheckpoints(const std::string& dir, int keep) {
  const auto files = Checkpoints(dir);
  for (size_t i = 0; i + keep < files.size(); ++i) fs::remove(files[i]);
}

}  // namespace jsqa
