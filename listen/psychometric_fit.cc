#include "listen/psychometric_fit.h"

#include <algorithm>
#include <array>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <functional>
#include <limits>
#include <string>

#include "augment/counter_rng.h"
#include "pipeline/base/error.h"

namespace jsqa {
namespace {

constexpr int kMinTrials = 5;
// Grid points per axis for the starting point of Nelder–Mead.
constexpr int kGridPoints = 31;
// P is kept this far from 0 and 1 so that log P stays finite.
constexpr double kMinProbability = 1e-12;
constexpr int kMaxNelderMeadIterations = 500;

// Trials at one Δ: the likelihood only needs the counts, which makes a fit
// cost proportional to the number of distinct Δ values (a staircase visits a
// few dozen), not to the number of trials.
struct Level {
  double delta = 0.0;
  int correct = 0;
  int total = 0;
};

double Detection(PsychometricShape shape, double x) {
  if (shape == PsychometricShape::kCumulativeGaussian) return 0.5 * std::erfc(-x / std::sqrt(2.0));
  // Written so that exp never overflows.
  if (x >= 0.0) return 1.0 / (1.0 + std::exp(-x));
  const double e = std::exp(x);
  return e / (1.0 + e);
}

double InverseDetection(PsychometricShape shape, double detection) {
  if (shape == PsychometricShape::kCumulativeGaussian) {
    return boost::math::quantile(boost::math::normal_distribution<double>(0.0, 1.0), detection);
  }
  return std::log(detection / (1.0 - detection));
}

double ClampedProbability(const PsychometricFitArgs& args, double alpha, double beta,
                          double delta) {
  const double p = args.guess_rate + (1.0 - args.guess_rate - args.lapse_rate) *
                                         Detection(args.shape, (delta - alpha) / beta);
  return std::clamp(p, kMinProbability, 1.0 - kMinProbability);
}

double LevelsLogLikelihood(const std::vector<Level>& levels, const PsychometricFitArgs& args,
                           double alpha, double beta) {
  double sum = 0.0;
  for (const Level& level : levels) {
    const double p = ClampedProbability(args, alpha, beta, level.delta);
    sum += level.correct * std::log(p) + (level.total - level.correct) * std::log1p(-p);
  }
  return sum;
}

// Checks the trials (jsqa::Error naming the reason) and groups them by Δ.
std::vector<Level> GroupTrials(const std::vector<PsychometricTrial>& trials) {
  JSQA_CHECK(trials.size() >= static_cast<size_t>(kMinTrials), "psychometric fit: ", trials.size(),
             " trials; needs at least ", kMinTrials);
  int correct = 0;
  for (size_t i = 0; i < trials.size(); ++i) {
    JSQA_CHECK(std::isfinite(trials[i].delta), "psychometric fit: trial ", i, " has delta ",
               trials[i].delta, "; must be finite");
    correct += trials[i].correct ? 1 : 0;
  }
  const bool mixed = correct > 0 && correct < static_cast<int>(trials.size());
  const char* all_answers = correct > 0 ? "correct" : "wrong";
  JSQA_CHECK(mixed, "psychometric fit: all ", trials.size(), " answers are ", all_answers,
             "; the threshold is not identified");
  std::vector<PsychometricTrial> sorted = trials;
  std::sort(
      sorted.begin(), sorted.end(),
      [](const PsychometricTrial& a, const PsychometricTrial& b) { return a.delta < b.delta; });
  std::vector<Level> levels;
  for (const PsychometricTrial& trial : sorted) {
    if (levels.empty() || levels.back().delta != trial.delta) levels.push_back({trial.delta, 0, 0});
    levels.back().correct += trial.correct ? 1 : 0;
    ++levels.back().total;
  }
  JSQA_CHECK(levels.size() >= 2, "psychometric fit: all ", trials.size(),
             " trials have delta = ", levels.front().delta, "; the slope is not identified");
  return levels;
}

using Point = std::array<double, 2>;  // (α, log β)

struct Box {
  Point low;
  Point high;
  Point Clamp(const Point& p) const {
    return {std::clamp(p[0], low[0], high[0]), std::clamp(p[1], low[1], high[1])};
  }
};

// Nelder–Mead (reflection 1, expansion 2, contraction 1/2, shrink 1/2) with
// every vertex clamped into the box; minimises cost from start with initial
// edges `scale`. Stops when the vertices agree to 1e-10 of the box width or
// after kMaxNelderMeadIterations.
Point NelderMead(const std::function<double(const Point&)>& cost, const Point& start,
                 const Point& scale, const Box& box) {
  std::array<Point, 3> vertex = {box.Clamp(start), box.Clamp({start[0] + scale[0], start[1]}),
                                 box.Clamp({start[0], start[1] + scale[1]})};
  std::array<double, 3> value;
  for (int i = 0; i < 3; ++i) value[i] = cost(vertex[i]);
  const auto along = [&](const Point& from, const Point& to, double t) {
    return box.Clamp({from[0] + t * (to[0] - from[0]), from[1] + t * (to[1] - from[1])});
  };
  for (int iteration = 0; iteration < kMaxNelderMeadIterations; ++iteration) {
    std::array<int, 3> order = {0, 1, 2};
    std::sort(order.begin(), order.end(), [&](int a, int b) { return value[a] < value[b]; });
    const int best = order[0];
    const int middle = order[1];
    const int worst = order[2];
    double size = 0.0;
    for (int d = 0; d < 2; ++d) {
      const double width = box.high[d] - box.low[d];
      for (int i = 0; i < 3; ++i) {
        size = std::max(size, std::abs(vertex[i][d] - vertex[best][d]) / width);
      }
    }
    if (size < 1e-10) break;
    const Point centroid = {0.5 * (vertex[best][0] + vertex[middle][0]),
                            0.5 * (vertex[best][1] + vertex[middle][1])};
    const Point reflected = along(vertex[worst], centroid, 2.0);
    const double reflected_value = cost(reflected);
    if (reflected_value < value[best]) {
      const Point expanded = along(vertex[worst], centroid, 3.0);
      const double expanded_value = cost(expanded);
      if (expanded_value < reflected_value) {
        vertex[worst] = expanded;
        value[worst] = expanded_value;
      } else {
        vertex[worst] = reflected;
        value[worst] = reflected_value;
      }
      continue;
    }
    if (reflected_value < value[middle]) {
      vertex[worst] = reflected;
      value[worst] = reflected_value;
      continue;
    }
    // Contract towards the better of the worst vertex and its reflection.
    const bool outside = reflected_value < value[worst];
    const Point contracted =
        outside ? along(vertex[worst], centroid, 1.5) : along(vertex[worst], centroid, 0.5);
    const double contracted_value = cost(contracted);
    if (contracted_value < std::min(reflected_value, value[worst])) {
      vertex[worst] = contracted;
      value[worst] = contracted_value;
      continue;
    }
    for (const int i : {middle, worst}) {
      vertex[i] = along(vertex[best], vertex[i], 0.5);
      value[i] = cost(vertex[i]);
    }
  }
  return vertex[std::min_element(value.begin(), value.end()) - value.begin()];
}

// The 100·q percentile of sorted values, interpolating linearly between
// order statistics (Hyndman & Fan type 7).
double Percentile(const std::vector<double>& sorted, double q) {
  const double position = q * (sorted.size() - 1);
  const size_t below = static_cast<size_t>(std::floor(position));
  const size_t above = std::min(below + 1, sorted.size() - 1);
  return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
}

}  // namespace

void ValidatePsychometricFitArgs(const PsychometricFitArgs& args) {
  if (!(args.guess_rate >= 0.0 && args.guess_rate < 1.0)) {
    throw UsageError(detail::Concat("psychometric fit: guess_rate = ", args.guess_rate,
                                    "; must lie in [0, 1) (1/n for n-AFC, 0 for same/different)"));
  }
  if (!(args.lapse_rate >= 0.0 && args.lapse_rate < 1.0)) {
    throw UsageError(
        detail::Concat("psychometric fit: lapse_rate = ", args.lapse_rate, "; must lie in [0, 1)"));
  }
  if (!(args.guess_rate + args.lapse_rate < 1.0)) {
    throw UsageError(detail::Concat("psychometric fit: guess_rate + lapse_rate = ",
                                    args.guess_rate + args.lapse_rate, "; must be < 1"));
  }
}

double PsychometricFit::ProbabilityCorrect(double delta) const {
  return args.guess_rate +
         (1.0 - args.guess_rate - args.lapse_rate) * Detection(args.shape, (delta - alpha) / beta);
}

double PsychometricFit::DeltaAtDetection(double detection) const {
  JSQA_CHECK(detection > 0.0 && detection < 1.0, "psychometric fit: detection = ", detection,
             "; must lie in (0, 1)");
  return alpha + beta * InverseDetection(args.shape, detection);
}

double PsychometricLogLikelihood(const std::vector<PsychometricTrial>& trials,
                                 const PsychometricFitArgs& args, double alpha, double beta) {
  double sum = 0.0;
  for (const PsychometricTrial& trial : trials) {
    const double p = ClampedProbability(args, alpha, beta, trial.delta);
    sum += trial.correct ? std::log(p) : std::log1p(-p);
  }
  return sum;
}

PsychometricFit FitPsychometric(const std::vector<PsychometricTrial>& trials,
                                const PsychometricFitArgs& args) {
  ValidatePsychometricFitArgs(args);
  const std::vector<Level> levels = GroupTrials(trials);
  const double min_delta = levels.front().delta;
  const double max_delta = levels.back().delta;
  const double range = max_delta - min_delta;
  const Box box = {{min_delta - range, std::log(range / 1000.0)},
                   {max_delta + range, std::log(10.0 * range)}};
  const auto cost = [&](const Point& p) {
    return -LevelsLogLikelihood(levels, args, p[0], std::exp(p[1]));
  };

  Point spacing;
  for (int d = 0; d < 2; ++d) spacing[d] = (box.high[d] - box.low[d]) / (kGridPoints - 1);
  Point start = box.low;
  double start_cost = std::numeric_limits<double>::infinity();
  for (int i = 0; i < kGridPoints; ++i) {
    for (int j = 0; j < kGridPoints; ++j) {
      const Point p = {box.low[0] + i * spacing[0], box.low[1] + j * spacing[1]};
      const double c = cost(p);
      if (c < start_cost) {
        start_cost = c;
        start = p;
      }
    }
  }
  // A restart from the first optimum with fresh edges catches a simplex that
  // collapsed early, which Nelder–Mead is known to do.
  Point best = NelderMead(cost, start, spacing, box);
  best = NelderMead(cost, best, {0.1 * spacing[0], 0.1 * spacing[1]}, box);

  PsychometricFit fit;
  fit.args = args;
  fit.alpha = best[0];
  fit.beta = std::exp(best[1]);
  fit.log_likelihood = LevelsLogLikelihood(levels, args, fit.alpha, fit.beta);
  fit.trials = static_cast<int>(trials.size());
  return fit;
}

PsychometricBootstrap BootstrapJnd(const std::vector<PsychometricTrial>& trials,
                                   const PsychometricFitArgs& args, int resamples, uint64_t seed) {
  if (resamples < 2) {
    throw UsageError("psychometric bootstrap: resamples = " + std::to_string(resamples) +
                     "; must be >= 2");
  }
  FitPsychometric(trials, args);  // the original trials must fit; throws why not
  const uint64_t stream = StableHash64("psychometric_bootstrap");
  PsychometricBootstrap result;
  std::vector<double> jnd50;
  std::vector<double> jnd75;
  std::vector<PsychometricTrial> resample(trials.size());
  for (int r = 0; r < resamples; ++r) {
    CounterRng rng(seed, MixKeys(stream, static_cast<uint64_t>(r)));
    for (PsychometricTrial& trial : resample) trial = trials[rng.UniformInt(trials.size())];
    try {
      const PsychometricFit fit = FitPsychometric(resample, args);
      jnd50.push_back(fit.DeltaAtDetection(0.5));
      jnd75.push_back(fit.DeltaAtDetection(0.75));
    } catch (const Error&) {
      ++result.failed;
    }
  }
  result.resamples = static_cast<int>(jnd50.size());
  JSQA_CHECK(result.resamples >= 2, "psychometric bootstrap: only ", result.resamples, " of ",
             resamples, " resamples could be fitted");
  std::sort(jnd50.begin(), jnd50.end());
  std::sort(jnd75.begin(), jnd75.end());
  result.jnd50 = {Percentile(jnd50, 0.025), Percentile(jnd50, 0.975)};
  result.jnd75 = {Percentile(jnd75, 0.025), Percentile(jnd75, 0.975)};
  return result;
}

}  // namespace jsqa
