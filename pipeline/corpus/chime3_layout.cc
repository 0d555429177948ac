#include "pipeline/corpus/chime3_layout.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <regex>

#include "pipeline/base/error.h"

namespace jsqa {
namespace fs = std::filesystem;
namespace {

const std::vector<std::string> kEnvironments = {"CAF", "PED", "STR", "BUS"};
const std::vector<std::string> kSplits = {"all", "train", "dev", "eval"};
constexpr int kChannels = 6;  // tablet microphones CH1..CH6; backgrounds have no CH0

// The split of the public CHiME-3 recipes (FORMATS.md): 9 train, 4 dev and 4
// eval recordings of the 17, so noise never crosses from train to test.
const std::map<std::string, std::string>& SplitTable() {
  static const std::map<std::string, std::string> table = {
      {"150203_010_CAF", "train"}, {"150203_010_PED", "train"}, {"150203_010_STR", "train"},
      {"150203_020_PED", "train"}, {"150204_010_BUS", "train"}, {"150204_020_BUS", "train"},
      {"150204_020_CAF", "train"}, {"150211_020_STR", "train"}, {"150211_030_STR", "train"},
      {"150212_040_STR", "dev"},   {"150205_030_PED", "dev"},   {"150204_030_CAF", "dev"},
      {"150204_030_BUS", "dev"},   {"150205_040_CAF", "eval"},  {"150211_040_PED", "eval"},
      {"150204_040_BUS", "eval"},  {"150212_050_STR", "eval"},
  };
  return table;
}

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::string Join(const std::vector<std::string>& list) {
  std::string text;
  for (const std::string& value : list) text += (text.empty() ? "" : "|") + value;
  return text;
}

void Validate(const Chime3Selection& selection) {
  JSQA_CHECK(Contains(kSplits, selection.split), "CHiME-3 split '", selection.split,
             "' is not one of ", Join(kSplits));
  JSQA_CHECK(!selection.environments.empty(), "CHiME-3 selection has no environments");
  for (const std::string& env : selection.environments)
    JSQA_CHECK(Contains(kEnvironments, env), "CHiME-3 environment '", env, "' is not one of ",
               Join(kEnvironments));
  JSQA_CHECK(!selection.channels.empty(), "CHiME-3 selection has no channels");
  for (const int channel : selection.channels)
    JSQA_CHECK(channel >= 1 && channel <= kChannels, "CHiME-3 channel ", channel,
               " is outside 1..", kChannels);
}

bool AllDigits(const std::string& text, size_t pos, size_t count) {
  if (pos + count > text.size()) return false;
  return std::all_of(text.begin() + pos, text.begin() + pos + count,
                     [](char c) { return c >= '0' && c <= '9'; });
}

struct BackgroundName {
  std::string recording;  // "150203_010_CAF"
  std::string env;        // "CAF"
  int channel;            // 1..6
};

// Parses "BGD_<YYMMDD>_<NNN>_<ENV>.CH<c>.wav" exactly; anything else is not a
// background file.
std::optional<BackgroundName> ParseBackgroundName(const std::string& name) {
  // "BGD_" 4 + "150203_010_CAF" 14 + ".CH" 3 + channel 1 + ".wav" 4
  constexpr size_t kLength = 26;
  if (name.size() != kLength || name.compare(0, 4, "BGD_") != 0 || !AllDigits(name, 4, 6) ||
      name[10] != '_' || !AllDigits(name, 11, 3) || name[14] != '_' || name.compare(18, 3, ".CH") != 0 ||
      name.compare(22, 4, ".wav") != 0)
    return std::nullopt;
  BackgroundName parsed{name.substr(4, 14), name.substr(15, 3), name[21] - '0'};
  if (!Contains(kEnvironments, parsed.env) || parsed.channel < 1 || parsed.channel > kChannels)
    return std::nullopt;
  return parsed;
}

}  // namespace

std::string NoiseEnvironmentOfFile(const std::string& path) {
  const std::string name = fs::path(path).filename().string();
  static const std::regex chime3(R"(BGD_\d+_\d+_([A-Z]+)\.CH\d+\.wav)");
  std::smatch match;
  if (std::regex_match(name, match, chime3)) return match[1];
  return fs::path(path).stem().string();
}

std::string Chime3SplitOf(const std::string& recording) {
  const auto found = SplitTable().find(recording);
  return found == SplitTable().end() ? "" : found->second;
}

CorpusListing ListChime3Backgrounds(const std::string& dir, const Chime3Selection& selection) {
  Validate(selection);
  JSQA_CHECK(fs::is_directory(dir), "CHiME-3 backgrounds folder not found: ", dir);
  CorpusListing listing;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    const std::optional<BackgroundName> name =
        entry.is_regular_file() ? ParseBackgroundName(entry.path().filename().string()) : std::nullopt;
    if (!name) {
      listing.skipped.push_back(
          {entry.path().string(), SkipReason::kNotInLayout, "not a background file (BGD_YYMMDD_NNN_ENV.CHc.wav)"});
      continue;
    }
    const std::string split = Chime3SplitOf(name->recording);
    if (!Contains(selection.environments, name->env)) continue;
    if (std::find(selection.channels.begin(), selection.channels.end(), name->channel) ==
        selection.channels.end())
      continue;
    if (selection.split != "all" && split != selection.split) continue;

    CorpusItem item;
    item.id = entry.path().stem().string();
    item.path = entry.path().string();
    item.tags = {{"env", name->env},
                 {"recording", name->recording},
                 {"channel", std::to_string(name->channel)},
                 {"split", split}};
    listing.items.push_back(std::move(item));
  }
  std::sort(listing.items.begin(), listing.items.end(),
            [](const CorpusItem& a, const CorpusItem& b) { return a.id < b.id; });
  std::sort(listing.skipped.begin(), listing.skipped.end(),
            [](const SkippedEntry& a, const SkippedEntry& b) { return a.where < b.where; });
  return listing;
}

}  // namespace jsqa
