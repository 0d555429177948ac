#include "listen/trial_recordings.h"

#include <algorithm>
#include <cmath>

#include "augment/audio_io.h"
#include "augment/degradations/degradation.h"
#include "augment/resampler.h"
#include "augment/segment.h"
#include "pipeline/base/error.h"

namespace jsqa {

const std::vector<float>& TrialRecordings::Recording(const std::string& path) {
  const auto found = recordings_.find(path);
  if (found != recordings_.end()) return found->second;
  const Audio audio = ReadAudio(path);
  return recordings_.emplace(path, Resample(audio.samples, audio.sample_rate, kDegradationRate)).first->second;
}

TrialRecordings::Segments TrialRecordings::Get(const StoredTrial& trial) {
  const int64_t segment = std::llround(stimulus_seconds_ * kDegradationRate);
  const std::vector<float>& speech = Recording(trial.clean_path);
  const int64_t available = static_cast<int64_t>(speech.size()) - trial.clean_offset;
  JSQA_CHECK(available > 0, trial.clean_path, ": offset ", trial.clean_offset, " is past its end");
  return {PadToLength(Crop(speech, trial.clean_offset, std::min(segment, available)), segment),
          LoopToLength(Recording(trial.noise_path), trial.noise_offset, segment)};
}

}  // namespace jsqa
