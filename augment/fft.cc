#include "augment/fft.h"

#include <fftw3.h>

#include <algorithm>
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
enum class PlanKind { kForward, kInverse };

struct PlanCache {
  std::mutex mutex;
  std::map<std::pair<int, PlanKind>, fftwf_plan> plans;
  ~PlanCache() {
    for (const auto& [unused, plan] : plans)
      if (plan != nullptr) fftwf_destroy_plan(plan);
  }
};

fftwf_plan PlanFor(int length, PlanKind kind = PlanKind::kForward) {
  static PlanCache cache;
  const std::lock_guard<std::mutex> lock(cache.mutex);
  fftwf_plan& plan = cache.plans[{length, kind}];
  if (plan == nullptr) {
    const RealBuffer real = AllocateReal(length);
    const ComplexBuffer complex = AllocateComplex(length / 2 + 1);
    plan = kind == PlanKind::kForward
               ? fftwf_plan_dft_r2c_1d(length, real.get(), complex.get(), FFTW_ESTIMATE)
               : fftwf_plan_dft_c2r_1d(length, complex.get(), real.get(), FFTW_ESTIMATE);
    JSQA_CHECK(plan != nullptr, "FFTW could not plan a ", length, "-point real transform");
  }
  return plan;
}

// The calling thread's real buffer [n] and spectrum [n / 2 + 1], grown to
// the largest length it has seen.
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

bool HasOnlyFactors235(int n) {
  for (const int factor : {2, 3, 5})
    while (n % factor == 0) n /= factor;
  return n == 1;
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

RealFft::RealFft(int length)
    : length_(length), forward_(nullptr), inverse_(nullptr) {
  JSQA_CHECK(length >= 2, "FFT length must be at least 2, got ", length);
  forward_ = PlanFor(length, PlanKind::kForward);
  inverse_ = PlanFor(length, PlanKind::kInverse);
}

void RealFft::Forward(const std::vector<float>& signal, std::vector<std::complex<float>>& spectrum) const {
  JSQA_CHECK(signal.size() <= static_cast<size_t>(length_), "a ", signal.size(),
             "-sample signal does not fit a ", length_, "-point transform");
  Scratch& scratch = ThreadScratch(length_);
  std::copy(signal.begin(), signal.end(), scratch.frame.get());
  std::fill(scratch.frame.get() + signal.size(), scratch.frame.get() + length_, 0.0f);
  fftwf_execute_dft_r2c(forward_, scratch.frame.get(), scratch.spectrum.get());
  const auto* bins_begin = reinterpret_cast<const std::complex<float>*>(scratch.spectrum.get());
  spectrum.assign(bins_begin, bins_begin + bins());
}

void RealFft::Inverse(const std::vector<std::complex<float>>& spectrum, std::vector<float>& signal) const {
  JSQA_CHECK(spectrum.size() == static_cast<size_t>(bins()), "an inverse ", length_, "-point transform takes ",
             bins(), " bins, got ", spectrum.size());
  Scratch& scratch = ThreadScratch(length_);
  // The complex-to-real transform overwrites its input, so it runs on a copy.
  std::copy(spectrum.begin(), spectrum.end(), reinterpret_cast<std::complex<float>*>(scratch.spectrum.get()));
  fftwf_execute_dft_c2r(inverse_, scratch.spectrum.get(), scratch.frame.get());
  signal.resize(length_);
  const float scale = 1.0f / static_cast<float>(length_);
  for (int i = 0; i < length_; ++i) signal[i] = scratch.frame[i] * scale;
}

int FastFftLength(int n) {
  int length = std::max(n, 2);
  while (!HasOnlyFactors235(length)) ++length;
  return length;
}

std::vector<float> FftConvolve(const std::vector<float>& x, const std::vector<float>& h) {
  JSQA_CHECK(!x.empty() && !h.empty(), "cannot convolve an empty signal");
  const size_t output_length = x.size() + h.size() - 1;
  const RealFft fft(FastFftLength(static_cast<int>(output_length)));
  std::vector<std::complex<float>> x_spectrum, h_spectrum;
  fft.Forward(x, x_spectrum);
  fft.Forward(h, h_spectrum);
  for (size_t k = 0; k < x_spectrum.size(); ++k) x_spectrum[k] *= h_spectrum[k];
  std::vector<float> output;
  fft.Inverse(x_spectrum, output);
  output.resize(output_length);
  return output;
}

}  // namespace jsqa
