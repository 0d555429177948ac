#include "model/archive_files.h"

#include <filesystem>

#include "augment/error.h"
#include "pipeline/text_files.h"

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

std::string FirstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

}  // namespace jsqa
