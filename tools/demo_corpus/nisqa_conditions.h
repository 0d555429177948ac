// The degradation conditions of the demo's NISQA-layout files, drawn
// NISQA-style (Mittag et al. 2021's simulated sets): background noise at an
// SNR, then at most one channel (a codec, possibly with packet loss, a band
// limit, MNRU or clipping), made by the same degradations as the JND pairs
// (augment/degradations/). Each condition's MOS is a documented proxy, not
// a listener's rating.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "augment/counter_rng.h"
#include "augment/degradations/degradation_chain.h"

namespace jsqa {

struct NisqaCondition {
  bool noise = false;
  double snr_db = 0.0;            // drawn; the realised one is measured when mixing
  std::vector<ChainStep> channel;  // after the noise: empty, one step, or a codec then packet_loss
};

// One condition from rng: noise with probability 0.7 (SNR uniform in
// [-5, 40] dB), and a channel; never neither.
NisqaCondition DrawNisqaCondition(CounterRng& rng);

// The condition's NISQA _file.csv columns (bgn, bgn_snr, codec1, bMode1,
// plcMode1, FER1, filter, bp_low, bp_high, p50mnru, p50_q, clipping, cl_th),
// with bgn_snr the realised SNR; unnamed columns stay empty.
std::map<std::string, std::string> NisqaConditionColumns(const NisqaCondition& condition, double realised_snr_db);

// The proxy MOS of those columns (as written):
//   mos = 1 + 4 · q_noise · q_codec · q_loss · q_band · q_mnru · q_clip, each q in (0, 1]:
//   q_noise = 1 / (1 + exp(-(bgn_snr - 10) / 6))
//   q_codec = (1 - 0.6 · exp(-bMode1 / 8)) · (0.8 for a narrowband codec: amr_nb, g711, g726, gsm_fr)
//   q_loss  = 1 - 1.5 · FER1
//   q_band  = 0.55 + 0.45 · clamp((bp_high - 1000) / 6800, 0, 1)
//   q_mnru  = 1 / (1 + exp(-(p50_q - 10) / 6))
//   q_clip  = 0.4 + 0.6 · sqrt(cl_th)
// a factor being 1 where its column is empty.
double NisqaProxyMos(const std::map<std::string, std::string>& columns);

// A one-line description for con_description.
std::string NisqaConditionText(const NisqaCondition& condition, double realised_snr_db);

}  // namespace jsqa
