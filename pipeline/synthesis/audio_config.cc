#include "pipeline/synthesis/audio_config.h"

#include "pipeline/base/error.h"

namespace jsqa {

void AudioConfig::Declare(KeyDeclarations& keys) {
  keys.Key("sample_rate", sample_rate, "sample rate every stage works at, Hz").Between(8000, 192000);
  keys.Choice("channel_mode", channel_mode, "multi-channel files to mono: downmix (mean of channels) or pick",
              {{"downmix", ChannelMode::kDownmix}, {"pick", ChannelMode::kPick}});
  keys.Key("channel", channel, "channel to keep with channel_mode = pick (0-based)").AtLeast(0);
  keys.Choice("resampler", resampler, "resampling engine",
              {{"soxr", ResamplerEngine::kSoxr}, {"libsamplerate", ResamplerEngine::kLibsamplerate}});
  keys.Key("resampler_quality", resampler_quality,
           "soxr: quick, low, medium, high, very_high; libsamplerate: sinc_best, sinc_medium, "
           "sinc_fastest, zero_order_hold, linear; empty: high / sinc_medium");
}

void AudioConfig::ValidateTogether(const std::string& prefix) const {
  if (resampler_quality.empty()) return;
  switch (resampler) {
    case ResamplerEngine::kSoxr:
      return RequireOneOf(prefix + ".resampler_quality", resampler_quality, SoxrQualityNames());
    case ResamplerEngine::kLibsamplerate:
      return RequireOneOf(prefix + ".resampler_quality", resampler_quality, LibsamplerateQualityNames());
  }
}

ReadArgs AudioConfig::Read() const {
  ReadArgs args;
  args.channel_mode = channel_mode;
  args.channel = channel;
  return args;
}

ResampleArgs AudioConfig::Resampling() const {
  ResampleArgs args;
  args.engine = resampler;
  args.quality = resampler_quality;
  return args;
}

std::vector<float> AudioConfig::LoadMono(const std::string& path) const {
  Audio audio = ReadAudio(path, Read());
  if (audio.sample_rate == sample_rate) return std::move(audio.samples);
  return Resample(audio.samples, audio.sample_rate, sample_rate, Resampling());
}

}  // namespace jsqa
