#include "pipeline/corpus/corpus_listing.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <vector>

#include "pipeline/base/sha256.h"

namespace jsqa {
namespace fs = std::filesystem;
namespace {

// "path size mtime_ns" of a file, or "path absent" (a listed file that is
// missing is part of what prepare sees: it is skipped with a reason).
std::string FileLine(const fs::path& path) {
  std::error_code error;
  const auto size = fs::file_size(path, error);
  if (error) return path.generic_string() + " absent\n";
  const auto modified = fs::last_write_time(path, error);
  const auto nanoseconds =
      error ? 0 : std::chrono::duration_cast<std::chrono::nanoseconds>(modified.time_since_epoch()).count();
  return path.generic_string() + " " + std::to_string(size) + " " + std::to_string(nanoseconds) + "\n";
}

// Every regular file under folder (symbolic links followed), sorted so the
// digest does not depend on the order the file system lists them in.
void AddFolder(Sha256& digest, const fs::path& folder) {
  const std::string header = "folder " + folder.generic_string() + "\n";
  digest.Update(header.data(), header.size());
  std::error_code error;
  if (!fs::is_directory(folder, error)) return;
  std::vector<fs::path> files;
  for (fs::recursive_directory_iterator it(folder, fs::directory_options::follow_directory_symlink |
                                                       fs::directory_options::skip_permission_denied,
                                           error),
       end;
       !error && it != end; it.increment(error))
    if (it->is_regular_file(error)) files.push_back(it->path());
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    const std::string line = FileLine(file);
    digest.Update(line.data(), line.size());
  }
}

// A list file's content, then the state of each path it names (relative
// to the list's folder, '#' starting a comment, as the list reader reads it).
void AddList(Sha256& digest, const fs::path& list) {
  const std::string header = "list " + FileLine(list);
  digest.Update(header.data(), header.size());
  std::ifstream in(list);
  for (std::string line; std::getline(in, line);) {
    digest.Update(line.data(), line.size());
    if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    const auto start = line.find_first_not_of(" \t\r");
    const auto end = line.find_last_not_of(" \t\r");
    if (start == std::string::npos) continue;
    const fs::path written = line.substr(start, end - start + 1);
    const std::string entry = FileLine(written.is_absolute() ? written : list.parent_path() / written);
    digest.Update(entry.data(), entry.size());
  }
}

}  // namespace

std::string CorpusListingDigest(const CorpusConfig& corpus) {
  Sha256 digest;
  if (!corpus.librispeech_root.empty()) {
    // The chosen subsets, and the files beside them (SPEAKERS.TXT).
    const fs::path root = corpus.librispeech_root;
    for (const std::string& subset : corpus.LibriSpeechSubsets()) AddFolder(digest, root / subset);
    std::error_code error;
    for (fs::directory_iterator it(root, error), end; !error && it != end; it.increment(error))
      if (it->is_regular_file(error)) {
        const std::string line = FileLine(it->path());
        digest.Update(line.data(), line.size());
      }
  }
  for (const std::string* folder : {&corpus.chime3_backgrounds, &corpus.nisqa_root, &corpus.speech_folder,
                                    &corpus.noise_folder})
    if (!folder->empty()) AddFolder(digest, *folder);
  for (const std::string* list : {&corpus.speech_list, &corpus.noise_list})
    if (!list->empty()) AddList(digest, *list);
  return digest.HexDigest();
}

}  // namespace jsqa
