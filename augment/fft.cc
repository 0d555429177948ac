#include "augment/fft.h"

#include <fftw3.h>

#include <cmath>
#include <complex>
#include <map>
#include <memory>
#include <mutex>

#include "pipeline/base/error.h"

namespace jsqa {
namespace {

constexpr double kPi = 3.14159265358979323846;

bool IsPowerOfTwo(int n) { return n > 0 && (n & (n - 1)) == 0; }

struct FftwfFree {
  void operator()(void* buffer) const { fftwf_free(buffer); }
};
using RealBuffer = std::unique_ptr<float[], FftwfFree>;
using ComplexBuffer = std::unique_ptr<fftwf_complex[], FftwfFree>;

// fftwf_malloc aligns for FFTW's SIMD codelets. A plan made on such buffers
// may be executed on any others fftwf_malloc returned (fftwf_execute_dft_r2c's
// condition), which is what every thread's scratch below is.
RealBuffer AllocateReal(int n) { return RealBuffer(fftwf_alloc_real(static_cast<size_t>(n))); }
ComplexBuffer AllocateComplex(int n) { return ComplexBuffer(fftwf_alloc_complex(static_cast<size_t>(n))); }

// One plan per frame length for the life of the process. FFTW's planner is
// not thread-safe, hence the mutex; executing a plan on new arrays is.
// FFTW_ESTIMATE rather than FFTW_MEASURE: a measured plan depends on timing,
// so two runs could transform (and round) differently, and the features
// must be the same for the same input in every process.
// The plans are destroyed at exit, so that nothing FFTW allocated for them
// outlives the process's last owner (LeakSanitizer counts it otherwise).
struct PlanCache {
  std::mutex mutex;
  std::map<int, fftwf_plan> plans;
  ~PlanCache() {
    for (const auto& [unused, plan] : plans)
      if (plan != nullptr) fftwf_destroy_plan(plan);
  }
};

fftwf_plan PlanFor(int frame_length) {
  static PlanCache cache;
  const std::lock_guard<std::mutex> lock(cache.mutex);
  fftwf_plan& plan = cache.plans[frame_length];
  if (plan == nullptr) {
    const RealBuffer in = AllocateReal(frame_length);
    const ComplexBuffer out = AllocateComplex(frame_length / 2 + 1);
    plan = fftwf_plan_dft_r2c_1d(frame_length, in.get(), out.get(), FFTW_ESTIMATE);
    JSQA_CHECK(plan != nullptr, "FFTW could not plan a ", frame_length, "-point real transform");
  }
  return plan;
}

// The calling thread's windowed frame [n] and spectrum [n / 2 + 1], grown
// to the largest frame length it has seen.
struct Scratch {
  int capacity = 0;
  RealBuffer frame;
  ComplexBuffer spectrum;
};

Scratch& ThreadScratch(int frame_length) {
  thread_local Scratch scratch;
  if (scratch.capacity < frame_length) {
    scratch.frame = AllocateReal(frame_length);
    scratch.spectrum = AllocateComplex(frame_length / 2 + 1);
    scratch.capacity = frame_length;
  }
  return scratch;
}

}  // namespace

PowerSpectrum::PowerSpectrum(int frame_length) : frame_length_(frame_length) {
  JSQA_CHECK(frame_length >= 4 && IsPowerOfTwo(frame_length),
             "FFT frame length must be a power of two >= 4, got ", frame_length);
  // Periodic Hann: its 50 %-overlapped frames sum to a constant, which is
  // what a hop of half a frame assumes. Built in double, stored in float.
  window_.resize(frame_length);
  double window_energy = 0.0;
  for (int i = 0; i < frame_length; ++i) {
    const double w = 0.5 - 0.5 * std::cos(2.0 * kPi * i / frame_length);
    window_[i] = static_cast<float>(w);
    window_energy += w * w;
  }
  power_scale_ = static_cast<float>(1.0 / window_energy);
  plan_ = PlanFor(frame_length);
}

void PowerSpectrum::Compute(const float* frame, std::vector<float>& power) const {
  const int n = frame_length_;
  Scratch& scratch = ThreadScratch(n);
  float* windowed = scratch.frame.get();
  for (int i = 0; i < n; ++i) windowed[i] = window_[i] * frame[i];
  fftwf_execute_dft_r2c(plan_, windowed, scratch.spectrum.get());

  // fftwf_complex is layout-compatible with std::complex<float>.
  const auto* spectrum = reinterpret_cast<const std::complex<float>*>(scratch.spectrum.get());
  power.resize(bins());
  for (int k = 0; k < bins(); ++k)
    power[k] = (spectrum[k].real() * spectrum[k].real() + spectrum[k].imag() * spectrum[k].imag()) * power_scale_;
}

}  // namespace jsqa
