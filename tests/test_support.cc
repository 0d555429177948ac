#include "tests/test_support.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

#include "tools/demo_corpus/demo_corpus.h"

namespace jsqa::testing {
namespace fs = std::filesystem;

TempDir::TempDir() {
  std::random_device device;
  for (int attempt = 0; attempt < 100; ++attempt) {
    fs::path candidate = fs::temp_directory_path() /
                         ("jsqa-test-" + std::to_string(::getpid()) + "-" + std::to_string(device()));
    if (fs::create_directory(candidate)) {
      path_ = candidate;
      return;
    }
  }
  throw std::runtime_error("cannot create a temporary directory");
}

TempDir::~TempDir() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

std::vector<std::string> LibrivoxClips() {
  const std::string dir = "/usr/share/pocketsphinx/test/data/librivox/";
  std::vector<std::string> clips;
  for (const char* id : {"0870", "0880", "0890", "0920", "0930"})
    clips.push_back(dir + "sense_and_sensibility_01_austen_64kb-" + id + ".wav");
  return clips;
}

std::vector<std::string> AlsaVoiceClips() {
  std::vector<std::string> clips;
  for (const char* name : {"Front_Center", "Front_Left", "Front_Right", "Rear_Center",
                           "Rear_Left", "Rear_Right", "Side_Left", "Side_Right"})
    clips.push_back(std::string("/usr/share/sounds/alsa/") + name + ".wav");
  return clips;
}

std::string AlsaNoise() { return "/usr/share/sounds/alsa/Noise.wav"; }

void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  if (!out) throw std::runtime_error("cannot write " + path);
}

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string JsqaExecutable() { return JSQA_EXECUTABLE; }
std::string SourceDir() { return JSQA_SOURCE_DIR; }

void UnsetDistributedEnvironment() {
  for (const char* name : {"RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT", "SLURM_PROCID",
                           "SLURM_NTASKS", "SLURM_LOCALID", "SLURM_JOB_NODELIST", "SLURM_JOB_ID", "SLURM_STEP_ID",
                           "SLURM_STEP_NUM_TASKS", "SLURM_STEP_NODELIST"})
    unsetenv(name);
}

int FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  socklen_t size = sizeof(address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  ::close(fd);
  return ntohs(address.sin_port);
}

int RunCommand(const std::string& command, std::string* output) {
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (!pipe) throw std::runtime_error("cannot run " + command);
  std::array<char, 4096> buffer;
  std::string text;
  while (size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) text.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  if (output) *output = text;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string WriteDemoConfig(const fs::path& dir, const std::string& name, const std::string& extra,
                            const std::string& librispeech_subsets, bool nisqa) {
  const fs::path corpus = dir / "corpus";
  // BuildDemoCorpus renames a finished corpus into place: one that exists is whole.
  if (!fs::exists(corpus)) BuildDemoCorpus(corpus.string());
  std::string ini = "[corpus]\n";
  ini += "librispeech_root = " + (corpus / "LibriSpeech").string() + "\n";
  ini += "librispeech_subsets = " + librispeech_subsets + "\n";
  ini += "chime3_backgrounds = " + (corpus / "CHiME3/data/audio/16kHz/backgrounds").string() + "\n";
  if (nisqa) ini += "nisqa_root = " + (corpus / "NISQA_Corpus").string() + "\n";
  const std::string path = (dir / name).string();
  WriteBytes(path, ini + extra);
  return path;
}

std::filesystem::path SweepFolder(const std::filesystem::path& run_dir, const std::string& axes) {
  std::vector<std::filesystem::path> found;
  if (std::filesystem::exists(run_dir / "sweeps"))
    for (const auto& entry : std::filesystem::directory_iterator(run_dir / "sweeps"))
      if (entry.path().filename().string().rfind(axes + "-", 0) == 0) found.push_back(entry.path());
  EXPECT_EQ(found.size(), 1u) << "sweep folders " << axes << "-* under " << run_dir;
  return found.empty() ? run_dir / "sweeps" / "missing" : found.front();
}

}  // namespace jsqa::testing
