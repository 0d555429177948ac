// JND dimensions: what a pair's two signals differ in, and by how much by
// default. A dimension is a degradation's strength parameter; its step Δ
// is given in the dimension's own unit, which is not always the strength's
// (a cut-off in Hz differs by Δ in Bark, a codec by Δ of its modes).
//
// Defaults come from published just-noticeable differences where there
// are any; the others are chosen, not validated, and are what a listening
// test should measure.
#pragma once

#include <string>
#include <vector>

#include "augment/degradations/degradation.h"

namespace jsqa {

struct JndDimension {
  std::string name;             // as configs name it: "snr", "codec_mode", ...
  std::string strength_name;    // the StrengthParameter::name it moves
  std::string delta_unit;       // "dB", "Bark", "modes", "fraction"
  double default_delta = 0.0;   // in delta_unit
  bool validated = false;       // default_delta is a published JND
  std::string source;           // the publication, or why the step was chosen
};

// Every dimension, in a fixed order.
const std::vector<JndDimension>& JndDimensions();

// The dimension named `name`; throws jsqa::Error listing the known ones.
const JndDimension& FindJndDimension(const std::string& name);

// The dimension a degradation's strength belongs to.
const JndDimension& DimensionOf(const Degradation& degradation);

// How far apart two strengths are in the dimension's unit (≥ 0): Bark for
// cut-offs, modes for codecs, dB for clipping thresholds. The Δ a JND SVM
// of the dimension is given.
double StrengthDifference(const Degradation& degradation, double a, double b);

// The strength moved by signed_delta in the dimension's unit (a codec's
// modes rounded, at least one); throws jsqa::Error when that leaves the
// domain. A listening test's "more degraded" interval must move one way.
double MoveStrength(const Degradation& degradation, double strength, double signed_delta);

// The strength Δ away from `strength` in the dimension's unit, upwards or
// downwards; if that leaves the degradation's domain, the other way. For a
// codec, Δ counts modes (rounded, at least 1). Throws jsqa::Error when
// neither way stays inside the domain.
double ShiftStrength(const Degradation& degradation, double strength, double delta, bool upwards);

}  // namespace jsqa
