// Defects of a recording visible in its samples:
//   - digital dropouts: runs of exact zeros (a lost USB packet, a muted
//     channel, a gap a recorder filled with zeros). Real noise is never
//     exactly zero for long, so a run over a few tens of milliseconds is a
//     defect, not quiet noise;
//   - source clipping: runs of samples at full scale (the converter's
//     limit), which no later gain can undo.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace jsqa {

// The longest run of samples that are exactly 0, in samples.
int64_t LongestZeroRun(const std::vector<float>& samples);

// The fraction of samples in runs of exact zeros at least min_run long.
double DropoutFraction(const std::vector<float>& samples, int64_t min_run);

// Runs of at least min_run samples at full scale (|x| ≥ 32767/32768, the
// top code of 16-bit PCM). One or two full-scale samples happen in loud
// clean recordings; three in a row is the converter clipping.
int64_t ClippedRuns(const std::vector<float>& samples, int64_t min_run = 3);

}  // namespace jsqa
