#include "model/archive_files.h"

#include <filesystem>

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

void LoadArchive(torch::serialize::InputArchive& archive, const std::string& path, const torch::Device& device) {
  if (!std::filesystem::is_regular_file(path)) throw Error(path + ": no such file");
  try {
    archive.load_from(path, device);
  } catch (const c10::Error& error) {
    throw Error(path + ": not a readable torch archive: " + FirstLine(error.what()));
  }
}

namespace {

void CopyTensor(torch::serialize::InputArchive& archive, const std::string& name, const std::string& full_name,
                torch::Tensor& target, bool is_buffer, const std::string& path) {
  torch::Tensor loaded;
  if (!archive.try_read(name, loaded, is_buffer)) throw Error(path + ": has no " + full_name + " (another model?)");
  if (loaded.sizes() != target.sizes())
    throw Error(path + ": " + full_name + " has shape " + c10::str(loaded.sizes()) + " in the file, the model " +
                c10::str(target.sizes()) + " (another [model] configuration?)");
  target.copy_(loaded);
}

// Module::save writes a module's own tensors, then one nested archive per
// child module; read them back the same way.
void CopyModule(torch::nn::Module& module, torch::serialize::InputArchive& archive, const std::string& prefix,
                const std::string& path) {
  for (auto& item : module.named_parameters(/*recurse=*/false))
    CopyTensor(archive, item.key(), prefix + item.key(), item.value(), /*is_buffer=*/false, path);
  for (auto& item : module.named_buffers(/*recurse=*/false))
    CopyTensor(archive, item.key(), prefix + item.key(), item.value(), /*is_buffer=*/true, path);
  for (const auto& child : module.named_children()) {
    torch::serialize::InputArchive child_archive;
    if (!archive.try_read(child.key(), child_archive))
      throw Error(path + ": has no " + prefix + child.key() + " (another model?)");
    CopyModule(*child.value(), child_archive, prefix + child.key() + ".", path);
  }
}

}  // namespace

void LoadModule(torch::nn::Module& module, torch::serialize::InputArchive& archive, const std::string& path) {
  torch::NoGradGuard no_grad;
  try {
    CopyModule(module, archive, "", path);
  } catch (const c10::Error& error) {
    throw Error(path + ": does not fit the model: " + FirstLine(error.what()));
  }
}

std::string FirstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

}  // namespace jsqa
