// SLURM's host list syntax (SLURM_JOB_NODELIST, SLURM_STEP_NODELIST), as
// `scontrol show hostnames` expands it: hosts separated by commas at the top
// level; each host text with bracket groups of numbers and ranges, padded to
// the width of the range's first number ("gpu[01-02]-ib" → gpu01-ib,
// gpu02-ib; "n[7,9-10]" → n7, n9, n10); several groups give every
// combination, the first group varying slowest ("r[1-2]-n[01-02]" → r1-n01,
// r1-n02, r2-n01, r2-n02).
#pragma once

#include <string>
#include <vector>

namespace jsqa {

// The hosts of list, in order. Throws UsageError naming variable (where the
// list came from) and the value when the list is malformed: empty hosts,
// unbalanced or nested brackets, an empty group or range, a range that is
// not two decimal numbers lo-hi with lo <= hi, or more than a million hosts.
std::vector<std::string> ExpandSlurmHostList(const std::string& list, const std::string& variable);

}  // namespace jsqa
