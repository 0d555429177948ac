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

void SynthStage::Run(StageContext& context) const {
  const fs::path prepared = context.Input("prepare");
  const auto speech = ReadItemManifest((prepared / "speech.tsv").string());
  const auto noise = ReadItemManifest((prepared / "noise.tsv").string());
  context.summary.update(RunSynthesis(context.config, speech, noise, context.out_dir, SynthJob{}));
}

}  // namespace jsqa
