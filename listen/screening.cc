#include "listen/screening.h"

#include <cmath>
#include <sstream>

#include "pipeline/base/error.h"

namespace jsqa {
namespace {

// Absorbs the rounding in catch_min_correct · answered (0.55 · 100 is
// 55.00000000000001 in binary), so a fraction equal to the threshold passes.
constexpr double kFractionSlack = 1e-9;

}  // namespace

void ValidateScreeningRule(const ScreeningRule& rule) {
  if (rule.headphone_trials < 0) {
    throw UsageError(detail::Concat("screening rule: headphone_trials = ", rule.headphone_trials,
                                    "; must be >= 0 (0: no headphone check)"));
  }
  if (rule.headphone_min_correct < 0 || rule.headphone_min_correct > rule.headphone_trials) {
    throw UsageError(
        detail::Concat("screening rule: headphone_min_correct = ", rule.headphone_min_correct,
                       "; must lie in [0, headphone_trials = ", rule.headphone_trials, "]"));
  }
  if (!(rule.catch_min_correct >= 0.0 && rule.catch_min_correct <= 1.0)) {
    throw UsageError(detail::Concat("screening rule: catch_min_correct = ", rule.catch_min_correct,
                                    "; must be a fraction in [0, 1]"));
  }
}

ScreeningResult Screen(const ScreeningCounts& counts, const ScreeningRule& rule) {
  ValidateScreeningRule(rule);
  JSQA_CHECK(counts.headphone_correct >= 0 && counts.headphone_correct <= counts.headphone_answered,
             "screening: headphone_correct = ", counts.headphone_correct,
             " must lie in [0, headphone_answered = ", counts.headphone_answered, "]");
  JSQA_CHECK(counts.headphone_answered <= rule.headphone_trials,
             "screening: headphone_answered = ", counts.headphone_answered,
             " exceeds headphone_trials = ", rule.headphone_trials);
  JSQA_CHECK(counts.catch_correct >= 0 && counts.catch_correct <= counts.catch_answered,
             "screening: catch_correct = ", counts.catch_correct,
             " must lie in [0, catch_answered = ", counts.catch_answered, "]");

  ScreeningResult result;
  std::ostringstream reason;
  if (counts.headphone_answered < rule.headphone_trials) {
    reason << "headphone check not finished (" << counts.headphone_answered << "/"
           << rule.headphone_trials << ")";
  } else if (counts.headphone_correct < rule.headphone_min_correct) {
    reason << "headphone check " << counts.headphone_correct << "/" << rule.headphone_trials
           << " correct (needs " << rule.headphone_min_correct << ")";
  } else {
    result.headphones_passed = true;
  }
  result.catch_passed =
      counts.catch_answered == 0 ||
      counts.catch_correct >= rule.catch_min_correct * counts.catch_answered - kFractionSlack;
  if (!result.catch_passed) {
    if (!result.headphones_passed) reason << "; ";
    reason << "catch trials " << counts.catch_correct << "/" << counts.catch_answered
           << " correct (needs " << 100.0 * rule.catch_min_correct << " %)";
  }
  result.reason = reason.str();
  return result;
}

}  // namespace jsqa
