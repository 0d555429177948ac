#include "pipeline/synthesis/jnd_config.h"

#include <cmath>

#include "augment/active_speech_level.h"
#include "augment/degradations/jnd_dimension.h"
#include "pipeline/base/error.h"

namespace jsqa {
namespace {

// Uniform or triangular draw over [lo, hi]; see JndConfig for the shapes.
double Draw(CounterRng& rng, Distribution distribution, double lo, double hi, bool mode_at_lo) {
  const double u = rng.NextUnit();
  switch (distribution) {
    case Distribution::kUniform:
      return lo + (hi - lo) * u;
    case Distribution::kTriangular:
      break;
  }
  if (hi == lo) return lo;
  if (mode_at_lo) return hi - (hi - lo) * std::sqrt(1.0 - u);  // density 2(hi-x)/(hi-lo)²
  // Symmetric triangle with its mode at the midpoint.
  return u < 0.5 ? lo + (hi - lo) * std::sqrt(u / 2.0) : hi - (hi - lo) * std::sqrt((1.0 - u) / 2.0);
}

}  // namespace

void JndConfig::Declare(KeyDeclarations& keys) {
  const std::vector<std::pair<std::string, Distribution>> distributions = {
      {"uniform", Distribution::kUniform}, {"triangular", Distribution::kTriangular}};
  keys.Key("snr_min_db", snr_min_db, "lowest base SNR s, dB");
  keys.Key("snr_max_db", snr_max_db, "highest base SNR s, dB");
  keys.Choice("snr_distribution", snr_distribution, "base SNR distribution (triangular: mode at the midpoint)",
              distributions);
  keys.Key("delta_min_db", delta_min_db, "smallest SNR difference Δ between the pair's mixtures, dB").AtLeast(0);
  keys.Key("delta_max_db", delta_max_db, "largest Δ, dB (the human SNR JND is about 3 dB)");
  keys.Choice("delta_distribution", delta_distribution,
              "Δ distribution (triangular: density falling to zero at delta_max_db)", distributions);
  keys.Choice("snr_mode", snr_mode, "SNR over the whole segment, or over the samples ITU-T P.56 counts as active speech",
              {{"segment", SnrMode::kWholeSegment}, {"active", SnrMode::kActiveSpeech}});
  keys.Choice("level_rule", level_rule,
              "what gives both mixtures the same level: rms (target_dbfs) or active (ITU-T P.56 active speech "
              "level, target_level)",
              {{"rms", LevelRule::kRms}, {"active", LevelRule::kActiveSpeech}});
  keys.Key("target_dbfs", target_dbfs, "level_rule = rms: RMS level of both mixtures, dBFS").Between(-60, -3);
  keys.Key("target_level", target_level_db, "level_rule = active: P.56 active speech level of both mixtures, dBov")
      .Between(-60, -3);
  keys.Key("min_speech_level", min_speech_level_db,
           "speech segments whose P.56 active level is under this (dBov) are skipped as quiet_speech")
      .Between(-100, 0);
  keys.Key("min_speech_activity", min_speech_activity,
           "speech segments active less than this fraction of the time (P.56) are skipped as mostly_silence")
      .Between(0, 1);
  keys.Key("max_gain_db", max_gain_db,
           "speech segments the level rule would amplify by more than this (dB) are skipped as gain_too_large")
      .AtLeast(0);
  keys.Key("max_noise_dropout_ms", max_noise_dropout_ms,
           "a noise segment holding a run of exact zeros (a digital dropout) longer than this is redrawn, ms")
      .Above(0);
  keys.Key("max_noise_dropout_fraction", max_noise_dropout_fraction,
           "noise recordings with more than this fraction in such dropouts are left out (code dropouts)")
      .Between(0, 1);
  keys.Key("skip_clipped_speech", skip_clipped_speech,
           "skip speech files clipped at the source (runs of 3+ full-scale samples; code clipped); they are "
           "counted either way");
  keys.Key("svm_model", svm_model, "JND SVM model file (jsqa-pipeline jnd-svm train); empty: accept every pair");
  keys.Key("svm_models", svm_models,
           "JND SVMs for dimensions other than snr, \"codec_mode:FILE, loss_rate:FILE\" (jnd-svm train "
           "--dimension); a dimension without one is judged by its published prior (c50) or accepted unjudged");
  keys.Key("svm_threshold", svm_threshold, "accept a pair when the SVM's P(heard as the same) is at least this")
      .Between(0, 1);
  keys.Key("max_draws", max_draws, "parameter draws per segment before the pair is dropped").AtLeast(1);
  keys.Key("chains", chains,
           "base degradation chains with weights, each starting with noise: \"noise:0.6, "
           "noise>amr_wb>packet_loss:0.4\"; the later steps' strengths come from [degrade]");
  keys.Key("dimensions", dimensions,
           "what a pair differs in, with weights: \"snr:0.5, codec_mode:0.2, loss_rate:0.1, c50:0.1, "
           "cutoff:0.1\" (README: JND dimensions)");
  keys.Key("deltas", deltas,
           "largest Δ per dimension other than snr, in its unit (\"cutoff:0.5, loss_rate:0.1\"); unnamed ones "
           "take their default");
}

void JndConfig::ValidateTogether(const std::string& prefix) const {
  const std::string p = prefix + ".";
  const auto range = [&](const std::string& lo_key, double lo, const std::string& hi_key, double hi) {
    if (!std::isfinite(lo) || !std::isfinite(hi) || lo > hi)
      throw UsageError(p + lo_key + " = " + FormatDouble(lo) + ", " + p + hi_key + " = " + FormatDouble(hi) +
                       ": need finite values with " + lo_key + " <= " + hi_key);
  };
  range("snr_min_db", snr_min_db, "snr_max_db", snr_max_db);
  range("delta_min_db", delta_min_db, "delta_max_db", delta_max_db);
  ParseDimensions(dimensions, deltas, ParseChains(chains, p + "chains"), p + "dimensions", p + "deltas");
  ParsedSvmModels();
}

std::vector<std::pair<std::string, std::string>> JndConfig::ParsedSvmModels() const {
  std::vector<std::pair<std::string, std::string>> models;
  for (const std::string& entry : SplitList(svm_models)) {
    const size_t colon = entry.find(':');
    const std::string key = "jnd.svm_models = " + svm_models;
    if (colon == std::string::npos || colon == 0 || colon + 1 == entry.size())
      throw UsageError(key + ": '" + entry + "' is not DIMENSION:FILE");
    const std::string dimension = entry.substr(0, colon);
    try {
      FindJndDimension(dimension);
    } catch (const Error& e) {
      throw UsageError(key + ": " + e.what());
    }
    if (dimension == kSnrDimension) throw UsageError(key + ": the snr dimension's SVM is jnd.svm_model");
    for (const auto& [known, file] : models)
      if (known == dimension) throw UsageError(key + ": " + dimension + " is named twice");
    models.emplace_back(dimension, entry.substr(colon + 1));
  }
  return models;
}

std::vector<WeightedChain> JndConfig::ParsedChains() const { return ParseChains(chains, "jnd.chains"); }

std::vector<WeightedDimension> JndConfig::ParsedDimensions() const {
  return ParseDimensions(dimensions, deltas, ParsedChains(), "jnd.dimensions", "jnd.deltas");
}

std::pair<double, double> JndConfig::DrawSnrs(CounterRng& rng) const {
  const double s = Draw(rng, snr_distribution, snr_min_db, snr_max_db, false);
  const double delta = Draw(rng, delta_distribution, delta_min_db, delta_max_db, true);
  const bool down = rng.NextU32() & 1u;
  return {s, down ? s - delta : s + delta};
}

JndMixArgs JndConfig::Mixing(int sample_rate) const {
  JndMixArgs args;
  args.sample_rate = sample_rate;
  args.snr_mode = snr_mode;
  args.level_rule = level_rule;
  args.target_dbfs = target_dbfs;
  args.target_level_db = target_level_db;
  return args;
}

int64_t JndConfig::DropoutSamples(int sample_rate) const {
  return static_cast<int64_t>(std::ceil(max_noise_dropout_ms * 1e-3 * sample_rate));
}

std::optional<SkipReason> JndConfig::SpeechSegmentProblem(const std::vector<float>& clean, int sample_rate,
                                                          std::string* why) const {
  const ActiveSpeechLevel level = MeasureActiveSpeechLevel(clean, sample_rate);
  const auto say = [&](const std::string& text) {
    if (why) *why = text;
  };
  if (!level.any_activity() || level.level_db < min_speech_level_db) {
    say("active speech level " + (level.any_activity() ? FormatDouble(std::round(level.level_db * 10) / 10) : "none") +
        " dBov, under jnd.min_speech_level = " + FormatDouble(min_speech_level_db));
    return SkipReason::kQuietSpeech;
  }
  if (level.activity < min_speech_activity) {
    say("active " + FormatDouble(std::round(level.activity * 1000) / 10) + " % of the segment, under " +
        "jnd.min_speech_activity = " + FormatDouble(min_speech_activity));
    return SkipReason::kMostlySilence;
  }
  // The gain the level rule applies to the speech alone; with noise added
  // the mixture needs less, so this bounds it.
  const double gain_db = level_rule == LevelRule::kActiveSpeech ? target_level_db - level.level_db
                                                                  : target_dbfs - level.long_term_db;
  if (gain_db > max_gain_db) {
    say("the level rule would amplify the speech by " + FormatDouble(std::round(gain_db * 10) / 10) +
        " dB, over jnd.max_gain_db = " + FormatDouble(max_gain_db));
    return SkipReason::kGainTooLarge;
  }
  return std::nullopt;
}

}  // namespace jsqa
