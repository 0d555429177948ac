// One synthesis job end to end: noise bank, plan, shards of this job, the
// flow graph, the manifest. Used by the synth stage, the synth command and
// on-the-fly training batches.
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "augment/jnd_svm.h"
#include "pipeline/base/config.h"
#include "pipeline/corpus/item_manifest.h"
#include "pipeline/synthesis/jnd_config.h"
#include "pipeline/synthesis/noise_bank.h"
#include "pipeline/synthesis/pair_maker.h"
#include "pipeline/synthesis/source_ledger.h"
#include "pipeline/synthesis/synth_plan.h"

namespace jsqa {

struct SynthJob {
  int index = 0;  // this job's shards: j % count == index
  int count = 1;
};

// What a synthesis graph needs, from [jnd], [synth] and [audio]: the plan
// (cheap), and the SVM, noise bank and pair maker (made on first use of
// maker(): decoding the noise takes a while).
class SynthSetup {
 public:
  // Throws UsageError for missing speech or noise, or a missing SVM model.
  SynthSetup(const Config& config, const std::vector<ManifestItem>& speech, const std::vector<ManifestItem>& noise);

  const SynthPlan& plan() const { return plan_; }
  int threads() const { return threads_; }
  const PairMaker& maker();
  // The noise bank once maker() has made it (it lists the recordings it left
  // out), else nullptr.
  const NoiseBank* noise_bank() const { return bank_.get(); }

 private:
  const Config& config_;
  const std::vector<ManifestItem>& speech_;
  const std::vector<ManifestItem>& noise_;
  const int threads_;
  const SynthPlan plan_;
  std::optional<JndSvm> svm_;
  std::map<std::string, JndSvm> dimension_svms_;
  std::unique_ptr<NoiseBank> bank_;
  std::unique_ptr<PairMaker> maker_;
};

// Writes this job's incomplete shards into out_dir (complete ones are
// skipped), then skipped.tsv and manifest.json if all shards of the run are
// complete (skipped.tsv also at the start, when absent). inputs: where the
// items came from and the files their index passed over (source_ledger.h).
// Returns the summary (this job's work, the totals over complete shards and
// "sources"); logs the JND acceptance rate overall and per noise environment.
nlohmann::json RunSynthesis(const Config& config, const std::vector<ManifestItem>& speech,
                            const std::vector<ManifestItem>& noise, const std::string& out_dir,
                            const SynthJob& job, const SynthInputs& inputs = {});

// jnd.svm_model loaded (none when the key is empty). Throws UsageError
// naming the key when the file is missing, or when the pairs the [jnd]
// ranges draw (lower SNR, Δ) lie more than kJndRangeToleranceDb outside the
// model's training ranges; jsqa::Error when it is no model. Cheap: stages
// call it before any stage runs.
std::optional<JndSvm> LoadJndSvm(const JndConfig& jnd);

// jnd.svm_models loaded, by dimension. Throws UsageError naming the key for
// a missing file, a model of another dimension, or one whose training
// ranges do not cover the pairs [jnd] draws for its dimension.
std::map<std::string, JndSvm> LoadDimensionSvms(const JndConfig& jnd);

// LoadJndSvm and LoadDimensionSvms, for the stages' checks before any runs.
void CheckJndSvms(const JndConfig& jnd);

// SHA-256 of the configured SVM models, "" when none: part of synth's cache
// key, so retraining a model reruns synthesis.
std::string SvmModelFingerprint(const Config& config);

}  // namespace jsqa
