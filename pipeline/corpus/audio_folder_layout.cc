#include "pipeline/corpus/audio_folder_layout.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "pipeline/base/error.h"

namespace jsqa {
namespace fs = std::filesystem;
namespace {

bool IsAudioFile(const fs::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension == ".wav" || extension == ".flac" || extension == ".ogg";
}

std::string WithoutExtension(const fs::path& path) { return (path.parent_path() / path.stem()).generic_string(); }

}  // namespace

CorpusListing ListAudioFolder(const std::string& dir) {
  if (!fs::is_directory(dir)) throw Error(dir + ": audio folder does not exist or is not a folder");
  CorpusListing listing;
  for (const auto& entry : fs::recursive_directory_iterator(dir, fs::directory_options::follow_directory_symlink)) {
    if (!entry.is_regular_file() || !IsAudioFile(entry.path())) continue;
    const fs::path relative = entry.path().lexically_relative(dir);
    const std::string environment = relative.has_parent_path() ? relative.begin()->string() : "other";
    listing.items.push_back({WithoutExtension(relative), entry.path().string(), {{"env", environment}}, 0.0});
  }
  SortByIdSkippingDuplicates(listing);
  return listing;
}

std::vector<std::string> FindAudioFiles(const std::vector<std::string>& inputs, const std::string& what) {
  std::vector<std::string> files;
  for (const std::string& input : inputs) {
    if (fs::is_directory(input)) {
      std::vector<std::string> found;
      for (const auto& entry : fs::recursive_directory_iterator(input))
        if (entry.is_regular_file() && IsAudioFile(entry.path())) found.push_back(entry.path().string());
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(input)) {
      files.push_back(input);
    } else {
      throw UsageError(what + " " + input + ": no such file or folder");
    }
  }
  if (files.empty()) throw UsageError(what + ": no audio files (.wav, .flac, .ogg) found");
  return files;
}

CorpusListing ListAudioFileList(const std::string& list_path) {
  std::ifstream in(list_path);
  if (!in) throw Error(list_path + ": cannot read audio list");
  const fs::path base = fs::path(list_path).parent_path();
  CorpusListing listing;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
    const auto start = line.find_first_not_of(" \t");
    if (start == std::string::npos) continue;
    const fs::path written = line.substr(start);
    const fs::path path = written.is_absolute() ? written : base / written;
    const std::string where = list_path + ":" + std::to_string(number);
    if (!fs::is_regular_file(path)) {
      listing.skipped.push_back({where, SkipReason::kMissingFile, path.string() + ": no such file"});
      continue;
    }
    listing.items.push_back({WithoutExtension(written), path.string(), {{"env", "other"}}, 0.0});
  }
  SortByIdSkippingDuplicates(listing);
  return listing;
}

}  // namespace jsqa
