// [audio]: how files become the model's input: mono at one sample rate.
#pragma once

#include <string>
#include <vector>

#include "augment/audio_io.h"
#include "augment/resampler.h"
#include "pipeline/base/config.h"

namespace jsqa {

struct AudioConfig : ConfigSection {
  int sample_rate = 16000;               // Hz, what every stage works at
  ChannelMode channel_mode = ChannelMode::kDownmix;
  int channel = 0;  // 0-based, with channel_mode = pick
  ResamplerEngine resampler = ResamplerEngine::kSoxr;
  std::string resampler_quality;         // engine's names; empty: engine default

  void Declare(KeyDeclarations& keys) override;
  void ValidateTogether(const std::string& prefix) const override;

  ReadArgs Read() const;
  ResampleArgs Resampling() const;
  // A file as the model hears it: mono at sample_rate. Throws jsqa::Error
  // naming the file (unreadable, empty, NaN samples, ...).
  std::vector<float> LoadMono(const std::string& path) const;
};

}  // namespace jsqa
