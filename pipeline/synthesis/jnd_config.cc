#include "pipeline/synthesis/jnd_config.h"

#include <cmath>

#include "pipeline/base/error.h"

namespace jsqa {
namespace {

// Uniform or triangular draw over [lo, hi]; see JndConfig for the shapes.
double Draw(CounterRng& rng, const std::string& distribution, double lo, double hi, bool mode_at_lo) {
  const double u = rng.NextUnit();
  if (distribution == "uniform" || hi == lo) return lo + (hi - lo) * u;
  if (mode_at_lo) return hi - (hi - lo) * std::sqrt(1.0 - u);  // density 2(hi-x)/(hi-lo)²
  // Symmetric triangle with its mode at the midpoint.
  return u < 0.5 ? lo + (hi - lo) * std::sqrt(u / 2.0) : hi - (hi - lo) * std::sqrt((1.0 - u) / 2.0);
}

}  // namespace

void JndConfig::Register(po::options_description& options, const std::string& prefix) {
  const std::string p = prefix + ".";
  options.add_options()
      ((p + "snr_min_db").c_str(), po::value(&snr_min_db)->default_value(snr_min_db),
       "lowest base SNR s, dB")
      ((p + "snr_max_db").c_str(), po::value(&snr_max_db)->default_value(snr_max_db),
       "highest base SNR s, dB")
      ((p + "snr_distribution").c_str(), po::value(&snr_distribution)->default_value(snr_distribution),
       "base SNR distribution: uniform or triangular (mode at the midpoint)")
      ((p + "delta_min_db").c_str(), po::value(&delta_min_db)->default_value(delta_min_db),
       "smallest SNR difference Δ between the pair's mixtures, dB")
      ((p + "delta_max_db").c_str(), po::value(&delta_max_db)->default_value(delta_max_db),
       "largest Δ, dB (the human SNR JND is about 3 dB)")
      ((p + "delta_distribution").c_str(),
       po::value(&delta_distribution)->default_value(delta_distribution),
       "Δ distribution: uniform or triangular (density falling to zero at delta_max_db)")
      ((p + "snr_mode").c_str(), po::value(&snr_mode)->default_value(snr_mode),
       "SNR over the whole segment, or over active-speech frames: segment or active")
      ((p + "target_dbfs").c_str(), po::value(&target_dbfs)->default_value(target_dbfs),
       "RMS level of both mixtures, dBFS (-60..-3)")
      ((p + "svm_model").c_str(), po::value(&svm_model)->default_value(svm_model),
       "JND SVM model file (jsqa-pipeline jnd-svm train); empty: accept every pair")
      ((p + "svm_threshold").c_str(), po::value(&svm_threshold)->default_value(svm_threshold),
       "accept a pair when the SVM's P(heard as the same) is at least this (0..1)")
      ((p + "max_draws").c_str(), po::value(&max_draws)->default_value(max_draws),
       "parameter draws per segment before the pair is dropped (>= 1)");
}

void JndConfig::Validate(const std::string& prefix) const {
  const std::string p = prefix + ".";
  const auto range = [&](const std::string& lo_key, double lo, const std::string& hi_key, double hi) {
    if (!std::isfinite(lo) || !std::isfinite(hi) || lo > hi)
      throw UsageError(p + lo_key + " = " + FormatDouble(lo) + ", " + p + hi_key + " = " + FormatDouble(hi) +
                       ": need finite values with " + lo_key + " <= " + hi_key);
  };
  range("snr_min_db", snr_min_db, "snr_max_db", snr_max_db);
  range("delta_min_db", delta_min_db, "delta_max_db", delta_max_db);
  if (delta_min_db < 0)
    throw UsageError(p + "delta_min_db = " + FormatDouble(delta_min_db) + ": allowed: >= 0");
  RequireOneOf(p + "snr_distribution", snr_distribution, {"uniform", "triangular"});
  RequireOneOf(p + "delta_distribution", delta_distribution, {"uniform", "triangular"});
  RequireOneOf(p + "snr_mode", snr_mode, {"segment", "active"});
  if (!(target_dbfs >= -60 && target_dbfs <= -3))
    throw UsageError(p + "target_dbfs = " + FormatDouble(target_dbfs) + ": allowed: -60..-3");
  if (!(svm_threshold >= 0 && svm_threshold <= 1))
    throw UsageError(p + "svm_threshold = " + FormatDouble(svm_threshold) + ": allowed: 0..1");
  if (max_draws < 1) throw UsageError(p + "max_draws = " + std::to_string(max_draws) + ": allowed: >= 1");
}

std::string JndConfig::ToString() const {
  return KeyValueText()
      .Add("snr_min_db", snr_min_db)
      .Add("snr_max_db", snr_max_db)
      .Add("snr_distribution", snr_distribution)
      .Add("delta_min_db", delta_min_db)
      .Add("delta_max_db", delta_max_db)
      .Add("delta_distribution", delta_distribution)
      .Add("snr_mode", snr_mode)
      .Add("target_dbfs", target_dbfs)
      .Add("svm_model", svm_model)
      .Add("svm_threshold", svm_threshold)
      .Add("max_draws", max_draws)
      .str();
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
  args.snr_mode = snr_mode == "active" ? SnrMode::kActiveSpeech : SnrMode::kWholeSegment;
  args.target_dbfs = target_dbfs;
  return args;
}

}  // namespace jsqa
