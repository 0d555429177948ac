// Gaussian white noise from a counter-based stream, for the degradations
// that add noise (white_noise, mnru): the same stream gives the same noise
// on every machine and thread.
#pragma once

#include <cstddef>
#include <vector>

#include "augment/counter_rng.h"

namespace jsqa {

// [samples] independent draws of zero mean and unit variance (Box–Muller
// on the stream's 53-bit uniforms, in double, stored in float).
std::vector<float> GaussianNoise(size_t samples, CounterRng& rng);

}  // namespace jsqa
