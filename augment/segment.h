// Fitting signals to a fixed segment length: cropping, padding and looping.
#pragma once

#include <cstdint>
#include <vector>

#include "augment/counter_rng.h"

namespace jsqa {

// Copy of samples [offset, offset + length); throws if out of range.
std::vector<float> Crop(const std::vector<float>& signal, int64_t offset, int64_t length);

// signal followed by zeros up to length (or cropped from 0 if longer).
std::vector<float> PadToLength(const std::vector<float>& signal, int64_t length);

// length samples read cyclically from signal starting at offset (wrapping
// around at the end), for noise shorter than the speech. Empty signal throws.
std::vector<float> LoopToLength(const std::vector<float>& signal, int64_t offset, int64_t length);

// A uniform start offset in [0, signal_length - length] for a crop, or in
// [0, signal_length) when the signal is shorter and will be looped.
int64_t PickOffset(CounterRng& rng, int64_t signal_length, int64_t length);

// Start offsets of the fixed-length segments an utterance is cut into:
// consecutive, non-overlapping, from 0. A tail shorter than `length` yields a
// final segment only when keep_short_tail (it is then padded by the caller).
std::vector<int64_t> SegmentOffsets(int64_t signal_length, int64_t length, bool keep_short_tail);

}  // namespace jsqa
