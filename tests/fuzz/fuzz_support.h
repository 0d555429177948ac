// Helpers shared by the fuzz targets (tests/fuzz/README.md): a scratch folder
// per process for the files a target derives from its input, and the check
// that turns a broken invariant into a crash libFuzzer reports.
//
// The targets link neither GoogleTest nor tests/test_support (gtest_main
// would clash with libFuzzer's main).
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <string>
#include <string_view>

namespace jsqa::fuzz {

// A folder of this process under $TMPDIR (or /tmp), made on first use and
// removed at exit; targets clear what they put in it on each input.
const std::filesystem::path& ScratchDir();

// Removes `path` with everything in it, then makes it again, empty.
void ResetDir(const std::filesystem::path& path);

void WriteFile(const std::filesystem::path& path, std::string_view bytes);

// With JSQA_FUZZ_VERBOSE=1 in the environment, prints why the code under
// test rejected an input (the jsqa::Error it threw): for reading replays.
void Rejected(const std::exception& error);

// The code under test took the input whole, without an error, and yielded
// `items` items (pairs, rows, ...). The replay (replay_main.cc) requires it,
// with items >= 1, of every "valid-*" seed: a reader that rejects every
// input then fails the replay instead of passing it. Call it at most once
// per input; libFuzzer's main ignores it.
void ReadThrough(int64_t items);

// What the target reported for the input just run (-1: no ReadThrough),
// and clears it for the next (replay_main.cc).
int64_t TakeItemsRead();

// A broken invariant: prints what and where, then aborts, so that libFuzzer
// (or the replay driver under the sanitizers) reports the input.
[[noreturn]] void Fail(const char* file, int line, const std::string& what);

}  // namespace jsqa::fuzz

#define JSQA_FUZZ_EXPECT(cond, what) \
  do {                               \
    if (!(cond)) ::jsqa::fuzz::Fail(__FILE__, __LINE__, std::string(#cond ": ") + (what)); \
  } while (false)

// Every target defines this (libFuzzer's entry point).
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
