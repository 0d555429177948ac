#include "pipeline/synthesis/audio_config.h"

#include "pipeline/base/error.h"

namespace jsqa {

void AudioConfig::Register(po::options_description& options, const std::string& prefix) {
  const std::string p = prefix + ".";
  options.add_options()
      ((p + "sample_rate").c_str(), po::value(&sample_rate)->default_value(sample_rate),
       "sample rate every stage works at, Hz (8000..192000)")
      ((p + "channel_mode").c_str(), po::value(&channel_mode)->default_value(channel_mode),
       "multi-channel files to mono: downmix (mean of channels) or pick")
      ((p + "channel").c_str(), po::value(&channel)->default_value(channel),
       "channel to keep with channel_mode = pick (0-based)")
      ((p + "resampler").c_str(), po::value(&resampler)->default_value(resampler),
       "resampling engine: soxr or libsamplerate")
      ((p + "resampler_quality").c_str(),
       po::value(&resampler_quality)->default_value(resampler_quality),
       "soxr: quick, low, medium, high, very_high; libsamplerate: sinc_best, sinc_medium, "
       "sinc_fastest, zero_order_hold, linear; empty: high / sinc_medium");
}

void AudioConfig::Validate(const std::string& prefix) const {
  const std::string p = prefix + ".";
  if (sample_rate < 8000 || sample_rate > 192000)
    throw UsageError(p + "sample_rate = " + std::to_string(sample_rate) + ": allowed: 8000..192000");
  RequireOneOf(p + "channel_mode", channel_mode, {"downmix", "pick"});
  if (channel < 0) throw UsageError(p + "channel = " + std::to_string(channel) + ": allowed: >= 0");
  RequireOneOf(p + "resampler", resampler, {"soxr", "libsamplerate"});
  if (!resampler_quality.empty())
    RequireOneOf(p + "resampler_quality", resampler_quality,
                 resampler == "soxr" ? SoxrQualityNames() : LibsamplerateQualityNames());
}

std::string AudioConfig::ToString() const {
  return KeyValueText()
      .Add("sample_rate", sample_rate)
      .Add("channel_mode", channel_mode)
      .Add("channel", channel)
      .Add("resampler", resampler)
      .Add("resampler_quality", resampler_quality)
      .str();
}

ReadArgs AudioConfig::Read() const {
  ReadArgs args;
  args.channel_mode = channel_mode == "pick" ? ChannelMode::kPick : ChannelMode::kDownmix;
  args.channel = channel;
  return args;
}

ResampleArgs AudioConfig::Resampling() const {
  ResampleArgs args;
  args.engine = ParseResamplerEngine(resampler);
  args.quality = resampler_quality;
  return args;
}

std::vector<float> AudioConfig::LoadMono(const std::string& path) const {
  Audio audio = ReadAudio(path, Read());
  if (audio.sample_rate == sample_rate) return std::move(audio.samples);
  return Resample(audio.samples, audio.sample_rate, sample_rate, Resampling());
}

}  // namespace jsqa
