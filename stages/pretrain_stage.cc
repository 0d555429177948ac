#include "stages/pretrain_stage.h"

#include <chrono>
#include <iomanip>

#include "model/pretrain.h"
#include "model/training_config.h"
#include "pipeline/base/logging.h"
#include "pipeline/synthesis/shard_verification.h"
#include "pipeline/synthesis/synthesis.h"
#include "stages/stage_inputs.h"

namespace jsqa {

std::vector<std::string> PretrainStage::KeySections(const Config& config,
                                                    const std::set<std::string>& inputs) const {
  std::vector<std::string> sections = {"model", "pretrain", "runtime"};
  switch (config.Get<PretrainConfig>("pretrain").source) {
    case PretrainConfig::Source::kShards:
      return sections;
    case PretrainConfig::Source::kOnTheFly:
      sections.insert(sections.end(), {"jnd", "degrade", "synth", "audio"});
      if (!inputs.count("prepare")) sections.insert(sections.end(), {"corpus", "prepare"});
      return sections;
  }
  return ConfigSections();
}

std::vector<std::string> PretrainStage::InputFiles(const std::string& input, const Config&) const {
  if (input == "synth") return {"manifest.json"};
  if (input == "prepare") return {"speech.tsv", "noise.tsv"};
  return {};
}

void PretrainStage::CheckInputs(const Config& config, const std::set<std::string>& inputs) const {
  const auto& settings = config.Get<PretrainConfig>("pretrain");
  if (settings.source == PretrainConfig::Source::kShards)
    RequireInputOrSetting(inputs, "synth", settings.shards, "pretrain.shards");
  else
    CheckJndSvms(config.Get<JndConfig>("jnd"));  // pairs are drawn on the fly: the models must cover [jnd]
}

std::string PretrainStage::Fingerprint(const Config& config) const {
  return config.Get<PretrainConfig>("pretrain").source == PretrainConfig::Source::kOnTheFly ? SvmModelFingerprint(config) : "";
}

void PretrainStage::Run(StageContext& context) const {
  const Config& config = context.config;
  const auto& settings = config.Get<PretrainConfig>("pretrain");
  PairBatchOpener open;
  DataCheck check;
  std::vector<ManifestItem> speech, noise;
  if (settings.source == PretrainConfig::Source::kShards) {
    const std::string shards = InputOrSetting(context, "synth", settings.shards, "pretrain.shards", true);
    // Once, not on every pass; by the ranks together, each its share, once
    // they have met (RunPretraining): hashing every shard before the
    // rendezvous held the ranks there for minutes, past its timeout.
    check = [shards](const RankSlice& slice) {
      const auto start = std::chrono::steady_clock::now();
      const ShardsVerified verified = VerifyShards(shards, slice);
      const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
      JSQA_LOG(kInfo) << "pretrain: rank " << slice.rank << " of " << slice.world << " hashed " << verified.hashed
                      << " of " << verified.listed << " shards (" << std::fixed << std::setprecision(1)
                      << 1e-6 * static_cast<double>(verified.bytes) << " MB in " << std::setprecision(2)
                      << took.count() << " s): they match manifest.json";
    };
    const uint64_t seed = settings.optimization.seed;
    open = [shards, seed](int64_t epoch, int64_t batch_size, const RankSlice& slice) {
      return OpenShardBatches(shards, batch_size, slice, ShardOrder{seed, epoch, true});
    };
  } else {
    speech = CorpusItems(CorpusKind::kSpeech, config, PrepareFolder(context));
    noise = CorpusItems(CorpusKind::kNoise, config, PrepareFolder(context));
    // Every pass synthesises the same pairs the synth stage would store.
    open = [&](int64_t, int64_t batch_size, const RankSlice& slice) {
      return OpenOnTheFlyBatches(config, speech, noise, batch_size, slice);
    };
  }
  context.summary.update(RunPretraining(config, context.out_dir, open, check));
}

}  // namespace jsqa
