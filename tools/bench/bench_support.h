// What the benchmarks share: the clocks they measure with, and the demo
// corpus scaled up by repeating its speech. Header-only.
#pragma once

#include <chrono>
#include <ctime>
#include <string>
#include <vector>

#include "pipeline/corpus/item_manifest.h"

namespace jsqa::bench {

// Real speech every benchmark can read: pocketsphinx-testdata's LibriVox
// clips, 16 kHz.
inline constexpr const char* kLibrivoxClips[] = {
    "/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0870.wav",
    "/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0880.wav",
    "/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0890.wav",
    "/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0920.wav",
    "/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0930.wav",
};

// CPU time of the whole process (every thread), seconds.
inline double CpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return now.tv_sec + now.tv_nsec * 1e-9;
}

inline double WallSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

inline double TotalSeconds(const std::vector<ManifestItem>& items) {
  double seconds = 0.0;
  for (const ManifestItem& item : items) seconds += item.DurationSeconds();
  return seconds;
}

// items repeated `copies` times under new ids ("<id>-copyK"), so that every
// copy gets its own random draws.
inline std::vector<ManifestItem> RepeatedUnderNewIds(const std::vector<ManifestItem>& items, int copies) {
  std::vector<ManifestItem> repeated;
  for (int copy = 0; copy < copies; ++copy)
    for (ManifestItem item : items) {
      item.item.id += "-copy" + std::to_string(copy);
      repeated.push_back(std::move(item));
    }
  return repeated;
}

}  // namespace jsqa::bench
