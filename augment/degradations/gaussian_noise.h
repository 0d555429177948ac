// Gaussian white noise from a counter-based stream, for the degradations
// that add noise (white_noise, mnru): the same stream gives the same noise
// on every machine and thread.
#pragma once

#include <cstddef>
#include <vector>

#include "augment/counter_rng.h"
#include "augment/degradations/degradation.h"

namespace jsqa {

// [samples] independent draws of zero mean and unit variance (Box–Muller
// on the stream's 53-bit uniforms, in double, stored in float).
std::vector<float> GaussianNoise(size_t samples, CounterRng& rng);

// input + g·noise (each sample rounded once to float), g set so that
// Σ input² / Σ (g·noise)² = 10^(ratio_db / 10) exactly on the segment.
// Realised: parameter_name, that ratio measured from the output (the added
// noise being output − input). Throws jsqa::Error naming degradation for a
// silent input. noise: [input.size()], not all zero.
DegradedAudio AddAtRatio(const std::vector<float>& input, const std::vector<float>& noise, double ratio_db,
                         const std::string& degradation, const std::string& parameter_name);

}  // namespace jsqa
