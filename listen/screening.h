// Whether a listener's answers count: the headphone check (Woods et al.
// 2017, listen/headphone_check.h) and catch trials (pairs whose answer is
// obvious, e.g. identical stimuli or a very large Δ).
//
// Definitions:
// - The headphone check passes once all headphone_trials are answered with
//   at least headphone_min_correct correct; until then it has not passed.
//   headphone_trials = 0 means no headphone check: it passes at once.
// - Catch trials pass while correct / answered >= catch_min_correct; a
//   fraction equal to the threshold passes (4/5 at 0.8). With no catch trial
//   answered yet there is nothing to fail, so they pass.
#pragma once

#include <string>

namespace jsqa {

struct ScreeningRule {
  int headphone_trials = 6;        // 0: no headphone check
  int headphone_min_correct = 5;   // Woods et al. 2017
  double catch_min_correct = 0.8;  // fraction of catch trials answered correctly
};

struct ScreeningCounts {
  int headphone_correct = 0;
  int headphone_answered = 0;
  int catch_correct = 0;
  int catch_answered = 0;
};

struct ScreeningResult {
  bool headphones_passed = false;
  bool catch_passed = false;  // true with no catch trial answered (nothing to fail)
  bool included() const { return headphones_passed && catch_passed; }
  // "" when included, else one line naming each failed part, e.g.
  // "headphone check 3/6 correct (needs 5)", "headphone check not finished
  // (2/6)", "catch trials 2/5 correct (needs 80 %)", joined by "; ".
  std::string reason;
};

// Throws UsageError naming the field: headphone_trials >= 0,
// headphone_min_correct in [0, headphone_trials], catch_min_correct in [0, 1].
void ValidateScreeningRule(const ScreeningRule& rule);

// Validates the rule (UsageError) and the counts (jsqa::Error for negative
// counts, more correct than answered, or more headphone answers than
// headphone_trials).
ScreeningResult Screen(const ScreeningCounts& counts, const ScreeningRule& rule);

}  // namespace jsqa
