#include "augment/degradations/heard_pair.h"

#include "augment/jnd_pair.h"

namespace jsqa {

JndFeatures HeardPairFeatures(const std::vector<float>& clean, const std::vector<float>& noise,
                              const HeardPair& heard, int sample_rate) {
  JndPair pair;
  MixJndPair(clean, noise, heard.snr_db, heard.snr_db + heard.delta_db, JndMixArgs{}, pair);
  if (!heard.steps_a.empty() || !heard.steps_b.empty()) {
    pair.a = ApplyChain(pair.a, heard.steps_a, heard.chain_seed, heard.chain_key).samples;
    pair.b = ApplyChain(pair.b, heard.steps_b, heard.chain_seed, heard.chain_key).samples;
    LevelJndPair(JndMixArgs{}, pair);
  }
  JndFeatures features = ComputeJndFeatures(pair.a, pair.b, noise, pair.snr_a_db, pair.snr_b_db, sample_rate);
  if (heard.dimension_delta) features[kDelta] = *heard.dimension_delta;
  return features;
}

}  // namespace jsqa
