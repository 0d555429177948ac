// The speech and noise a listening trial is cut from: recordings decoded
// once and kept at 16 kHz, and each trial's segments as its stimuli used
// them (speech cropped at its offset and zero-padded, noise looped).
// Shared by the server's stimuli and the report's rebuilt pairs. Not
// thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "listen/listening_store.h"

namespace jsqa {

class TrialRecordings {
 public:
  explicit TrialRecordings(double stimulus_seconds) : stimulus_seconds_(stimulus_seconds) {}

  struct Segments {
    std::vector<float> clean;  // [stimulus samples] at kDegradationRate
    std::vector<float> noise;
  };
  // Throws jsqa::Error naming the file for unreadable audio or an offset
  // past its end.
  Segments Get(const StoredTrial& trial);

 private:
  const std::vector<float>& Recording(const std::string& path);

  double stimulus_seconds_;
  std::map<std::string, std::vector<float>> recordings_;
};

}  // namespace jsqa
