#include "pipeline/corpus/corpus_listing.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <vector>

#include "pipeline/base/sha256.h"
#include "pipeline/corpus/audio_folder_layout.h"

namespace jsqa {
namespace fs = std::filesystem;
namespace {

void Add(Sha256& digest, const std::string& text) { digest.Update(text.data(), text.size()); }

// "path size mtime_ns" of a file, or "path absent".
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
  Add(digest, "folder " + folder.generic_string() + "\n");
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
  for (const fs::path& file : files) Add(digest, FileLine(file));
}

// A list file (its size and time), then the state of each file it names, as
// the list reader itself reads it (comments, relative paths), and the lines
// it passes over (a listed file that is missing is skipped with a reason).
void AddList(Sha256& digest, const fs::path& list) {
  Add(digest, "list " + FileLine(list));
  if (!fs::is_regular_file(list)) return;
  const CorpusListing listing = ListAudioFileList(list.string());
  for (const CorpusItem& item : listing.items) Add(digest, FileLine(item.path));
  for (const SkippedEntry& entry : listing.skipped) Add(digest, entry.where + " " + entry.reason + "\n");
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
      if (it->is_regular_file(error)) Add(digest, FileLine(it->path()));
  }
  for (const std::string* folder : {&corpus.chime3_backgrounds, &corpus.nisqa_root, &corpus.speech_folder,
                                    &corpus.noise_folder})
    if (!folder->empty()) AddFolder(digest, *folder);
  for (const std::string* list : {&corpus.speech_list, &corpus.noise_list})
    if (!list->empty()) AddList(digest, *list);
  return digest.HexDigest();
}

}  // namespace jsqa
