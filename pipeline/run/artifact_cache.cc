#include "pipeline/run/artifact_cache.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "augment/counter_rng.h"
#include "pipeline/base/error.h"

namespace jsqa {
namespace fs = std::filesystem;
namespace {

std::string Hex64(uint64_t value) {
  char text[17];
  std::snprintf(text, sizeof text, "%016" PRIx64, value);
  return text;
}

bool ProcessAlive(pid_t pid) { return pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM); }

// Makes a file's content durable before the rename that publishes it.
void SyncPath(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

std::string TemporaryPrefix(const std::string& stage, const std::string& key) {
  return ".tmp." + stage + "-" + key + ".";
}

}  // namespace

std::string ArtifactKey(const std::string& stage, int version, const std::string& settings_text,
                        const std::vector<std::string>& input_keys) {
  std::string material = stage + "\nversion " + std::to_string(version) + "\n" + settings_text;
  for (const std::string& key : input_keys) material += "\ninput " + key;
  return Hex64(StableHash64(material));
}

ArtifactCache::ArtifactCache(std::string root) : root_(std::move(root)) {
  std::error_code error;
  fs::create_directories(root_, error);
  JSQA_CHECK(!error && fs::is_directory(root_), root_, ": cannot create run directory: ",
             error.message());
}

std::string ArtifactCache::FinalPath(const std::string& stage, const std::string& key) const {
  return (fs::path(root_) / (stage + "-" + key)).string();
}

bool ArtifactCache::IsComplete(const std::string& stage, const std::string& key) const {
  return fs::exists(fs::path(FinalPath(stage, key)) / kCompleteMarker);
}

std::string ArtifactCache::BeginTemporary(const std::string& stage, const std::string& key) const {
  const std::string prefix = TemporaryPrefix(stage, key);
  const fs::path temporary = fs::path(root_) / (prefix + std::to_string(::getpid()));
  fs::remove_all(temporary);
  for (const auto& entry : fs::directory_iterator(root_)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0 || entry.path() == temporary) continue;
    const pid_t owner = static_cast<pid_t>(std::atoi(name.c_str() + prefix.size()));
    if (ProcessAlive(owner)) continue;
    // A killed run of the same key: resume in its folder (stages that can
    // resume, like synth, skip what is complete; others overwrite).
    if (!fs::exists(temporary)) {
      fs::rename(entry.path(), temporary);
    } else {
      fs::remove_all(entry.path());
    }
  }
  fs::create_directories(temporary);
  return temporary.string();
}

std::string ArtifactCache::Commit(const std::string& temporary, const std::string& stage,
                                  const std::string& key) const {
  const std::string marker = (fs::path(temporary) / kCompleteMarker).string();
  {
    std::ofstream out(marker);
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    out << "stage " << stage << "\nkey " << key << "\ncompleted " << now << "\n";
    JSQA_CHECK(out.good(), marker, ": cannot write completion marker");
  }
  SyncPath(marker);
  SyncPath(temporary);
  const std::string final_path = FinalPath(stage, key);
  if (fs::exists(final_path)) {
    // Move the old folder aside first: rename() cannot replace a non-empty folder.
    const std::string old = (fs::path(root_) / (".old." + stage + "-" + key + "." +
                                                 std::to_string(::getpid())))
                                .string();
    fs::remove_all(old);
    fs::rename(final_path, old);
    fs::remove_all(old);
  }
  fs::rename(temporary, final_path);
  SyncPath(root_);
  return final_path;
}

void ArtifactCache::Discard(const std::string& temporary) const {
  std::error_code ignored;
  fs::remove_all(temporary, ignored);
}

void ArtifactCache::LinkLatest(const std::string& stage, const std::string& key) const {
  const fs::path link = fs::path(root_) / stage;
  const fs::path staged = fs::path(root_) / (".link." + stage + "." + std::to_string(::getpid()));
  std::error_code error;
  fs::remove(staged, error);
  fs::create_directory_symlink(stage + "-" + key, staged);
  if (fs::exists(link) && !fs::is_symlink(link)) {
    JSQA_CHECK(false, link.string(), ": exists and is not a link; move it away");
  }
  fs::rename(staged, link);  // atomic replacement of the old link
}

}  // namespace jsqa
