// Reading and writing audio files through libsndfile (WAV, FLAC, OGG, ...).
//
// Everything downstream works on mono float samples in [-1, 1] at a known
// sample rate; this file is the one place that knows about containers,
// sample formats and channel layouts.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace jsqa {

// How a multi-channel file becomes mono.
enum class ChannelMode {
  kDownmix,  // mean of all channels
  kPick,     // one channel, ReadArgs::channel (0-based)
};

struct ReadArgs {
  ChannelMode channel_mode = ChannelMode::kDownmix;
  int channel = 0;  // used with kPick; an error if the file has fewer channels
};

// Mono audio: samples at sample_rate Hz.
struct Audio {
  std::vector<float> samples;
  int sample_rate = 0;

  double DurationSeconds() const {
    return sample_rate > 0 ? static_cast<double>(samples.size()) / sample_rate : 0.0;
  }
};

// What the file header says, without decoding the samples.
struct AudioInfo {
  int64_t frames = 0;
  int sample_rate = 0;
  int channels = 0;
  std::string container;  // "WAV", "FLAC", "OGG", ...
  std::string encoding;   // "PCM_16", "PCM_24", "FLOAT", "VORBIS", ...

  double DurationSeconds() const {
    return sample_rate > 0 ? static_cast<double>(frames) / sample_rate : 0.0;
  }
};

// Header facts only; throws jsqa::Error naming the path for unreadable or
// empty (zero-frame) files.
AudioInfo ProbeAudio(const std::string& path);

// Decodes a whole file to mono float. Throws jsqa::Error naming the path for:
// unreadable or non-audio files, zero frames, a decode that stops short of the
// header's frame count (truncated file), and NaN/Inf samples.
Audio ReadAudio(const std::string& path, const ReadArgs& args = {});

// Decodes frames [offset, offset + frames) only (seeking, not decoding the
// rest): for streaming long noise recordings from disk.
Audio ReadAudioRange(const std::string& path, int64_t offset, int64_t frames,
                     const ReadArgs& args = {});

enum class SampleFormat { kPcm16, kPcm24, kFloat };

// Writes mono audio; the container follows the extension (.wav, .flac, .ogg;
// .ogg is always Vorbis, whatever `format`). Samples outside [-1, 1] are an
// error (we never clip silently). PCM scales by 2^15 (2^23), the inverse of
// reading, so 16-bit audio read with ReadAudio writes back bit-exactly; +1.0
// has no PCM code and becomes the top one.
void WriteAudio(const std::string& path, const std::vector<float>& samples, int sample_rate,
                SampleFormat format = SampleFormat::kPcm16);

// A 16-bit PCM WAV file's bytes, written by libsndfile into memory (a
// listening test serves stimuli without touching the disk). interleaved:
// [frames * channels] in [-1, 1]; throws jsqa::Error otherwise.
std::string EncodeWav(const std::vector<float>& interleaved, int channels, int sample_rate);

}  // namespace jsqa
