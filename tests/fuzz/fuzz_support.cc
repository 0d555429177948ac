#include "tests/fuzz/fuzz_support.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <system_error>

namespace jsqa::fuzz {
namespace fs = std::filesystem;
namespace {

int64_t items_read = -1;  // ReadThrough's report for the current input; -1: none

fs::path MakeScratch() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/jsqa-fuzz-XXXXXX";
  if (!::mkdtemp(pattern.data())) {
    std::perror(("jsqa fuzz: mkdtemp " + pattern).c_str());
    std::abort();
  }
  return pattern;
}

}  // namespace

const fs::path& ScratchDir() {
  static const fs::path dir = [] {
    fs::path made = MakeScratch();
    // libFuzzer leaves through exit() at -max_total_time / -runs; a crash
    // leaves the folder behind (under the TMPDIR `make fuzz` gives it).
    std::atexit([] {
      std::error_code ignored;
      fs::remove_all(ScratchDir(), ignored);
    });
    return made;
  }();
  return dir;
}

void ResetDir(const fs::path& path) {
  fs::remove_all(path);
  fs::create_directories(path);
}

void WriteFile(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) {
    std::fprintf(stderr, "jsqa fuzz: cannot write %s\n", path.c_str());
    std::abort();
  }
}

void Rejected(const std::exception& error) {
  static const bool verbose = [] {
    const char* value = std::getenv("JSQA_FUZZ_VERBOSE");
    return value && std::string(value) == "1";
  }();
  if (verbose) std::fprintf(stderr, "jsqa fuzz: rejected: %s\n", error.what());
}

void ReadThrough(int64_t items) { items_read = items; }

int64_t TakeItemsRead() {
  const int64_t items = items_read;
  items_read = -1;
  return items;
}

void Fail(const char* file, int line, const std::string& what) {
  std::fprintf(stderr, "jsqa fuzz: invariant broken at %s:%d: %s\n", file, line, what.c_str());
  std::abort();
}

}  // namespace jsqa::fuzz
