#include "augment/fft.h"

#include <cmath>

#include "pipeline/base/error.h"

namespace jsqa {
namespace {

constexpr double kPi = 3.14159265358979323846;

bool IsPowerOfTwo(int n) { return n > 0 && (n & (n - 1)) == 0; }

}  // namespace

PowerSpectrum::PowerSpectrum(int frame_length) : frame_length_(frame_length) {
  JSQA_CHECK(frame_length >= 4 && IsPowerOfTwo(frame_length),
             "FFT frame length must be a power of two >= 4, got ", frame_length);
  const int n = frame_length;
  const int half = n / 2;

  // Periodic Hann: its 50 %-overlapped frames sum to a constant, which is
  // what a hop of half a frame assumes.
  window_.resize(n);
  for (int i = 0; i < n; ++i) {
    window_[i] = 0.5 - 0.5 * std::cos(2.0 * kPi * i / n);
    window_energy_ += window_[i] * window_[i];
  }

  int bits = 0;
  while ((1 << bits) < half) ++bits;
  bit_reversed_.resize(half);
  for (int i = 0; i < half; ++i) {
    int reversed = 0;
    for (int bit = 0; bit < bits; ++bit) reversed |= ((i >> bit) & 1) << (bits - 1 - bit);
    bit_reversed_[i] = reversed;
  }

  twiddle_.resize(half);
  for (int k = 0; k < half; ++k) twiddle_[k] = std::polar(1.0, -2.0 * kPi * k / n);
}

namespace {

// Plain complex product: std::complex's operator* takes a slow library path
// (__muldc3) to handle infinities, which finite audio never has.
inline std::complex<double> Multiply(const std::complex<double>& a, const std::complex<double>& b) {
  return {a.real() * b.real() - a.imag() * b.imag(), a.real() * b.imag() + a.imag() * b.real()};
}

}  // namespace

void PowerSpectrum::Compute(const float* frame, std::vector<double>& power) const {
  const int n = frame_length_;
  const int half = n / 2;

  // z[m] = x[2m] + i·x[2m+1] (windowed), in bit-reversed order for the
  // in-place butterflies.
  std::vector<std::complex<double>> z(half);
  for (int m = 0; m < half; ++m)
    z[bit_reversed_[m]] = {window_[2 * m] * frame[2 * m], window_[2 * m + 1] * frame[2 * m + 1]};

  // Radix-2 decimation in time over half points; a butterfly of span L
  // needs e^{-2πij/L} = twiddle_[j · n / L].
  for (int span = 2; span <= half; span *= 2) {
    const int stride = n / span;
    for (int start = 0; start < half; start += span) {
      for (int j = 0; j < span / 2; ++j) {
        const std::complex<double> u = z[start + j];
        const std::complex<double> v = Multiply(z[start + j + span / 2], twiddle_[j * stride]);
        z[start + j] = u + v;
        z[start + j + span / 2] = u - v;
      }
    }
  }

  // Split Z into the spectra of the even (E) and odd (O) samples, then
  // X(k) = E(k) + e^{-2πik/n} O(k). Bins 0 and n/2 are real: E(0) ± O(0).
  power.resize(bins());
  const double scale = 1.0 / window_energy_;
  power[0] = std::pow(z[0].real() + z[0].imag(), 2) * scale;
  power[half] = std::pow(z[0].real() - z[0].imag(), 2) * scale;
  for (int k = 1; k < half; ++k) {
    const std::complex<double> mirrored = std::conj(z[half - k]);
    const std::complex<double> even = 0.5 * (z[k] + mirrored);
    const std::complex<double> difference = z[k] - mirrored;
    const std::complex<double> odd(0.5 * difference.imag(), -0.5 * difference.real());  // -i/2 · difference
    const std::complex<double> x = even + Multiply(twiddle_[k], odd);
    power[k] = (x.real() * x.real() + x.imag() * x.imag()) * scale;
  }
}

}  // namespace jsqa
