// FFTW's real transforms in single precision, one plan per length shared by
// every user of that length and executed on each calling thread's own
// buffers: power spectra of short frames for the JND features, and whole-
// signal transforms for the degradations' filters and room convolution.
#pragma once

#include <complex>
#include <vector>

struct fftwf_plan_s;  // fftw3.h's plan type, kept out of this header

namespace jsqa {

// Hann-windowed power spectrum of frames of one power-of-two length.
class PowerSpectrum {
 public:
  // frame_length: samples per frame, a power of two >= 4; throws jsqa::Error
  // otherwise.
  explicit PowerSpectrum(int frame_length);

  int frame_length() const { return frame_length_; }
  // frame_length / 2 + 1: bins 0 (DC) to frame_length / 2 (Nyquist).
  int bins() const { return frame_length_ / 2 + 1; }

  // frame: frame_length() samples. power: resized to bins(); |X(k)|² of the
  // periodic-Hann-windowed frame divided by Σ w², so that white noise of
  // variance σ² has expected power σ² in every bin (units: full scale², per
  // bin). Single precision: about 1e-6 relative error in the bins that hold
  // the frame's energy. Thread-safe: the plan is only executed, on buffers
  // of the calling thread.
  void Compute(const float* frame, std::vector<float>& power) const;

 private:
  int frame_length_;
  std::vector<float> window_;  // [frame_length] periodic Hann
  float power_scale_ = 0.0f;   // 1 / Σ w²
  fftwf_plan_s* plan_;         // owned by the process-wide cache in fft.cc
};

// Forward and inverse real transforms of one length, for filtering and
// convolving whole signals.
class RealFft {
 public:
  // length >= 2; FastFftLength() gives a fast one.
  explicit RealFft(int length);

  int length() const { return length_; }
  int bins() const { return length_ / 2 + 1; }

  // signal: at most length() samples, zero-padded to it. spectrum: resized
  // to bins(), bin k at k · rate / length() Hz. Thread-safe.
  void Forward(const std::vector<float>& signal, std::vector<std::complex<float>>& spectrum) const;
  // spectrum: bins() values. signal: resized to length(), scaled by
  // 1 / length() so that Inverse(Forward(x)) is x. Thread-safe.
  void Inverse(const std::vector<std::complex<float>>& spectrum, std::vector<float>& signal) const;

 private:
  int length_;
  fftwf_plan_s* forward_;  // owned by the process-wide cache in fft.cc
  fftwf_plan_s* inverse_;
};

// The smallest n' >= n of the form 2^a · 3^b · 5^c, a length FFTW
// transforms fast.
int FastFftLength(int n);

// The full linear convolution of x and h, [x.size() + h.size() - 1], by one
// forward transform of each and one inverse. Both non-empty.
std::vector<float> FftConvolve(const std::vector<float>& x, const std::vector<float>& h);

}  // namespace jsqa
