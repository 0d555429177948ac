#include "stages/stage_inputs.h"

#include <algorithm>
#include <filesystem>

#include "pipeline/base/error.h"
#include "model/training_config.h"
#include "pipeline/base/sha256.h"
#include "pipeline/base/logging.h"

namespace jsqa {
namespace fs = std::filesystem;

std::string PrepareFolder(const StageContext& context) {
  const auto found = context.inputs.find("prepare");
  return found == context.inputs.end() ? "" : found->second;
}

std::string InputOrSetting(const StageContext& context, const std::string& stage, const std::string& setting,
                           const std::string& key, bool required) {
  const auto found = context.inputs.find(stage);
  if (found != context.inputs.end()) return found->second;
  if (required) RequireInputOrSetting({}, stage, setting, key);
  return setting;
}

void RequireInputOrSetting(const std::set<std::string>& inputs, const std::string& stage, const std::string& setting,
                           const std::string& key) {
  if (inputs.count(stage) || !setting.empty()) return;
  throw UsageError(key + " is empty: name the " + stage + " output to read (or run the " + stage +
                   " stage before this one in [graph])");
}

void RequireGraphDevice(const Config& config, const StageGraph& graph, const StageRegistry& registry) {
  for (const GraphNode& node : graph.Ordered()) {
    const auto sections = registry.Get(node.stage).ConfigSections();
    if (std::find(sections.begin(), sections.end(), "runtime") == sections.end()) continue;
    return RequireDeviceAvailable(config.Get<RuntimeConfig>("runtime"));
  }
}

std::string FileInFolder(const std::string& path, const std::string& file_name) {
  return fs::is_directory(path) ? (fs::path(path) / file_name).string() : path;
}

std::string FileFingerprint(const std::string& path, const std::string& file_name) {
  if (path.empty()) return "";
  const std::string file = FileInFolder(path, file_name);
  return fs::exists(file) ? Sha256File(file) : "";
}

std::vector<MosClip> NisqaClips(const std::vector<ManifestItem>& nisqa, const std::vector<std::string>& dbs,
                                const std::string& key) {
  std::vector<MosClip> clips;
  for (const std::string& name : dbs) {
    const std::string db = CanonicalDbName(name);
    const size_t before = clips.size();
    for (const ManifestItem& entry : nisqa) {
      const std::string* tag = entry.item.Tag("db");
      if (tag && CanonicalDbName(*tag) == db) clips.push_back({entry.item.id, entry.item.path, db, entry.item.mos});
    }
    if (clips.size() == before)
      throw UsageError(key + ": dataset " + db + " has no clips (is it in corpus.nisqa_dbs, under corpus.nisqa_root?)");
  }
  return clips;
}

}  // namespace jsqa
