// Power spectra of short real frames, for the JND features: an iterative
// radix-2 FFT of half the frame length on the even/odd samples packed as
// complex numbers, then split into the real signal's spectrum.
#pragma once

#include <complex>
#include <vector>

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
  // bin). Thread-safe: reads only the tables built by the constructor.
  void Compute(const float* frame, std::vector<double>& power) const;

 private:
  int frame_length_;
  std::vector<double> window_;                 // [frame_length]
  double window_energy_ = 0.0;                 // Σ w²
  std::vector<int> bit_reversed_;              // [frame_length / 2] permutation
  std::vector<std::complex<double>> twiddle_;  // [frame_length / 2]: e^{-2πik/frame_length}
};

}  // namespace jsqa
