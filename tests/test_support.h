// Helpers shared by the tests: temporary folders and the Debian recordings
// that fixtures are built from.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace jsqa::testing {

// A fresh folder under the system temp dir, removed with everything in it
// when the object goes out of scope.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Real recorded speech from pocketsphinx-testdata (LibriVox clips, 16 kHz).
std::vector<std::string> LibrivoxClips();
// Real recorded speech from alsa-utils at 48 kHz (Front_Center.wav, ...).
std::vector<std::string> AlsaVoiceClips();
// alsa-utils' Noise.wav (48 kHz).
std::string AlsaNoise();

// Writes bytes to a file (for corrupt-file fixtures).
void WriteBytes(const std::string& path, const std::string& bytes);
std::string ReadBytes(const std::string& path);

// Path of the built jsqa-pipeline executable (set by CMake).
std::string JsqaExecutable();
// The repository root (for shipped configs and models).
std::string SourceDir();

// Unsets torchrun's and SLURM's rank variables (DistributedEnv reads them).
void UnsetDistributedEnvironment();

// A TCP port on loopback nobody listens on now (the kernel's pick for port 0).
int FreePort();

// Runs a shell command; returns its exit status and fills output (stdout and
// stderr together) when given.
int RunCommand(const std::string& command, std::string* output = nullptr);

// The demo corpus (tools/demo_corpus) under dir/corpus, built unless it is
// there already, and dir/name: an INI whose [corpus] points at it
// (librispeech_subsets, the CHiME-3 backgrounds, and corpus.nisqa_root when
// nisqa), then extra (more sections). Returns the INI's path.
std::string WriteDemoConfig(const std::filesystem::path& dir, const std::string& name, const std::string& extra = "",
                            const std::string& librispeech_subsets = "train-clean-5", bool nisqa = false);

// The folder of the sweep whose name starts with axes (its swept keys
// without sections, e.g. "delta_min_db+delta_max_db") under
// run_dir/sweeps; fails the test unless there is exactly one.
std::filesystem::path SweepFolder(const std::filesystem::path& run_dir, const std::string& axes);

}  // namespace jsqa::testing
