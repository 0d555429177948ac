#include "pipeline/run/run_index.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <vector>

#include "pipeline/base/text_files.h"
#include "pipeline/run/artifact_cache.h"

namespace jsqa {
namespace fs = std::filesystem;
namespace {

struct StageFolder {
  std::string stage, key;
  std::set<std::string> settings;  // "section.key=value" from its config.ini
  bool current = false;
};

std::set<std::string> Settings(const fs::path& config_ini) {
  std::set<std::string> settings;
  std::ifstream in(config_ini);
  std::string section;
  for (std::string line; std::getline(in, line);) {
    if (line.size() > 2 && line.front() == '[' && line.back() == ']') {
      section = line.substr(1, line.size() - 2);
      continue;
    }
    const auto equals = line.find(" = ");
    if (equals == std::string::npos) continue;
    settings.insert(section + "." + line.substr(0, equals) + "=" + line.substr(equals + 3));
  }
  return settings;
}

}  // namespace

void WriteRunIndex(const std::string& run_dir) {
  static const std::regex kFolder("([a-z_]+)-([0-9a-f]{16})");
  std::map<std::string, std::vector<StageFolder>> by_stage;
  for (const auto& entry : fs::directory_iterator(run_dir)) {
    std::smatch match;
    const std::string name = entry.path().filename().string();
    if (!entry.is_directory() || entry.is_symlink() || !std::regex_match(name, match, kFolder) ||
        !fs::exists(entry.path() / kCompleteMarker))
      continue;
    StageFolder folder{match[1], match[2], Settings(entry.path() / "config.ini"), false};
    // The input folders it read: two folders of the same settings differ there.
    if (fs::exists(entry.path() / "summary.json")) {
      const nlohmann::json summary = ReadJsonFile((entry.path() / "summary.json").string());
      if (summary.contains("inputs") && summary["inputs"].is_object())
        for (const auto& [input, key] : summary["inputs"].items())
          if (key.is_string()) folder.settings.insert("input " + input + "=" + key.get<std::string>());
    }
    std::error_code error;
    const fs::path link = fs::read_symlink(fs::path(run_dir) / folder.stage, error);
    folder.current = !error && link.filename() == name;
    by_stage[folder.stage].push_back(std::move(folder));
  }
  std::string text = "stage\tkey\tstatus\tdiffers\n";
  for (auto& [stage, folders] : by_stage) {
    // By key: the file system's listing order is no order at all.
    std::sort(folders.begin(), folders.end(),
              [](const StageFolder& a, const StageFolder& b) { return a.key < b.key; });
    // Settings every folder of the stage shares say nothing about which is which.
    std::set<std::string> shared = folders.front().settings;
    for (const StageFolder& folder : folders)
      for (auto it = shared.begin(); it != shared.end();) it = folder.settings.count(*it) ? std::next(it) : shared.erase(it);
    for (const StageFolder& folder : folders) {
      std::string differs;
      for (const std::string& setting : folder.settings)
        if (!shared.count(setting)) differs += (differs.empty() ? "" : "; ") + setting;
      text += stage + "\t" + folder.key + "\t" + (folder.current ? "current" : "kept") + "\t" + differs + "\n";
    }
  }
  WriteFileAtomically((fs::path(run_dir) / "stages.tsv").string(), text);
}

}  // namespace jsqa
