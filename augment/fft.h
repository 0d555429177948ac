// Power spectra of short real frames, for the JND features: FFTW's real-to-
// complex transform in single precision, one plan per frame length shared by
// every PowerSpectrum of that length and executed on each caller's own
// buffers.
#pragma once

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

}  // namespace jsqa
