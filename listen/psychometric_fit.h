// Maximum-likelihood fit of a psychometric function to JND trials, and a
// bootstrap interval for the JND.
//
// P(correct | Δ) = γ + (1 - γ - λ) · F((Δ - α) / β), with F the logistic
// 1 / (1 + e^-x) or the cumulative Gaussian Φ(x); γ (guess rate) and λ
// (lapse rate) are fixed, α and β are fitted. α is the Δ at which the
// detection function F is 0.5, so JND50 = α whatever γ is: in 2AFC
// (γ = 0.5, λ = 0.02) that is the Δ answered correctly 74.5 % of the time.
//
// The fit maximises the log-likelihood over (α, log β) inside a bracket set
// by the data: with range = max Δ - min Δ, α ∈ [min Δ - range, max Δ + range]
// and β ∈ [range / 1000, 10 · range]. It first evaluates a 31 × 31 grid over
// that box (β spaced in log), then refines the best grid point by
// Nelder–Mead (restarted once from its own optimum) with both coordinates
// clamped into the box. A fit that ends on the box's edge means the data do
// not pin the function down (e.g. all answers near chance); the estimate is
// then the edge, not an extrapolation.
#pragma once

#include <cstdint>
#include <vector>

namespace jsqa {

// "correct" = "said different" in a same/different task.
struct PsychometricTrial {
  double delta = 0.0;
  bool correct = false;
};

enum class PsychometricShape { kLogistic, kCumulativeGaussian };

struct PsychometricFitArgs {
  PsychometricShape shape = PsychometricShape::kLogistic;
  // γ: 1/n for n-AFC, 0 for same/different (fixed, not fitted).
  double guess_rate = 0.5;
  // λ: fixed; a small λ keeps a few inattentive answers at large Δ from
  // flattening the fitted slope (Wichmann & Hill 2001).
  double lapse_rate = 0.02;
};

// Throws UsageError naming the field: γ and λ finite in [0, 1) with γ + λ < 1.
void ValidatePsychometricFitArgs(const PsychometricFitArgs& args);

struct PsychometricFit {
  PsychometricFitArgs args;
  double alpha = 0.0;           // Δ where the detection function F is 0.5
  double beta = 1.0;            // spread, > 0, in Δ's unit
  double log_likelihood = 0.0;  // natural log, summed over the trials
  int trials = 0;

  // γ + (1 - γ - λ) · F((Δ - α) / β).
  double ProbabilityCorrect(double delta) const;
  // α + β · F⁻¹(detection), detection in (0, 1) (jsqa::Error otherwise):
  // JND50 = DeltaAtDetection(0.5) = α, JND75 = DeltaAtDetection(0.75).
  double DeltaAtDetection(double detection) const;
};

// Σ log P(answer | Δ) of the trials under (α, β); P is kept inside
// [1e-12, 1 - 1e-12] so that γ = 0 or λ = 0 never gives log 0.
double PsychometricLogLikelihood(const std::vector<PsychometricTrial>& trials,
                                 const PsychometricFitArgs& args, double alpha, double beta);

// Throws jsqa::Error naming the reason for fewer than 5 trials, a non-finite
// Δ, all Δ equal, or all answers the same (α is then not identified), and
// UsageError for bad args.
PsychometricFit FitPsychometric(const std::vector<PsychometricTrial>& trials,
                                const PsychometricFitArgs& args);

struct JndInterval {
  double low = 0.0;
  double high = 0.0;
};

struct PsychometricBootstrap {
  JndInterval jnd50;  // 95 % percentile interval
  JndInterval jnd75;  // 95 % percentile interval
  int resamples = 0;  // fits that succeeded
  int failed = 0;     // resamples whose fit threw (e.g. all one answer)
};

// Non-parametric bootstrap over trials: resample r draws trials.size()
// trials with replacement from CounterRng(seed, MixKeys(StableHash64(
// "psychometric_bootstrap"), r)) and is refitted, so a resample's draw does
// not depend on the others; the intervals are the 2.5 and 97.5 percentiles
// (linear interpolation between order statistics) of the successful fits.
// Throws as FitPsychometric does for the original trials, UsageError for
// resamples < 2, and jsqa::Error when fewer than 2 resamples could be fitted.
PsychometricBootstrap BootstrapJnd(const std::vector<PsychometricTrial>& trials,
                                   const PsychometricFitArgs& args, int resamples, uint64_t seed);

}  // namespace jsqa
