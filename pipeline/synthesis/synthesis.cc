#include "pipeline/synthesis/synthesis.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <memory>
#include <optional>

#include "augment/degradations/jnd_dimension.h"
#include "pipeline/base/error.h"
#include "augment/jnd_svm.h"
#include "pipeline/synthesis/audio_config.h"
#include "pipeline/synthesis/degradation_ranges.h"
#include "pipeline/synthesis/jnd_config.h"
#include "pipeline/base/logging.h"
#include "pipeline/synthesis/noise_bank.h"
#include "pipeline/synthesis/pair_maker.h"
#include "pipeline/base/sha256.h"
#include "pipeline/base/text_files.h"
#include "pipeline/shards/shard_format.h"
#include "pipeline/synthesis/shard_set.h"
#include "pipeline/synthesis/synth_config.h"
#include "pipeline/synthesis/synth_counts.h"
#include "pipeline/synthesis/synth_graph.h"
#include "pipeline/synthesis/synth_folder_figures.h"
#include "pipeline/synthesis/synth_plan.h"
#include "pipeline/synthesis/synth_report.h"

namespace jsqa {
namespace fs = std::filesystem;
namespace {

std::optional<JndSvm> LoadSvm(const JndConfig& jnd) {
  if (jnd.svm_model.empty())
    JSQA_LOG(kWarn) << "jnd.svm_model is empty: every pair is accepted without the JND check";
  return LoadJndSvm(jnd);
}

std::string Rounded(double db) { return FormatDouble(std::round(db * 100) / 100); }

// The pairs the [jnd] ranges can draw against the model's training ranges:
// a pair's lower SNR spans [snr_min_db − delta_max_db, snr_max_db] (B = s −
// Δ when the draw goes down), its Δ [delta_min_db, delta_max_db]. An end
// more than kJndRangeToleranceDb outside would stop synthesis at the first
// such draw, minutes or hours in; this says so before any pair.
void CheckSvmCoversJndRanges(const JndSvm& svm, const JndConfig& jnd) {
  struct Drawn {
    int feature;  // JndFeatureNames() index
    double lo, hi;
    const char* keys;
  };
  const Drawn drawn[] = {
      {1, jnd.delta_min_db, jnd.delta_max_db, "jnd.delta_min_db to jnd.delta_max_db"},
      {0, jnd.snr_min_db - jnd.delta_max_db, jnd.snr_max_db, "jnd.snr_min_db - jnd.delta_max_db to jnd.snr_max_db"}};
  for (const Drawn& d : drawn) {
    if (svm.Answers(d.feature, d.lo) && svm.Answers(d.feature, d.hi)) continue;
    const JndFeatureRange& range = svm.training_ranges()[static_cast<size_t>(d.feature)];
    throw UsageError("jnd.svm_model = '" + jnd.svm_model + "' was trained on " + JndFeatureNames()[d.feature] +
                     " from " + Rounded(range.min) + " to " + Rounded(range.max) + " dB, but the config draws " +
                     Rounded(d.lo) + " to " + Rounded(d.hi) + " dB (" + d.keys + "), more than " +
                     FormatDouble(kJndRangeToleranceDb) +
                     " dB beyond it: retrain the model over that range (jsqa-pipeline jnd-svm prior "
                     "--snr-min/--snr-max/--delta-max, then jnd-svm train) or narrow the ranges");
  }
}

std::string Percent(int64_t part, int64_t whole) {
  return FormatFixed(whole > 0 ? 100.0 * part / whole : 0.0, 1) + "%";
}

void LogAcceptance(const SynthCounts& counts) {
  std::string by_environment;
  int64_t draws_total = 0, accepted_total = 0;
  for (const auto& [environment, draws] : counts.draws_by_environment) {
    const int64_t accepted = CountOf(counts.accepted_by_environment, environment);
    by_environment += " " + environment + " " + Percent(accepted, draws);
    draws_total += draws;
    accepted_total += accepted;
  }
  JSQA_LOG(kInfo) << "synth: JND acceptance " << Percent(accepted_total, draws_total) << " of " << draws_total
                  << " draws (by environment:" << by_environment << "); " << counts.pairs << " pairs from "
                  << counts.segments << " segments, " << counts.dropped << " dropped after max draws";
  for (const auto& [reason, count] : counts.skipped_by_reason)
    JSQA_LOG(kInfo) << "synth: " << count << " segments skipped: " << reason;
}

// The report is read from the shards and manifest just written, and can be
// made again from them (SynthReportMarkdown): a failure to write it leaves
// a complete, usable set, so it is a warning naming the reason, not an error
// that would fail the job (and a SLURM array) after every shard is done.
void WriteReportBestEffort(const std::string& out_dir) {
  try {
    WriteSynthReport(out_dir);
    JSQA_LOG(kInfo) << "synth: wrote report.md";
  } catch (const std::exception& e) {
    JSQA_LOG(kWarn) << "synth: report.md not written: " << e.what();
  }
}

}  // namespace

std::optional<JndSvm> LoadJndSvm(const JndConfig& jnd) {
  if (jnd.svm_model.empty()) return std::nullopt;
  if (!fs::is_regular_file(jnd.svm_model))
    throw UsageError("jnd.svm_model = '" + jnd.svm_model + "': no such file");
  JndSvm svm = JndSvm::Load(jnd.svm_model);
  CheckSvmCoversJndRanges(svm, jnd);
  return svm;
}

std::map<std::string, JndSvm> LoadDimensionSvms(const JndConfig& jnd) {
  std::map<std::string, JndSvm> svms;
  const std::vector<WeightedDimension> dimensions = jnd.ParsedDimensions();
  for (const auto& [dimension, file] : jnd.ParsedSvmModels()) {
    const std::string key = "jnd.svm_models: " + dimension + ":" + file;
    if (!fs::is_regular_file(file)) throw UsageError(key + ": no such file");
    JndSvm svm = JndSvm::Load(file);
    if (svm.dimension().name != dimension)
      throw UsageError(key + ": the model judges " + svm.dimension().name + " pairs (jnd-svm train --dimension)");
    // The pairs it will judge: the noise step's SNR over [snr_min_db,
    // snr_max_db], Δ in (0, the dimension's largest], a codec's from one
    // mode.
    const double smallest = FindJndDimension(dimension).delta_unit == "modes" ? 1.0 : 0.0;
    for (const WeightedDimension& drawn : dimensions) {
      if (drawn.name != dimension) continue;
      const double largest = std::max(smallest, drawn.largest_delta);
      const bool covers = svm.Answers(kSnr, jnd.snr_min_db) && svm.Answers(kSnr, jnd.snr_max_db) &&
                          svm.Answers(kDelta, smallest) && svm.Answers(kDelta, largest);
      if (!covers) {
        const JndTrainingRanges& ranges = svm.training_ranges();
        throw UsageError(key + ": trained on snr_db " + Rounded(ranges[kSnr].min) + " to " +
                         Rounded(ranges[kSnr].max) + " and Δ " + Rounded(ranges[kDelta].min) + " to " +
                         Rounded(ranges[kDelta].max) + ", but the config draws snr_db " + Rounded(jnd.snr_min_db) +
                         " to " + Rounded(jnd.snr_max_db) + " and Δ " + Rounded(smallest) + " to " + Rounded(largest) +
                         " (jnd.snr_*, jnd.deltas): retrain it over that range or narrow them");
      }
    }
    svms.emplace(dimension, std::move(svm));
  }
  return svms;
}

void CheckJndSvms(const JndConfig& jnd) {
  LoadJndSvm(jnd);
  LoadDimensionSvms(jnd);
}

std::string SvmModelFingerprint(const Config& config) {
  const auto& jnd = config.Get<JndConfig>("jnd");
  std::string fingerprint =
      jnd.svm_model.empty() || !fs::is_regular_file(jnd.svm_model) ? "" : Sha256File(jnd.svm_model);
  for (const auto& [dimension, file] : jnd.ParsedSvmModels())
    if (fs::is_regular_file(file)) fingerprint += " " + dimension + ":" + Sha256File(file);
  return fingerprint;
}

SynthSetup::SynthSetup(const Config& config, const std::vector<ManifestItem>& speech,
                       const std::vector<ManifestItem>& noise)
    : config_(config),
      speech_(speech),
      noise_(noise),
      threads_(ParseThreadCount("synth.threads", config.Get<SynthConfig>("synth").threads)),
      plan_(speech, config.Get<AudioConfig>("audio").sample_rate, config.Get<SynthConfig>("synth")) {
  const auto& synth = config.Get<SynthConfig>("synth");
  if (speech.empty()) throw UsageError("synth: no speech items; configure corpus.librispeech_root or corpus.speech_*");
  if (noise.empty()) throw UsageError("synth: no noise items; configure corpus.chime3_backgrounds or corpus.noise_*");
  if (plan_.items() == 0)
    throw UsageError("synth: no utterance yields a segment of " + FormatDouble(synth.segment_seconds) + " s");
  for (const SkippedEntry& entry : plan_.skipped())
    JSQA_LOG(kDebug) << "synth: skipped " << entry.where << ": " << entry.reason;
  svm_ = LoadSvm(config.Get<JndConfig>("jnd"));
  dimension_svms_ = LoadDimensionSvms(config.Get<JndConfig>("jnd"));
}

const PairMaker& SynthSetup::maker() {
  if (!maker_) {
    const auto& audio = config_.Get<AudioConfig>("audio");
    const auto& synth = config_.Get<SynthConfig>("synth");
    NoiseBankArgs noise_args;
    noise_args.sample_rate = audio.sample_rate;
    noise_args.read = audio.Read();
    noise_args.resample = audio.Resampling();
    noise_args.cache_bytes = int64_t{synth.noise_cache_mb} << 20;
    noise_args.threads = threads_;
    const auto& jnd = config_.Get<JndConfig>("jnd");
    noise_args.dropout_samples = jnd.DropoutSamples(audio.sample_rate);
    noise_args.max_dropout_fraction = jnd.max_noise_dropout_fraction;
    bank_ = std::make_unique<NoiseBank>(noise_, noise_args);
    maker_ = std::make_unique<PairMaker>(speech_, *bank_, svm_ ? &*svm_ : nullptr, dimension_svms_, jnd,
                                         config_.Get<DegradationRangesConfig>("degrade"), synth, audio);
  }
  return *maker_;
}

nlohmann::json RunSynthesis(const Config& config, const std::vector<ManifestItem>& speech,
                            const std::vector<ManifestItem>& noise, const std::string& out_dir,
                            const SynthJob& job, const SynthInputs& inputs) {
  const auto& synth = config.Get<SynthConfig>("synth");
  const auto& audio = config.Get<AudioConfig>("audio");
  const auto start = std::chrono::steady_clock::now();
  SynthSetup setup(config, speech, noise);
  const SynthPlan& plan = setup.plan();

  ShardInfo base;
  base.sample_rate = audio.sample_rate;
  base.segment_samples = static_cast<int>(plan.segment_samples());
  base.sample_format = synth.sample_format;
  base.store_components = synth.store_components;
  base.seed = synth.seed;
  base.config_text = config.CacheKeyText({"jnd", "degrade", "synth", "audio"});
  ShardSet shards(out_dir, plan, base);
  // Every job indexes the same corpus, so each would write the same list:
  // the first writes it, the manifest's writer rewrites it with the noise
  // recordings the jobs' noise banks left out.
  SourceLedger sources(inputs, speech, noise, plan.skipped());
  if (!fs::exists(fs::path(out_dir) / kSkippedListName)) sources.WriteSkippedList(out_dir);
  const std::vector<int> mine = plan.ShardsOfJob(job.index, job.count);
  const std::vector<int> todo = shards.Incomplete(mine);
  JSQA_LOG(kInfo) << "synth: " << plan.items() << " segments in " << plan.shard_count() << " shards; job "
                  << job.index << " of " << job.count << " owns " << mine.size() << ", "
                  << mine.size() - todo.size() << " already complete";

  SynthCounts made;  // by this call, for its rate figure
  if (!todo.empty()) {
    const PairMaker& maker = setup.maker();
    shards.RecordSources(sources.items_sha256(), setup.noise_bank()->skipped());
    const std::vector<SynthUnit> units = plan.Units(todo);
    int64_t segments = 0;
    for (int shard : todo) segments += plan.shard(shard).item_end - plan.shard(shard).item_begin;

    ShardSink sink(shards, units);
    Progress progress("synth", segments, "segments");
    SynthGraphArgs graph_args;
    graph_args.threads = setup.threads();
    graph_args.progress = &progress;
    RunSynthGraph(units, maker, sink, graph_args);
    sink.Drain();
    made = sink.written();
  }

  // Noise recordings the bank left out (truncated, silent, NaN, ...), by
  // reason; empty when this call made no shard and so read no noise.
  nlohmann::json noise_skipped = nlohmann::json::object();
  if (const NoiseBank* bank = setup.noise_bank()) {
    for (const SkippedEntry& entry : bank->skipped()) {
      const std::string reason = SkipReasonCode(entry.code);
      noise_skipped[reason] = noise_skipped.value(reason, 0) + 1;
    }
    sources.AddNoiseSkipped(bank->skipped());
  }
  // A job that made no shard read no noise: the sidecars say what the
  // others' noise banks left out.
  shards.AddRecordedNoiseSkips(sources);

  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const SynthCounts totals = shards.Totals();
  LogAcceptance(totals);
  nlohmann::json header = {{"schema_version", kShardSchemaVersion},
                           {"generator_version", kShardGeneratorVersion},
                           {"seed", synth.seed},
                           {"sample_rate", audio.sample_rate},
                           {"segment_samples", plan.segment_samples()},
                           {"sample_format", synth.Text("sample_format")},
                           {"store_components", synth.store_components},
                           {"svm_model_sha256", SvmModelFingerprint(config)},
                           {"config", base.config_text},
                           {"noise_environments", NoiseEnvironmentsJson(noise)}};
  const nlohmann::json accounted = sources.ToJson();
  std::string by_reason;
  for (const auto& [code, count] : accounted["skipped_by_reason"].items())
    by_reason += (by_reason.empty() ? " (" : ", ") + code + " " + count.dump();
  JSQA_LOG(kInfo) << "synth: " << accounted["input_files"] << " input files: " << accounted["used"] << " used, "
                  << accounted["skipped"] << " skipped" << (by_reason.empty() ? "" : by_reason + ")") << " (listed in "
                  << kSkippedListName << ")";
  const bool complete = shards.WriteManifestIfComplete(header, sources);
  JSQA_LOG(kInfo) << "synth: " << (complete ? std::string("all shards complete; wrote manifest.json")
                                            : "other jobs' shards are still missing; manifest.json not yet written");
  if (complete) WriteReportBestEffort(out_dir);
  return {{"job", job.index},
          {"jobs", job.count},
          {"shards_made", todo.size()},
          {"shard_count", plan.shard_count()},
          {"complete", complete},
          {"seconds", seconds},
          {"made", made.ToJson()},
          {"noise_skipped_by_reason", noise_skipped},
          // Input files used and skipped, by reason (source_ledger.h).
          {"sources", accounted},
          // Audio synthesised (both mixtures of each pair) per wall-clock second.
          {"audio_seconds_per_second", seconds > 0 ? made.pairs * 2 * synth.segment_seconds / seconds : 0.0},
          {"totals", totals.ToJson()}};
}

}  // namespace jsqa
