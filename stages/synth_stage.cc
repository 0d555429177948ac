#include "stages/synth_stage.h"

#include <filesystem>

#include "pipeline/corpus/item_manifest.h"
#include "pipeline/synthesis/synthesis.h"

namespace jsqa {
namespace fs = std::filesystem;

std::vector<std::string> SynthStage::InputFiles(const std::string& input, const Config&) const {
  if (input == "prepare") return {"speech.tsv", "noise.tsv"};
  return {};
}

std::string SynthStage::Fingerprint(const Config& config) const { return SvmModelFingerprint(config); }

void SynthStage::CheckInputs(const Config& config, const std::set<std::string>&) const {
  CheckJndSvms(config.Get<JndConfig>("jnd"));
}

void SynthStage::Run(StageContext& context) const {
  const fs::path prepared = context.Input("prepare");
  const auto speech = ReadItemManifest((prepared / "speech.tsv").string());
  const auto noise = ReadItemManifest((prepared / "noise.tsv").string());
  // The files prepare passed over are counted in its own folder (skipped.tsv,
  // summary.json; this folder's summary.json names it under inputs.prepare),
  // and not read here: this stage's key holds speech.tsv and noise.tsv only,
  // so that a NISQA change leaves it as it was, and a stage writes nothing
  // its key does not cover. "sources" accounts for the items of those two
  // manifests: used, or skipped by synthesis (too short, noise left out).
  SynthInputs inputs;
  inputs.indexed_by = "prepare";
  context.summary.update(RunSynthesis(context.config, speech, noise, context.out_dir, SynthJob{}, inputs));
}

}  // namespace jsqa
