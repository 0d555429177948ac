#include "model/archive_files.h"

#include <filesystem>
#include <utility>
#include <vector>

#include "pipeline/base/error.h"
#include "pipeline/base/text_files.h"

namespace jsqa {

void SaveArchive(torch::serialize::OutputArchive& archive, const std::string& path) {
  std::string bytes;
  archive.save_to([&](const void* data, size_t size) {
    bytes.append(static_cast<const char*>(data), size);
    return size;
  });
  WriteFileAtomically(path, bytes);
}

void LoadArchive(torch::serialize::InputArchive& archive, const std::string& path) {
  if (!std::filesystem::is_regular_file(path)) throw Error(path + ": no such file");
  try {
    archive.load_from(path);
  } catch (const c10::Error& error) {
    throw Error(path + ": not a readable torch archive: " + FirstLine(error.what()));
  }
}

void LoadModule(torch::nn::Module& module, torch::serialize::InputArchive& archive, const std::string& path) {
  std::vector<std::pair<std::string, std::vector<int64_t>>> shapes;
  for (const auto& item : module.named_parameters()) shapes.emplace_back(item.key(), item.value().sizes().vec());
  for (const auto& item : module.named_buffers()) shapes.emplace_back(item.key(), item.value().sizes().vec());
  try {
    module.load(archive);
  } catch (const c10::Error& error) {
    throw Error(path + ": does not fit the model: " + FirstLine(error.what()));
  }
  auto parameters = module.named_parameters();
  auto buffers = module.named_buffers();
  for (const auto& [name, shape] : shapes) {
    const torch::Tensor* loaded = parameters.find(name);
    if (!loaded) loaded = buffers.find(name);
    if (loaded && loaded->sizes().vec() != shape)
      throw Error(path + ": " + name + " has shape " + c10::str(loaded->sizes()) + " in the file, the model " +
                  c10::str(c10::IntArrayRef(shape)) + " (another [model] configuration?)");
  }
}

std::string FirstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

}  // namespace jsqa
