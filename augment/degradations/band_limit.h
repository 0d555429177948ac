// Band limits: lowpass, highpass and bandpass filters as the channel of a
// narrowband phone, a cheap microphone or a wideband codec imposes them.
// Each is a zero-phase filter with the magnitude response of an order-8
// Butterworth filter, |H(f)|² = 1 / (1 + (f / fc)^16) for a lowpass, applied
// by one FFTW transform of the whole segment. Zero phase keeps the output
// time-aligned with the input, and the response is exactly −3.01 dB at the
// cut-off, which is what the strength names.
//
// A pair that differs in a cut-off differs by Δ in Bark, the ear's own
// frequency scale: HzToBark and BarkToHz convert.
#pragma once

namespace jsqa {

// The lower edge of `bandpass`, whose strength is the upper cut-off: 300 Hz,
// the lower edge of the narrowband telephone band (ITU-T G.712).
inline constexpr double kBandpassLowHz = 300.0;

// Traunmüller (1990): z = 26.81 f / (1960 + f) − 0.53, and its inverse.
double HzToBark(double hz);
double BarkToHz(double bark);

}  // namespace jsqa
