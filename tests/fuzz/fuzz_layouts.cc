// Fuzz target: the LibriSpeech and CHiME-3 layout readers
// (pipeline/corpus/librispeech_layout.h ListLibriSpeech, pipeline/corpus/chime3_layout.h
// ListChime3Backgrounds) on a small folder tree built from the input in a
// scratch folder. What they parse: folder and file names (reader, chapter,
// "<reader>-<chapter>-<utt>.flac", "BGD_<YYMMDD>_<NNN>_<ENV>.CH<c>.wav"),
// SPEAKERS.TXT and the "<reader>-<chapter>.trans.txt" transcripts.
//
// The input is a script, one command per line (unknown lines are ignored):
//   d PATH          make folder PATH (and its parents)
//   f PATH          make an empty file PATH
//   w PATH          write PATH with the lines that follow, up to a line "."
//   s NAME          a LibriSpeech subset to list (default: dev-clean)
//   e NAME          a CHiME-3 environment to select (default: all four)
//   h N             a CHiME-3 channel to select (default: 1)
//   p NAME          the CHiME-3 split (default: all)
// PATH is relative to the scratch root; LibriSpeech is read from
// "LibriSpeech", CHiME-3 from "backgrounds". Paths that are absolute or hold
// ".." are ignored, so the tree stays in the scratch folder; names may hold
// any other byte, up to NAME_MAX (255) bytes. At most kMaxEntries paths, kMaxDepth folders deep.
//
// Only jsqa::Error may escape; a name or line the readers do not expect
// must be skipped, never end the listing. Invariants: listings sorted by
// id, ids unique, LibriSpeech ids match their folders, CHiME-3 items match
// the selection.
#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "pipeline/base/error.h"
#include "pipeline/corpus/chime3_layout.h"
#include "pipeline/corpus/librispeech_layout.h"
#include "tests/fuzz/fuzz_support.h"

namespace {
namespace fs = std::filesystem;

constexpr size_t kMaxEntries = 64;
constexpr int kMaxDepth = 6;
constexpr size_t kMaxName = 255;  // NAME_MAX: no folder holds a longer name

// A relative path of names a folder can hold: no "..", "." or empty
// element, no NUL, none longer than kMaxName; or empty if there is none.
fs::path SafeRelative(const std::string& text) {
  if (text.empty() || text[0] == '/' || text.find('\0') != std::string::npos) return {};
  fs::path path;
  int depth = 0;
  for (const fs::path& part : fs::path(text)) {
    const std::string name = part.string();
    if (name.empty() || name == "." || name == ".." || name.size() > kMaxName || ++depth > kMaxDepth) return {};
    path /= part;
  }
  return path;
}

struct Script {
  std::vector<std::string> subsets;
  jsqa::Chime3Selection chime3;
  bool environments_given = false, channels_given = false;
};

Script BuildTree(const std::string& text, const fs::path& root) {
  Script script;
  std::istringstream in(text);
  size_t entries = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.size() < 2 || line[1] != ' ') continue;
    const char command = line[0];
    const std::string argument = line.substr(2);
    if (command == 's' && script.subsets.size() < 4) {
      if (argument.empty() || !SafeRelative(argument).empty()) script.subsets.push_back(argument);
    } else if (command == 'e') {
      if (!script.environments_given) script.chime3.environments.clear();
      script.environments_given = true;
      script.chime3.environments.push_back(argument);
    } else if (command == 'h') {
      if (!script.channels_given) script.chime3.channels.clear();
      script.channels_given = true;
      script.chime3.channels.push_back(std::atoi(argument.c_str()));
    } else if (command == 'p') {
      script.chime3.split = argument;
    } else if (command == 'd' || command == 'f' || command == 'w') {
      std::string content;
      if (command == 'w') {
        for (std::string body; std::getline(in, body) && body != ".";) content += body + "\n";
      }
      const fs::path relative = SafeRelative(argument);
      if (relative.empty() || ++entries > kMaxEntries) continue;
      const fs::path path = root / relative;
      std::error_code error;  // a file where a folder should be, ...: the tree just lacks it
      if (command == 'd') {
        fs::create_directories(path, error);
        continue;
      }
      fs::create_directories(path.parent_path(), error);
      if (!error && !fs::is_directory(path, error)) std::ofstream(path, std::ios::binary) << content;
    }
  }
  if (script.subsets.empty()) script.subsets.push_back("dev-clean");
  return script;
}

bool IsDigits(const std::string& text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

void CheckLibriSpeech(const jsqa::CorpusListing& listing) {
  for (size_t i = 0; i < listing.items.size(); ++i) {
    const jsqa::CorpusItem& item = listing.items[i];
    if (i > 0) JSQA_FUZZ_EXPECT(listing.items[i - 1].id < item.id, "unsorted or duplicate id " + item.id);
    JSQA_FUZZ_EXPECT(item.tags.size() == 5, "tags of " + item.id);
    const std::string prefix = *item.Tag("reader") + "-" + *item.Tag("chapter") + "-";
    JSQA_FUZZ_EXPECT(item.id.rfind(prefix, 0) == 0 && IsDigits(item.id.substr(prefix.size())),
                     "id " + item.id + " does not match its folders");
    JSQA_FUZZ_EXPECT(fs::path(item.path).extension() == ".flac", "not a FLAC file: " + item.path);
  }
}

void CheckChime3(const jsqa::CorpusListing& listing, const jsqa::Chime3Selection& selection) {
  for (size_t i = 0; i < listing.items.size(); ++i) {
    const jsqa::CorpusItem& item = listing.items[i];
    if (i > 0) JSQA_FUZZ_EXPECT(listing.items[i - 1].id < item.id, "unsorted or duplicate id " + item.id);
    JSQA_FUZZ_EXPECT(item.tags.size() == 4, "tags of " + item.id);
    const std::string& env = *item.Tag("env");
    const int channel = std::atoi(item.Tag("channel")->c_str());
    JSQA_FUZZ_EXPECT(std::find(selection.environments.begin(), selection.environments.end(), env) !=
                         selection.environments.end(),
                     "environment " + env + " was not selected");
    JSQA_FUZZ_EXPECT(std::find(selection.channels.begin(), selection.channels.end(), channel) !=
                         selection.channels.end(),
                     "channel of " + item.id + " was not selected");
    JSQA_FUZZ_EXPECT(selection.split == "all" || *item.Tag("split") == selection.split,
                     "split of " + item.id);
    JSQA_FUZZ_EXPECT(*item.Tag("split") == jsqa::Chime3SplitOf(*item.Tag("recording")), "split of " + item.id);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const fs::path root = jsqa::fuzz::ScratchDir() / "tree";
  jsqa::fuzz::ResetDir(root);
  const Script script = BuildTree(text, root);

  try {
    CheckLibriSpeech(jsqa::ListLibriSpeech((root / "LibriSpeech").string(), script.subsets));
  } catch (const jsqa::Error& error) {
    jsqa::fuzz::Rejected(error);
  }
  try {
    CheckChime3(jsqa::ListChime3Backgrounds((root / "backgrounds").string(), script.chime3), script.chime3);
  } catch (const jsqa::Error& error) {
    jsqa::fuzz::Rejected(error);
  }
  return 0;
}
