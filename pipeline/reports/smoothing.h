// Smoothed copies of noisy curves (training loss per step), drawn over the
// raw values so a trend is readable without hiding the noise.
#pragma once

#include <string>
#include <vector>

#include "pipeline/reports/plot.h"

namespace jsqa {

// Exponential moving average of raw.y: s[0] = y[0], s[i] = s[i-1] + a (y[i] -
// s[i-1]) with a = 2 / (span + 1), so span is the window in points (as
// pandas' ewm(span)). span <= 0 picks a twentieth of the points (at least 1:
// no smoothing). Non-finite values are skipped and keep their NaN. The
// result has raw's x, the given name and no error bars.
PlotSeries ExponentialMovingAverage(const PlotSeries& raw, std::string name, double span = 0);

// The pair a training curve is drawn as: raw thin and light ("NAME, raw"),
// its moving average (span picked as above) over it in the same palette
// colour ("NAME, EMA over N points").
std::vector<PlotSeries> RawAndSmoothed(const PlotSeries& raw, int color);

}  // namespace jsqa
