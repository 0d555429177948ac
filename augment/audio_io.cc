// Probing and decoding audio files (writing lives in audio_write.cc).
#include "augment/audio_io.h"

#include <algorithm>
#include <cmath>

#include "pipeline/base/error.h"
#include "augment/sndfile_handle.h"
#include "augment/wav_header.h"

namespace jsqa {
namespace {

using detail::ThrowFileError;

// Frames decoded per sf_readf_float call: 16384 frames keep a 6-channel
// buffer at 384 KiB while making per-call overhead negligible.
constexpr sf_count_t kChunkFrames = 16384;
// A corrupt header can claim billions of frames; reserve at most 2^24 frames
// (64 MiB of floats) up front and let a genuinely longer file grow the buffer.
constexpr int64_t kMaxReserveFrames = int64_t{1} << 24;

void CheckChannelArgs(const std::string& path, int channels, const ReadArgs& args) {
  if (args.channel_mode == ChannelMode::kPick && (args.channel < 0 || args.channel >= channels))
    ThrowFileError(path, SkipReason::kMissingChannel,
                   detail::Concat("channel ", args.channel, " requested but the file has ", channels, " channel(s)"));
}

// The frame count the file claims. libsndfile's count, except for WAV,
// whose count libsndfile trims to the bytes present; there the header's
// data-chunk size is the claim.
int64_t ClaimedFrames(const std::string& path, const SF_INFO& info) {
  const int container = info.format & SF_FORMAT_TYPEMASK;
  if (container == SF_FORMAT_WAV || container == SF_FORMAT_WAVEX) {
    if (const auto declared = detail::DeclaredWavFrames(path))
      return std::max<int64_t>(info.frames, *declared);
  }
  return info.frames;
}

// Decodes up to `frames` frames from the current position into mono, by
// channel mean or by picking one channel. Stops early at end of data; the
// caller compares the returned length with what it expected.
std::vector<float> DecodeMono(const std::string& path, SNDFILE* file, int channels, int64_t frames,
                              const ReadArgs& args, int64_t first_frame) {
  std::vector<float> mono;
  mono.reserve(static_cast<size_t>(std::min(frames, kMaxReserveFrames)));
  std::vector<float> interleaved(static_cast<size_t>(kChunkFrames) * channels);
  const float scale = 1.0f / static_cast<float>(channels);
  while (static_cast<int64_t>(mono.size()) < frames) {
    const sf_count_t wanted =
        std::min<sf_count_t>(kChunkFrames, frames - static_cast<int64_t>(mono.size()));
    const sf_count_t got = sf_readf_float(file, interleaved.data(), wanted);
    if (got <= 0) break;
    for (sf_count_t frame = 0; frame < got; ++frame) {
      const float* values = interleaved.data() + frame * channels;
      float sum = 0.0f;
      for (int channel = 0; channel < channels; ++channel) {
        // Checked on every channel: a NaN in an unused channel still means
        // a corrupt file.
        if (!std::isfinite(values[channel]))
          ThrowFileError(path, SkipReason::kNonFinite,
                         detail::Concat("non-finite sample (NaN or Inf) at frame ",
                                        first_frame + static_cast<int64_t>(mono.size()), ", channel ", channel));
        sum += values[channel];
      }
      mono.push_back(args.channel_mode == ChannelMode::kPick ? values[args.channel] : sum * scale);
    }
  }
  return mono;
}

void CheckComplete(const std::string& path, size_t decoded, int64_t expected) {
  if (static_cast<int64_t>(decoded) < expected)
    ThrowFileError(path, SkipReason::kTruncated,
                   detail::Concat("truncated: decoded ", decoded, " of ", expected, " frames"));
}

}  // namespace

AudioInfo ProbeAudio(const std::string& path) {
  SF_INFO sf_info{};
  const detail::SndfilePtr file = detail::OpenForRead(path, &sf_info);
  if (sf_info.frames <= 0) ThrowFileError(path, SkipReason::kEmpty, "empty: no audio frames");
  AudioInfo info;
  info.frames = sf_info.frames;
  info.sample_rate = sf_info.samplerate;
  info.channels = sf_info.channels;
  info.container = detail::ContainerName(sf_info.format);
  info.encoding = detail::EncodingName(sf_info.format);
  return info;
}

Audio ReadAudio(const std::string& path, const ReadArgs& args) {
  SF_INFO info{};
  const detail::SndfilePtr file = detail::OpenForRead(path, &info);
  CheckChannelArgs(path, info.channels, args);
  const int64_t expected = ClaimedFrames(path, info);
  if (expected <= 0) ThrowFileError(path, SkipReason::kEmpty, "empty: no audio frames");

  Audio audio;
  audio.sample_rate = info.samplerate;
  audio.samples = DecodeMono(path, file.get(), info.channels, expected, args, 0);
  CheckComplete(path, audio.samples.size(), expected);
  return audio;
}

Audio ReadAudioRange(const std::string& path, int64_t offset, int64_t frames,
                     const ReadArgs& args) {
  SF_INFO info{};
  const detail::SndfilePtr file = detail::OpenForRead(path, &info);
  CheckChannelArgs(path, info.channels, args);
  if (offset < 0 || frames <= 0 || offset > info.frames - frames)
    ThrowFileError(
        path, SkipReason::kTruncated,
        detail::Concat("frames [", offset, ", ", offset + frames, ") are outside the file's ", info.frames, " frames"));
  if (sf_seek(file.get(), offset, SEEK_SET) != offset)
    ThrowFileError(path, SkipReason::kUnreadable,
                   detail::Concat("cannot seek to frame ", offset, ": ", sf_strerror(file.get())));

  Audio audio;
  audio.sample_rate = info.samplerate;
  audio.samples = DecodeMono(path, file.get(), info.channels, frames, args, offset);
  CheckComplete(path, audio.samples.size(), frames);
  return audio;
}

}  // namespace jsqa
