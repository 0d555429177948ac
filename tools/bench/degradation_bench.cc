// Each degradation's cost on real speech, as multiples of real time on one
// core, beside decoding the same speech from FLAC. A degradation dearer
// than decoding its input says why.
//
// The speech: the LibriVox clips Debian ships (16 kHz), cut into 4 s
// segments; every degradation runs at the middle of its domain (a codec at
// its middle mode) on every segment, three passes, the fastest counted.
// Usage: degradation_bench
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "augment/audio_io.h"
#include "augment/degradations/degradation_registry.h"
#include "pipeline/base/config_keys.h"
#include "tools/bench/bench_support.h"

namespace fs = std::filesystem;
using namespace jsqa;
using bench::CpuSeconds;

namespace {

constexpr int kPasses = 3;
constexpr size_t kSegmentSamples = 4 * kDegradationRate;

// Why a degradation can cost more than decoding its input.
const std::map<std::string, std::string>& Reasons() {
  static const std::map<std::string, std::string> reasons = {
      {"opus", "a full encode and decode (the encoder's analysis dominates)"},
      {"amr_nb", "a full CELP encode and decode, plus 16 -> 8 -> 16 kHz resampling"},
      {"amr_wb", "a full CELP encode (codebook searches) and decode"},
      {"g711", "resampling 16 -> 8 -> 16 kHz; the companding itself is a table lookup"},
      {"g722", "a two-band QMF and ADPCM per sample"},
      {"g726", "ADPCM per sample, plus 16 -> 8 -> 16 kHz resampling"},
      {"gsm_fr", "a full RPE-LTP encode and decode, plus 16 -> 8 -> 16 kHz resampling"},
      {"packet_loss", "resampling to 8 kHz and back for the concealment"},
      {"packet_loss_bursty", "resampling to 8 kHz and back for the concealment"},
      {"reverb", "simulating the room (image sources) while searching its absorption, and the convolution"},
      {"lowpass", "one FFT of the whole segment and one back"},
      {"highpass", "one FFT of the whole segment and one back"},
      {"bandpass", "one FFT of the whole segment and one back"},
      {"white_noise", "a Gaussian draw per sample (two logarithms, a square root and a sine per pair of samples)"},
      {"mnru", "a Gaussian draw per sample"},
  };
  return reasons;
}

double MiddleStrength(const StrengthParameter& parameter) {
  if (!parameter.levels.empty()) return parameter.levels[parameter.levels.size() / 2];
  return 0.5 * (parameter.min + parameter.max);
}

}  // namespace

int main() {
  std::vector<std::vector<float>> segments;
  std::vector<float> speech;
  for (const char* clip : bench::kLibrivoxClips) {
    const std::vector<float> samples = ReadAudio(clip).samples;
    speech.insert(speech.end(), samples.begin(), samples.end());
  }
  for (size_t begin = 0; begin + kSegmentSamples <= speech.size(); begin += kSegmentSamples)
    segments.emplace_back(speech.begin() + begin, speech.begin() + begin + kSegmentSamples);
  const double audio_seconds = static_cast<double>(segments.size() * kSegmentSamples) / kDegradationRate;

  // Decode-only: the same segments as 16 kHz FLAC files.
  const fs::path dir = fs::temp_directory_path() / ("jsqa-degradation-bench-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::vector<std::string> files;
  for (size_t i = 0; i < segments.size(); ++i) {
    files.push_back((dir / ("segment-" + std::to_string(i) + ".flac")).string());
    WriteAudio(files.back(), segments[i], kDegradationRate);
  }
  double decode_best = 1e30;
  for (int pass = 0; pass < kPasses; ++pass) {
    const double start = CpuSeconds();
    for (const std::string& file : files) ReadAudio(file);
    decode_best = std::min(decode_best, CpuSeconds() - start);
  }
  fs::remove_all(dir);
  const double decode_rate = audio_seconds / decode_best;
  std::printf("degradations on %zu segments of 4 s of LibriVox speech (16 kHz), one core, best of %d passes\n",
              segments.size(), kPasses);
  std::printf("  %-20s %-26s %12s %12s\n", "", "strength", "x real time", "vs decode");
  std::printf("  %-20s %-26s %12.0f %12s\n", "FLAC decode", "", decode_rate, "1.00");

  for (const std::string& name : BuiltinDegradations().Names()) {
    const Degradation& degradation = BuiltinDegradations().Get(name);
    const StrengthParameter parameter = degradation.strength();
    const double strength = MiddleStrength(parameter);
    double best = 1e30;
    for (int pass = 0; pass < kPasses; ++pass) {
      const double start = CpuSeconds();
      for (size_t i = 0; i < segments.size(); ++i) {
        CounterRng rng(1, i);
        degradation.Apply(segments[i], {strength, {}}, rng);
      }
      best = std::min(best, CpuSeconds() - start);
    }
    const double rate = audio_seconds / best;
    const std::string setting = parameter.name + " = " + FormatDouble(strength) + " " + parameter.unit;
    std::printf("  %-20s %-26s %12.0f %12.2f", name.c_str(), setting.c_str(), rate, rate / decode_rate);
    if (rate < decode_rate) {
      const auto reason = Reasons().find(name);
      std::printf("  dearer than decoding: %s", reason != Reasons().end() ? reason->second.c_str() : "(no reason given)");
    }
    std::printf("\n");
  }
  return 0;
}
