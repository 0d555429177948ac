#include "augment/jnd_pair.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "augment/active_speech_level.h"
#include "pipeline/base/error.h"

namespace jsqa {
namespace {

MixResult MixUnscaled(const std::vector<float>& clean, const std::vector<float>& noise, double snr_db,
                      const JndMixArgs& args) {
  MixArgs mix;
  mix.snr_db = snr_db;
  mix.sample_rate = args.sample_rate;
  mix.snr_mode = args.snr_mode;
  // Level and peak are handled for both mixtures together below.
  mix.target_dbfs = std::numeric_limits<double>::quiet_NaN();
  mix.max_peak = std::numeric_limits<double>::max();  // MixAtSnr requires a finite limit
  return MixAtSnr(clean, noise, mix);
}

// The linear gain that brings mixture to the level rule's target.
double LevelGain(const std::vector<float>& mixture, const JndMixArgs& args) {
  switch (args.level_rule) {
    case LevelRule::kRms:
      return std::pow(10.0, (args.target_dbfs - RmsDbfs(mixture)) / 20.0);
    case LevelRule::kActiveSpeech: {
      const ActiveSpeechLevel level = MeasureActiveSpeechLevel(mixture, args.sample_rate);
      JSQA_CHECK(level.any_activity(), "mixture has no active speech (ITU-T P.56)");
      return std::pow(10.0, (args.target_level_db - level.level_db) / 20.0);
    }
  }
  throw Error("unknown level rule");
}

}  // namespace

void MixJndPair(const std::vector<float>& clean, const std::vector<float>& noise, double snr_a_db,
                double snr_b_db, const JndMixArgs& args, JndPair& pair) {
  MixResult a = MixUnscaled(clean, noise, snr_a_db, args);
  MixResult b = MixUnscaled(clean, noise, snr_b_db, args);
  double gain_a = LevelGain(a.mixture, args);
  double gain_b = LevelGain(b.mixture, args);
  const double peak = std::max(gain_a * Peak(a.mixture), gain_b * Peak(b.mixture));
  if (peak > args.max_peak) {
    gain_a *= args.max_peak / peak;
    gain_b *= args.max_peak / peak;
  }
  JSQA_CHECK(std::isfinite(gain_a) && std::isfinite(gain_b) && gain_a > 0 && gain_b > 0,
             "mixture level is not finite");

  const auto scaled = [](const std::vector<float>& signal, double gain) {
    std::vector<float> out(signal.size());
    for (size_t i = 0; i < signal.size(); ++i) out[i] = static_cast<float>(gain * signal[i]);
    return out;
  };
  pair.a = scaled(a.mixture, gain_a);
  pair.b = scaled(b.mixture, gain_b);
  pair.gain_a = gain_a;
  pair.gain_b = gain_b;
  pair.snr_a_db = a.realised_snr_db;
  pair.snr_b_db = b.realised_snr_db;
  pair.clean = std::move(a.clean);
  pair.noise_a = std::move(a.scaled_noise);
  pair.noise_b = std::move(b.scaled_noise);
}

}  // namespace jsqa
