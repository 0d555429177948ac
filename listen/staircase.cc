#include "listen/staircase.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <utility>

#include "pipeline/base/error.h"

namespace jsqa {
namespace {

[[noreturn]] void ThrowBadRule(const std::string& field, const std::string& why) {
  throw UsageError("staircase rule: " + field + why);
}

// Expected moves down per run of correct answers minus expected moves up per
// run of wrong answers, scaled by both denominators: increasing in p, < 0 at
// p = 0 and > 0 at p = 1.
double MoveBalance(double p, int down, int up) {
  const double q = 1.0 - p;
  return std::pow(p, down - 1) * (1.0 - std::pow(q, up)) -
         std::pow(q, up - 1) * (1.0 - std::pow(p, down));
}

}  // namespace

void ValidateStaircaseRule(const StaircaseRule& rule) {
  if (rule.down < 1) ThrowBadRule("down = " + std::to_string(rule.down), "; must be >= 1");
  if (rule.up < 1) ThrowBadRule("up = " + std::to_string(rule.up), "; must be >= 1");
  if (rule.steps.empty()) ThrowBadRule("steps", " is empty; give at least one step size");
  for (size_t k = 0; k < rule.steps.size(); ++k) {
    if (!(std::isfinite(rule.steps[k]) && rule.steps[k] > 0.0)) {
      ThrowBadRule(detail::Concat("steps[", k, "] = ", rule.steps[k]), "; must be finite and > 0");
    }
  }
  if (!std::isfinite(rule.min_delta) || !std::isfinite(rule.max_delta) ||
      !(rule.min_delta < rule.max_delta)) {
    ThrowBadRule(detail::Concat("min_delta = ", rule.min_delta, ", max_delta = ", rule.max_delta),
                 "; both must be finite with min_delta < max_delta");
  }
  if (!(rule.start >= rule.min_delta && rule.start <= rule.max_delta)) {
    ThrowBadRule(detail::Concat("start = ", rule.start),
                 detail::Concat("; must lie in [min_delta, max_delta] = [", rule.min_delta, ", ",
                                rule.max_delta, "]"));
  }
  if (rule.reversals_to_stop < 1) {
    ThrowBadRule("reversals_to_stop = " + std::to_string(rule.reversals_to_stop), "; must be >= 1");
  }
  if (rule.max_trials < 1) {
    ThrowBadRule("max_trials = " + std::to_string(rule.max_trials), "; must be >= 1");
  }
  if (rule.reversals_to_average < 2 || rule.reversals_to_average > rule.reversals_to_stop) {
    ThrowBadRule(
        "reversals_to_average = " + std::to_string(rule.reversals_to_average),
        "; must lie in [2, reversals_to_stop = " + std::to_string(rule.reversals_to_stop) + "]");
  }
}

double StaircaseTargetProbability(int down, int up) {
  if (down < 1) ThrowBadRule("down = " + std::to_string(down), "; must be >= 1");
  if (up < 1) ThrowBadRule("up = " + std::to_string(up), "; must be >= 1");
  if (up == 1) return std::pow(0.5, 1.0 / down);
  if (down == 1) return 1.0 - std::pow(0.5, 1.0 / up);
  double low = 0.0;
  double high = 1.0;
  for (int i = 0; i < 200 && high - low > 1e-15; ++i) {
    const double mid = 0.5 * (low + high);
    if (MoveBalance(mid, down, up) < 0.0) {
      low = mid;
    } else {
      high = mid;
    }
  }
  return 0.5 * (low + high);
}

Staircase::Staircase(StaircaseRule rule) : rule_(std::move(rule)) {
  ValidateStaircaseRule(rule_);
  delta_ = rule_.start;
}

bool Staircase::Finished() const {
  return reversals() >= rule_.reversals_to_stop || trials() >= rule_.max_trials;
}

void Staircase::Record(bool correct) {
  JSQA_CHECK(!Finished(), "staircase already finished after ", trials(), " trials and ",
             reversals(), " reversals; no more answers can be recorded");
  trial_deltas_.push_back(delta_);
  if (correct) {
    wrong_run_ = 0;
    if (++correct_run_ >= rule_.down) Move(-1);
  } else {
    correct_run_ = 0;
    if (++wrong_run_ >= rule_.up) Move(+1);
  }
}

void Staircase::Move(int direction) {
  correct_run_ = 0;
  wrong_run_ = 0;
  if (last_direction_ != 0 && direction != last_direction_) reversal_deltas_.push_back(delta_);
  last_direction_ = direction;
  const size_t k = std::min(reversal_deltas_.size(), rule_.steps.size() - 1);
  delta_ = std::clamp(delta_ + direction * rule_.steps[k], rule_.min_delta, rule_.max_delta);
}

std::optional<double> Staircase::Threshold() const {
  if (reversal_deltas_.size() < 2) return std::nullopt;
  const size_t n =
      std::min(reversal_deltas_.size(), static_cast<size_t>(rule_.reversals_to_average));
  return std::accumulate(reversal_deltas_.end() - n, reversal_deltas_.end(), 0.0) / n;
}

Staircase ReplayStaircase(const StaircaseRule& rule, const std::vector<bool>& answers) {
  Staircase staircase(rule);
  for (const bool correct : answers) staircase.Record(correct);
  return staircase;
}

}  // namespace jsqa
