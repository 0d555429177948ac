// A transformed up-down staircase (Levitt 1971, JASA 49:467–477) for a JND
// listening test.
//
// Δ goes down after `down` correct answers in a row and up after `up` wrong
// answers in a row; a 2-down/1-up rule converges on 70.7 % correct and a
// 3-down/1-up rule on 79.4 %. Record() is the only thing that changes a
// staircase, so replaying a listener's stored answers in order (as the
// listening server does from its database) rebuilds it exactly.
//
// Definitions:
// - A move is a step of Δ decided by a run of answers: down after `down`
//   correct in a row, up after `up` wrong in a row. Both run counters start
//   again at 0 after every move and whenever the answer changes.
// - A reversal is a move in the opposite direction to the move before it;
//   the first move is never one. Its Δ (reversal_deltas()) is the Δ of the
//   trial that decided it, i.e. the peak or valley before the step.
// - The step of a move is steps[min(k, size - 1)], where k is the number of
//   reversals so far, this move's own reversal included: with the default
//   {2, 1, 0.5}, Δ moves by 2 until the first reversal, whose step is 1.
// - Δ is clamped to [min_delta, max_delta]. A move that the clamp shortens
//   or cancels still counts in its direction, so a listener who gets wrong
//   answers at max_delta and then the correct ones that move Δ down has
//   reversed there, and the reversal's Δ is max_delta.
#pragma once

#include <optional>
#include <vector>

namespace jsqa {

struct StaircaseRule {
  // Correct answers in a row before Δ goes down (2-down/1-up tracks 70.7 %
  // correct; 3-down/1-up 79.4 %).
  int down = 2;
  // Wrong answers in a row before Δ goes up.
  int up = 1;
  // First Δ, in the dimension's unit (e.g. dB of SNR).
  double start = 6.0;
  // Step size after k reversals: steps[min(k, size - 1)], in Δ's unit, > 0.
  std::vector<double> steps = {2.0, 1.0, 0.5};
  // Δ is clamped inside [min_delta, max_delta].
  double min_delta = 0.0;
  double max_delta = 20.0;
  int reversals_to_stop = 8;
  int max_trials = 60;
  // Threshold = mean Δ at the last N reversals. An even N averages as many
  // peaks as valleys, which Levitt recommends.
  int reversals_to_average = 6;
};

// Throws UsageError naming the field for a bad rule: down or up < 1, empty,
// non-finite or non-positive steps, min_delta >= max_delta, start outside
// [min_delta, max_delta], reversals_to_stop or max_trials < 1,
// reversals_to_average outside [2, reversals_to_stop].
void ValidateStaircaseRule(const StaircaseRule& rule);

// The P(correct) a down/up rule converges on: the p at which a down move is
// as likely as an up move. Because both run counters restart after each move
// and on each change of answer, that balance is
//   p^(down-1) / (1 - p^down) = q^(up-1) / (1 - q^up),   q = 1 - p,
// (expected moves per run of correct answers = per run of wrong answers),
// which for up = 1 is Levitt's p^down = 0.5 (0.7071 for 2-down, 0.7937 for
// 3-down) and for down = 1 is q^up = 0.5. Solved by bisection otherwise.
// Throws UsageError for down or up < 1.
double StaircaseTargetProbability(int down, int up);

class Staircase {
 public:
  // Validates the rule (UsageError).
  explicit Staircase(StaircaseRule rule);

  // Δ for the next trial.
  double NextDelta() const { return delta_; }
  // One answer at NextDelta(). Throws jsqa::Error when Finished().
  void Record(bool correct);
  // reversals_to_stop reversals reached or max_trials answered.
  bool Finished() const;

  int trials() const { return static_cast<int>(trial_deltas_.size()); }
  int reversals() const { return static_cast<int>(reversal_deltas_.size()); }
  // Δ at each reversal, in order.
  const std::vector<double>& reversal_deltas() const { return reversal_deltas_; }
  // Δ presented at each recorded trial, in order: what the server stored
  // with each answer should equal this on replay.
  const std::vector<double>& trial_deltas() const { return trial_deltas_; }
  const StaircaseRule& rule() const { return rule_; }

  // Mean Δ of the last reversals_to_average reversals (all of them when
  // fewer exist); nullopt with fewer than 2 reversals.
  std::optional<double> Threshold() const;

 private:
  void Move(int direction);

  StaircaseRule rule_;
  double delta_ = 0.0;
  int correct_run_ = 0;     // correct answers in a row since the last move
  int wrong_run_ = 0;       // wrong answers in a row since the last move
  int last_direction_ = 0;  // -1 down, +1 up, 0 before the first move
  std::vector<double> trial_deltas_;
  std::vector<double> reversal_deltas_;
};

// A staircase after `answers` in order, as the server restores one. Throws
// like Record when there are more answers than the rule allows.
Staircase ReplayStaircase(const StaircaseRule& rule, const std::vector<bool>& answers);

}  // namespace jsqa
