#include "tools/demo_corpus/nisqa_conditions.h"

#include <algorithm>
#include <cmath>

#include "augment/degradations/degradation_registry.h"
#include "pipeline/base/config_keys.h"
#include "pipeline/base/text_files.h"

namespace jsqa {
namespace {

struct ChannelChoice {
  const char* degradation;  // "" for none
  double weight;
  double min, max;          // strength range; a codec's modes inside it are drawn uniformly
};

// NISQA's simulated sets weigh codecs most; the ranges keep each condition
// between clearly audible and nearly transparent.
const ChannelChoice kChannels[] = {
    {"", 0.25, 0, 0},           {"amr_nb", 0.10, 4.75, 12.2}, {"amr_wb", 0.10, 6.6, 23.85},
    {"opus", 0.10, 6, 32},      {"g711", 0.05, 0, 1},         {"g722", 0.05, 48, 64},
    {"g726", 0.05, 16, 40},     {"gsm_fr", 0.05, 13, 13},     {"bandpass", 0.10, 2500, 7000},
    {"lowpass", 0.05, 2000, 7000}, {"mnru", 0.05, 5, 30},     {"clipping", 0.05, 0.1, 0.5},
};
constexpr double kNoiseProbability = 0.7;
constexpr double kMinSnrDb = -5.0, kMaxSnrDb = 40.0;
constexpr double kLossProbability = 0.3;  // of a codec channel
constexpr double kMinLoss = 0.02, kMaxLoss = 0.2;

bool IsNarrowbandCodec(const std::string& name) {
  return name == "amr_nb" || name == "g711" || name == "g726" || name == "gsm_fr";
}

double Logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// A codec's bitrate for the proxy: its strength, but G.711's strength is
// its companding law and its bitrate 64 kbit/s.
double CodecBitrate(const ChainStep& step) { return step.degradation == "g711" ? 64.0 : step.strength; }

}  // namespace

NisqaCondition DrawNisqaCondition(CounterRng& rng) {
  NisqaCondition condition;
  condition.noise = rng.NextUnit() < kNoiseProbability;
  condition.snr_db = rng.Uniform(kMinSnrDb, kMaxSnrDb);
  double total = 0.0;
  for (const ChannelChoice& choice : kChannels) total += choice.weight;
  double u = rng.NextUnit() * total;
  const ChannelChoice* chosen = &kChannels[0];
  for (const ChannelChoice& choice : kChannels) {
    chosen = &choice;
    if (u < choice.weight) break;
    u -= choice.weight;
  }
  const double loss_draw = rng.NextUnit(), loss_rate = rng.Uniform(kMinLoss, kMaxLoss);
  const double strength_draw = rng.NextUnit();
  if (*chosen->degradation != '\0') {
    const Degradation& degradation = BuiltinDegradations().Get(chosen->degradation);
    const StrengthParameter parameter = degradation.strength();
    double strength = chosen->min + (chosen->max - chosen->min) * strength_draw;
    if (!parameter.levels.empty()) {
      const std::vector<double> inside = parameter.LevelsBetween(chosen->min, chosen->max);
      strength = inside[std::min(inside.size() - 1, static_cast<size_t>(strength_draw * inside.size()))];
    }
    condition.channel.push_back({chosen->degradation, strength});
    if (degradation.conceals_loss() && loss_draw < kLossProbability)
      condition.channel.push_back({"packet_loss", loss_rate});
  }
  if (condition.channel.empty()) condition.noise = true;  // never a clean file
  return condition;
}

std::map<std::string, std::string> NisqaConditionColumns(const NisqaCondition& condition, double realised_snr_db) {
  std::map<std::string, std::string> columns;
  columns["bgn"] = condition.noise ? "1" : "0";
  if (condition.noise) columns["bgn_snr"] = FormatFixed(realised_snr_db, 2);
  for (const ChainStep& step : condition.channel) {
    const std::string& name = step.degradation;
    if (name == "packet_loss") {
      columns["plcMode1"] = "codec";
      columns["FER1"] = FormatFixed(step.strength, 4);
    } else if (name == "bandpass" || name == "lowpass") {
      columns["filter"] = name;
      if (name == "bandpass") columns["bp_low"] = "300";
      columns["bp_high"] = FormatFixed(step.strength, 0);
    } else if (name == "mnru") {
      columns["p50mnru"] = "1";
      columns["p50_q"] = FormatFixed(step.strength, 2);
    } else if (name == "clipping") {
      columns["clipping"] = "1";
      columns["cl_th"] = FormatFixed(step.strength, 3);
    } else {
      columns["codec1"] = name;
      columns["bMode1"] = FormatDouble(CodecBitrate(step));
    }
  }
  if (!columns.count("clipping")) columns["clipping"] = "0";
  return columns;
}

double NisqaProxyMos(const std::map<std::string, std::string>& columns) {
  const auto number = [&](const char* name, double fallback) {
    const auto found = columns.find(name);
    return found == columns.end() || found->second.empty() ? fallback : std::stod(found->second);
  };
  double quality = 1.0;
  if (number("bgn", 0) == 1) quality *= Logistic((number("bgn_snr", 0) - 10.0) / 6.0);
  if (columns.count("codec1")) {
    quality *= 1.0 - 0.6 * std::exp(-number("bMode1", 0) / 8.0);
    if (IsNarrowbandCodec(columns.at("codec1"))) quality *= 0.8;
  }
  quality *= 1.0 - 1.5 * number("FER1", 0.0);
  if (columns.count("bp_high")) quality *= 0.55 + 0.45 * std::clamp((number("bp_high", 0) - 1000.0) / 6800.0, 0.0, 1.0);
  if (number("p50mnru", 0) == 1) quality *= Logistic((number("p50_q", 0) - 10.0) / 6.0);
  if (number("clipping", 0) == 1) quality *= 0.4 + 0.6 * std::sqrt(number("cl_th", 1.0));
  return 1.0 + 4.0 * quality;
}

std::string NisqaConditionText(const NisqaCondition& condition, double realised_snr_db) {
  std::string text = condition.noise ? "noise Noise.wav, SNR " + FormatFixed(realised_snr_db, 1) + " dB" : "";
  if (!condition.channel.empty()) text += std::string(text.empty() ? "" : ", ") + ChainText(condition.channel);
  return text;
}

}  // namespace jsqa
