// Fuzz target: Config::Load (pipeline/base/config.h) with every section this
// build registers (stages/builtin_stages.h AddConfigSections), on the input
// as an INI file and, split into lines, as "--set section.key=value"
// overrides. Only jsqa::Error (UsageError among them) may escape Load; any
// other exception, crash or sanitizer report is a bug. A config that loads
// must round-trip: ToIni() loads again to the same ToIni() (config.h
// promises that ToString() round-trips through Load).
#include <sstream>
#include <string>
#include <vector>

#include "pipeline/base/error.h"
#include "pipeline/base/config.h"
#include "stages/builtin_stages.h"
#include "tests/fuzz/fuzz_support.h"

namespace {
namespace fs = std::filesystem;

// A real base for "include = base.ini" lines.
constexpr char kBase[] =
    "[corpus]\n"
    "librispeech_root = demo/corpus/LibriSpeech\n"
    "librispeech_subsets = train-clean-5,dev-clean-2\n"
    "[jnd]\n"
    "snr_min_db = -5\n"
    "snr_max_db = 20\n"
    "[synth]\n"
    "segment_seconds = 4\n"
    "[graph]\n"
    "prepare =\n"
    "synth = prepare\n";

std::string Trim(const std::string& text) {
  const size_t first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// "include = PATH" reads PATH relative to the config's folder, and absolute
// paths too. The harness keeps includes inside its scratch folder: a value
// with a '/' could name /dev/stdin or /dev/zero (a read that never ends, as
// it would for a user who wrote that) or wander over the machine's files.
bool IncludesStayInScratch(const std::string& text) {
  for (const std::string& line : Lines(text)) {
    const size_t equals = line.find('=');
    if (equals == std::string::npos || Trim(line.substr(0, equals)) != "include") continue;
    if (line.find('/', equals) != std::string::npos) return false;
  }
  return true;
}

// Load, then ToIni() must load again to the same text. Returns false when
// Load threw jsqa::Error (a rejected config).
bool LoadAndRoundTrip(const std::string& path, const std::vector<std::string>& overrides) {
  std::string ini;
  try {
    jsqa::Config config;
    jsqa::AddConfigSections(config);
    config.Load(path, overrides);
    ini = config.ToIni();
  } catch (const jsqa::Error& error) {
    jsqa::fuzz::Rejected(error);
    return false;
  }
  const fs::path resolved = jsqa::fuzz::ScratchDir() / "resolved.ini";
  jsqa::fuzz::WriteFile(resolved, ini);
  jsqa::Config again;
  jsqa::AddConfigSections(again);
  try {
    again.Load(resolved.string());
  } catch (const jsqa::Error& error) {
    jsqa::fuzz::Fail(__FILE__, __LINE__,
                     std::string("ToIni() does not load again: ") + error.what() + "\n--- ToIni():\n" + ini);
  }
  JSQA_FUZZ_EXPECT(again.ToIni() == ini, "ToIni() changed on reloading:\n" + ini + "--- became:\n" + again.ToIni());
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (!IncludesStayInScratch(text)) return -1;  // not kept in the corpus
  const fs::path& dir = jsqa::fuzz::ScratchDir();
  const fs::path path = dir / "fuzz.ini";
  jsqa::fuzz::WriteFile(dir / "base.ini", kBase);
  jsqa::fuzz::WriteFile(path, text);

  LoadAndRoundTrip(path.string(), {});
  LoadAndRoundTrip("", Lines(text));
  return 0;
}
