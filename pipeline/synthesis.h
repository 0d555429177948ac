// One synthesis job end to end: noise bank, plan, shards of this job, the
// flow graph, the manifest. Used by the synth stage and the synth command.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "pipeline/config.h"
#include "pipeline/item_manifest.h"

namespace jsqa {

struct SynthJob {
  int index = 0;  // this job's shards: j % count == index
  int count = 1;
};

// Reads [jnd], [synth] and [audio] from config. Writes this job's incomplete
// shards into out_dir (complete ones are skipped), then manifest.json if all
// shards of the run are complete. Returns the summary (this job's work and
// the totals over complete shards); logs the JND acceptance rate overall and
// per noise environment.
nlohmann::json RunSynthesis(const Config& config, const std::vector<ManifestItem>& speech,
                            const std::vector<ManifestItem>& noise, const std::string& out_dir,
                            const SynthJob& job);

// SHA-256 of the configured SVM model, "" when none: part of synth's cache
// key, so retraining the model reruns synthesis.
std::string SvmModelFingerprint(const Config& config);

}  // namespace jsqa
