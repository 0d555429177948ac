#include "pipeline/synthesis/jnd_config.h"

#include <cmath>

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
  keys.Choice("snr_mode", snr_mode, "SNR over the whole segment, or over active-speech frames",
              {{"segment", SnrMode::kWholeSegment}, {"active", SnrMode::kActiveSpeech}});
  keys.Key("target_dbfs", target_dbfs, "RMS level of both mixtures, dBFS").Between(-60, -3);
  keys.Key("svm_model", svm_model, "JND SVM model file (jsqa-pipeline jnd-svm train); empty: accept every pair");
  keys.Key("svm_threshold", svm_threshold, "accept a pair when the SVM's P(heard as the same) is at least this")
      .Between(0, 1);
  keys.Key("max_draws", max_draws, "parameter draws per segment before the pair is dropped").AtLeast(1);
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
  args.target_dbfs = target_dbfs;
  return args;
}

}  // namespace jsqa
