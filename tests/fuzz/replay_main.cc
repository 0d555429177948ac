// A main() for the fuzz targets in builds without libFuzzer (gcc, the
// sanitizer build, the main build): runs LLVMFuzzerTestOneInput once on each
// file named, or on each file under each folder named (sorted, recursively),
// so that ctest replays the seed corpora and every checked-in crash input
// (tests/fuzz/regressions/<target>/) on every build. Any crash, sanitizer
// report or broken invariant aborts with the file's name printed first.
// Files after "-jsqa-seeds" (until the next marker) are checked-in seeds:
// one the target's harness sets aside fails the replay, since a seed the
// target never reads would test nothing. Files after "-jsqa-valid-seeds"
// are seeds the code under test must take whole (the "valid-*" seeds): one
// the target does not report read through (jsqa::fuzz::ReadThrough) with at
// least one item fails the replay, so a reader that rejects everything
// cannot pass it. Files after "-jsqa-regressions" may be set aside.
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
  std::vector<fs::path> seeds, valid_seeds;  // valid ones are in both
  bool in_seeds = false, in_valid = false;
  for (int i = 1; i < argc; ++i) {
    const fs::path arg = argv[i];
    if (arg == "-jsqa-seeds" || arg == "-jsqa-valid-seeds" || arg == "-jsqa-regressions") {
      in_valid = arg == "-jsqa-valid-seeds";
      in_seeds = in_valid || arg == "-jsqa-seeds";
      continue;
    }
    if (!arg.empty() && arg.string()[0] == '-') continue;  // libFuzzer flags (-runs=0, ...)
    if (in_seeds) seeds.push_back(arg);
    if (in_valid) valid_seeds.push_back(arg);
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
  size_t rejected = 0, seeds_rejected = 0, valid_not_read = 0;
  for (const fs::path& path : inputs) {
    std::ifstream in(path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::fprintf(stderr, "replay %s (%zu bytes)\n", path.c_str(), bytes.size());
    jsqa::fuzz::TakeItemsRead();  // no report left from an earlier input
    // -1: the target's harness set the input aside (see the target).
    if (LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()) == -1) {
      const bool seed = std::find(seeds.begin(), seeds.end(), path) != seeds.end();
      std::fprintf(stderr, "  set aside by the target%s\n", seed ? ": a checked-in seed must be read" : "");
      ++rejected;
      seeds_rejected += seed;
    }
    const int64_t items = jsqa::fuzz::TakeItemsRead();
    if (std::find(valid_seeds.begin(), valid_seeds.end(), path) != valid_seeds.end() && items < 1) {
      std::fprintf(stderr, "  a valid seed, but %s\n",
                   items < 0 ? "the code under test rejected it (JSQA_FUZZ_VERBOSE=1 says why)"
                             : "it yielded no items");
      ++valid_not_read;
    }
  }
  std::fprintf(stderr, "%s: replayed %zu inputs (%zu set aside, %zu of them seeds; %zu of %zu valid seeds not read)\n",
               argv[0], inputs.size(), rejected, seeds_rejected, valid_not_read, valid_seeds.size());
  return seeds_rejected == 0 && valid_not_read == 0 ? 0 : 1;
}
