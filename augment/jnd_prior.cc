#include "augment/jnd_prior.h"

#include <algorithm>
#include <cmath>

namespace jsqa {
namespace {

// McShefferty, Whitmer & Akeroyd (2015): the two measured points (SNR dB,
// JND dB), the clamp outside them, and the psychometric spread.
constexpr double kLowSnrDb = 0.0;
constexpr double kLowJndDb = 2.9;
constexpr double kHighSnrDb = 6.0;
constexpr double kHighJndDb = 3.5;
constexpr double kMinJndDb = 2.5;
constexpr double kMaxJndDb = 4.5;
constexpr double kSpreadDb = 1.0;

// Φ((T - |Δ|) / σ) = erfc((|Δ| - T) / (σ√2)) / 2: a rise and a fall of the
// same size are equally audible.
double SameProbability(double threshold, double spread, double delta) {
  return 0.5 * std::erfc((std::abs(delta) - threshold) / (spread * std::sqrt(2.0)));
}

}  // namespace

double JndThresholdDb(double snr_db) {
  const double slope = (kHighJndDb - kLowJndDb) / (kHighSnrDb - kLowSnrDb);  // dB per dB
  return std::clamp(kLowJndDb + slope * (snr_db - kLowSnrDb), kMinJndDb, kMaxJndDb);
}

double JndSameProbability(double snr_db, double delta_db) {
  return SameProbability(JndThresholdDb(snr_db), kSpreadDb, delta_db);
}

double PublishedJndSameProbability(double jnd, double delta) { return SameProbability(jnd, jnd / 3.0, delta); }

}  // namespace jsqa
