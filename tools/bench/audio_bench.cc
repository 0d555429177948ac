// Decode and resampling throughput on real speech, as multiples of real time.
//
// Builds ~60 s of 48 kHz speech from the recordings Debian ships
// (pocketsphinx-testdata's LibriVox clips, brought up from 16 kHz, and
// alsa-utils' voice prompts), writes it as WAV and FLAC, then times decoding
// each file and converting 48 -> 16 kHz with every engine and quality. Each
// figure is the best of three runs; the engine ratio at the end comes from
// this same run, as absolute speeds vary between machines.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

#include "augment/audio_io.h"
#include "pipeline/base/error.h"
#include "augment/resampler.h"
#include "tools/bench/bench_support.h"

namespace {

constexpr int kRate = 48000;        // Hz, the rate of the benchmark signal
constexpr int kTargetRate = 16000;  // Hz, the model's input rate
constexpr double kSeconds = 60.0;   // length of the benchmark signal
constexpr int kRepetitions = 3;

// alsa-utils' voice prompts, 48 kHz, after the LibriVox clips.
const char* const kAlsaVoiceClips[] = {
    "/usr/share/sounds/alsa/Front_Center.wav",
    "/usr/share/sounds/alsa/Front_Left.wav",
    "/usr/share/sounds/alsa/Front_Right.wav",
    "/usr/share/sounds/alsa/Rear_Center.wav",
    "/usr/share/sounds/alsa/Rear_Left.wav",
    "/usr/share/sounds/alsa/Rear_Right.wav",
    "/usr/share/sounds/alsa/Side_Left.wav",
    "/usr/share/sounds/alsa/Side_Right.wav",
};

// The clips at 48 kHz, concatenated and repeated to kSeconds.
std::vector<float> BuildSpeech() {
  std::vector<float> clips;
  std::vector<const char*> paths(std::begin(jsqa::bench::kLibrivoxClips), std::end(jsqa::bench::kLibrivoxClips));
  paths.insert(paths.end(), std::begin(kAlsaVoiceClips), std::end(kAlsaVoiceClips));
  for (const char* path : paths) {
    const jsqa::Audio audio = jsqa::ReadAudio(path);
    const std::vector<float> at_rate = jsqa::Resample(audio.samples, audio.sample_rate, kRate);
    clips.insert(clips.end(), at_rate.begin(), at_rate.end());
  }
  const auto length = static_cast<size_t>(kSeconds * kRate);
  std::vector<float> speech;
  speech.reserve(length);
  while (speech.size() < length)
    speech.insert(speech.end(), clips.begin(),
                  clips.begin() +
                      static_cast<std::ptrdiff_t>(std::min(clips.size(), length - speech.size())));
  return speech;
}

// Fastest of kRepetitions runs, in seconds.
double BestSeconds(const std::function<void()>& run) {
  double best = 1e30;
  for (int i = 0; i < kRepetitions; ++i) {
    const auto start = std::chrono::steady_clock::now();
    run();
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    best = std::min(best, elapsed.count());
  }
  return best;
}

// A scratch folder removed on exit.
class ScratchDir {
 public:
  ScratchDir()
      : path_(std::filesystem::temp_directory_path() /
              ("jsqa-audio-bench-" + std::to_string(::getpid()))) {
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

void Run() {
  const std::vector<float> speech = BuildSpeech();
  std::printf(
      "audio_bench: %.1f s of speech at %d Hz (LibriVox and alsa-utils clips), best of %d\n",
      kSeconds, kRate, kRepetitions);

  ScratchDir scratch;
  std::printf("\ndecode to mono float (x real time)\n");
  for (const char* extension : {"wav", "flac"}) {
    const std::string path = scratch.File(std::string("speech.") + extension);
    jsqa::WriteAudio(path, speech, kRate, jsqa::SampleFormat::kPcm16);
    const double seconds = BestSeconds([&] { jsqa::ReadAudio(path); });
    const jsqa::AudioInfo info = jsqa::ProbeAudio(path);
    std::printf("  %-5s %-7s %10.1fx\n", info.container.c_str(), info.encoding.c_str(),
                kSeconds / seconds);
  }

  std::printf("\nresample %d -> %d Hz (x real time)\n", kRate, kTargetRate);
  double soxr_high = 0.0;
  double sinc_medium = 0.0;
  for (const jsqa::ResamplerEngine engine :
       {jsqa::ResamplerEngine::kSoxr, jsqa::ResamplerEngine::kLibsamplerate}) {
    const auto& qualities = engine == jsqa::ResamplerEngine::kSoxr
                                ? jsqa::SoxrQualityNames()
                                : jsqa::LibsamplerateQualityNames();
    for (const std::string& quality : qualities) {
      const jsqa::ResampleArgs args{engine, quality};
      const double speed =
          kSeconds / BestSeconds([&] { jsqa::Resample(speech, kRate, kTargetRate, args); });
      std::printf("  %-13s %-15s %10.1fx\n", jsqa::ResamplerEngineName(engine).c_str(),
                  quality.c_str(), speed);
      if (quality == "high") soxr_high = speed;
      if (quality == "sinc_medium") sinc_medium = speed;
    }
  }
  std::printf("\nsoxr high is %.2fx the speed of libsamplerate sinc_medium\n",
              soxr_high / sinc_medium);
}

}  // namespace

int main() {
  try {
    Run();
  } catch (const jsqa::Error& error) {
    std::fprintf(stderr, "audio_bench: %s\n", error.what());
    return 1;
  }
  return 0;
}
