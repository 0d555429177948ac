// A main() for the fuzz targets in builds without libFuzzer (gcc, the
// sanitizer build, the main build): runs LLVMFuzzerTestOneInput once on each
// file named, or on each file under each folder named (sorted, recursively),
// so that ctest replays the seed corpora and every checked-in crash input
// (tests/fuzz/regressions/<target>/) on every build. Any crash, sanitizer
// report or broken invariant aborts with the file's name printed first.
// Files after "-jsqa-seeds" (until "-jsqa-regressions") are checked-in
// seeds: one the target's harness sets aside fails the replay, since a seed
// the target never reads would test nothing.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "tests/fuzz/fuzz_support.h"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  std::vector<fs::path> inputs;
  std::vector<fs::path> seeds;
  bool in_seeds = false;
  for (int i = 1; i < argc; ++i) {
    const fs::path arg = argv[i];
    if (arg == "-jsqa-seeds" || arg == "-jsqa-regressions") {
      in_seeds = arg == "-jsqa-seeds";
      continue;
    }
    if (!arg.empty() && arg.string()[0] == '-') continue;  // libFuzzer flags (-runs=0, ...)
    if (in_seeds) seeds.push_back(arg);
    if (fs::is_directory(arg)) {
      for (const auto& entry : fs::recursive_directory_iterator(arg))
        if (entry.is_regular_file()) inputs.push_back(entry.path());
    } else if (fs::is_regular_file(arg)) {
      inputs.push_back(arg);
    } else {
      std::fprintf(stderr, "%s: no such file or folder: %s\n", argv[0], arg.c_str());
      return 2;
    }
  }
  std::sort(inputs.begin(), inputs.end());
  size_t rejected = 0, seeds_rejected = 0;
  for (const fs::path& path : inputs) {
    std::ifstream in(path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::fprintf(stderr, "replay %s (%zu bytes)\n", path.c_str(), bytes.size());
    // -1: the target's harness set the input aside (see the target).
    if (LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()) == -1) {
      const bool seed = std::find(seeds.begin(), seeds.end(), path) != seeds.end();
      std::fprintf(stderr, "  set aside by the target%s\n", seed ? ": a checked-in seed must be read" : "");
      ++rejected;
      seeds_rejected += seed;
    }
  }
  std::fprintf(stderr, "%s: replayed %zu inputs (%zu set aside, %zu of them seeds)\n", argv[0], inputs.size(),
               rejected, seeds_rejected);
  return seeds_rejected == 0 ? 0 : 1;
}
