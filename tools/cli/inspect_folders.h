// `inspect` on the folders the tool writes: a run folder (RUN_DIR), a sweep
// folder (RUN_DIR/sweeps/<name>), one of its points, a stage folder, or the
// shard folder of `synth --out`.
#pragma once

#include <filesystem>
#include <ostream>

namespace jsqa {

enum class FolderKind { kRun, kSweep, kSweepPoint, kStage, kShardSet, kUnknown };
FolderKind DetectFolderKind(const std::filesystem::path& folder);

// stages.tsv as a table (each folder: complete or not), then the sweeps.
void InspectRunFolder(std::ostream& out, const std::filesystem::path& folder);
// The points (status and values) and the sweep's result table.
void InspectSweepFolder(std::ostream& out, const std::filesystem::path& folder);
void InspectSweepPoint(std::ostream& out, const std::filesystem::path& folder);
// summary.json as a readable table, the corpus report of a prepare folder
// or the synthesis report of a synth folder, then the files with their sizes.
void InspectStageFolder(std::ostream& out, const std::filesystem::path& folder);
// A folder `synth --out` (or an array of its jobs) fills: its synthesis
// report once complete, then the files with their sizes.
void InspectShardFolder(std::ostream& out, const std::filesystem::path& folder);

// "8.2 MB": bytes in decimal units (the way df -H and file managers count).
std::string FormatBytes(uintmax_t bytes);

}  // namespace jsqa
