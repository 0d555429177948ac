// [degrade]: the range each degradation's strength is drawn from in a JND
// chain, two keys per built-in degradation (`opus_min`, `opus_max`, ...;
// none for one with a single strength, such as gsm_fr),
// each checked against the degradation's domain. Defaults follow the NISQA
// simulated corpus's generator where it has a range, else the domain.
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "augment/counter_rng.h"
#include "augment/degradations/degradation.h"
#include "pipeline/base/config.h"

namespace jsqa {

class DegradationRangesConfig : public ConfigSection {
 public:
  DegradationRangesConfig();

  void Declare(KeyDeclarations& keys) override;
  void ValidateTogether(const std::string& prefix) const override;

  // A base strength for `degradation` drawn uniformly over its range (for a
  // codec, uniformly among its modes inside the range). One draw of rng.
  double DrawStrength(const Degradation& degradation, CounterRng& rng) const;

 private:
  struct Range {
    std::string degradation;
    double min = 0.0;
    double max = 0.0;
  };
  const Range& RangeOf(const std::string& degradation) const;

  std::deque<Range> ranges_;  // one per built-in degradation; a deque keeps the keys' addresses
};

}  // namespace jsqa
