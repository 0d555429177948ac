// Digital dropouts: runs of exact zeros inside a recording (a lost USB
// packet, a muted channel, a gap a recorder filled with zeros). Real noise
// is never exactly zero for long, so a run over a few tens of milliseconds
// is a defect, not quiet noise.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace jsqa {

// The longest run of samples that are exactly 0, in samples.
int64_t LongestZeroRun(const std::vector<float>& samples);

// The fraction of samples in runs of exact zeros at least min_run long.
double DropoutFraction(const std::vector<float>& samples, int64_t min_run);

}  // namespace jsqa
