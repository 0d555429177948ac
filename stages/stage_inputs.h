// How stages find what they read: a graph input's folder under `run`, else
// the config key that names it (the stage subcommands), else the corpus
// indexed on the spot.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "model/finetune.h"
#include "pipeline/corpus/item_manifest.h"
#include "pipeline/run/stage.h"
#include "pipeline/run/stage_graph.h"
#include "stages/prepare_stage.h"

namespace jsqa {

// The prepare input's folder, "" without one.
std::string PrepareFolder(const StageContext& context);

// A graph input's folder when the graph has it, else the setting's value;
// throws UsageError naming key when both are empty and required.
std::string InputOrSetting(const StageContext& context, const std::string& stage, const std::string& setting,
                           const std::string& key, bool required);

// Throws the same UsageError as InputOrSetting when the graph's inputs lack
// stage and setting is empty: checked before any stage runs.
void RequireInputOrSetting(const std::set<std::string>& inputs, const std::string& stage, const std::string& setting,
                           const std::string& key);

// When a stage of the graph reads [runtime] (it trains or scores on a
// device), throws UsageError unless runtime.device is there: before the
// stages ahead of it spend hours.
void RequireGraphDevice(const Config& config, const StageGraph& graph, const StageRegistry& registry);

// path itself when it is a file, else path/file_name (a stage folder).
std::string FileInFolder(const std::string& path, const std::string& file_name);
// SHA-256 of FileInFolder(path, file_name) for a cache key; "" when path is
// empty or the file is not there (yet).
std::string FileFingerprint(const std::string& path, const std::string& file_name);

// The clips of the named NISQA datasets, dataset by dataset in dbs order;
// throws UsageError naming key when a dataset has no clips.
std::vector<MosClip> NisqaClips(const std::vector<ManifestItem>& nisqa, const std::vector<std::string>& dbs,
                                const std::string& key);

}  // namespace jsqa
