#include "augment/audio_io.h"

#include <gtest/gtest.h>
#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "pipeline/base/error.h"
#include "tests/test_support.h"

namespace jsqa {
namespace {

using testing::TempDir;

// sense_and_sensibility_01_austen_64kb-0880.wav: 16 kHz mono PCM_16 with a
// 44-byte header and 95680 bytes of samples.
std::string ShortClip() { return testing::LibrivoxClips()[1]; }
constexpr int64_t kShortClipFrames = 47840;

// Writes an interleaved multi-channel file straight through libsndfile, as
// the library's own writer only produces mono.
void WriteInterleaved(const std::string& path, const std::vector<float>& interleaved, int channels,
                      int format) {
  SF_INFO info{};
  info.samplerate = 16000;
  info.channels = channels;
  info.format = format;
  SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
  ASSERT_NE(file, nullptr) << sf_strerror(nullptr);
  const auto frames = static_cast<sf_count_t>(interleaved.size() / channels);
  EXPECT_EQ(sf_writef_float(file, interleaved.data(), frames), frames);
  sf_close(file);
}

// The message ReadAudio throws for path, or "" when it does not throw.
std::string ReadError(const std::string& path, const ReadArgs& args = {}) {
  try {
    ReadAudio(path, args);
  } catch (const Error& error) {
    return error.what();
  }
  return "";
}

float MaxAbsDifference(const std::vector<float>& a, const std::vector<float>& b) {
  float worst = 0.0f;
  for (size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(a[i] - b[i]));
  return worst;
}

TEST(AudioIoTest, ProbesARealWav) {
  const AudioInfo info = ProbeAudio(ShortClip());
  EXPECT_EQ(info.frames, kShortClipFrames);
  EXPECT_EQ(info.sample_rate, 16000);
  EXPECT_EQ(info.channels, 1);
  EXPECT_EQ(info.container, "WAV");
  EXPECT_EQ(info.encoding, "PCM_16");
  EXPECT_NEAR(info.DurationSeconds(), 2.99, 0.001);
}

TEST(AudioIoTest, ReadsRealSpeechAtEveryRate) {
  const Audio speech = ReadAudio(ShortClip());
  EXPECT_EQ(speech.sample_rate, 16000);
  ASSERT_EQ(static_cast<int64_t>(speech.samples.size()), kShortClipFrames);
  float peak = 0.0f;
  for (const float x : speech.samples) peak = std::max(peak, std::abs(x));
  EXPECT_GT(peak, 0.05f);
  EXPECT_LE(peak, 1.0f);

  const Audio voice = ReadAudio(testing::AlsaVoiceClips()[0]);
  EXPECT_EQ(voice.sample_rate, 48000);
  EXPECT_GT(voice.DurationSeconds(), 1.0);
}

TEST(AudioIoTest, FlacRoundTripKeepsSixteenBitSamplesExactly) {
  TempDir dir;
  const Audio original = ReadAudio(ShortClip());
  const std::string flac = dir / "clip.flac";
  WriteAudio(flac, original.samples, original.sample_rate);

  const AudioInfo info = ProbeAudio(flac);
  EXPECT_EQ(info.container, "FLAC");
  EXPECT_EQ(info.encoding, "PCM_16");
  const Audio decoded = ReadAudio(flac);
  EXPECT_EQ(decoded.sample_rate, 16000);
  ASSERT_EQ(decoded.samples.size(), original.samples.size());
  // Samples read from 16-bit files are multiples of 2^-15 and come back
  // bit-exact; the contract is 1 LSB.
  EXPECT_LE(MaxAbsDifference(decoded.samples, original.samples), 1.0f / 32768);
  EXPECT_EQ(decoded.samples, original.samples);
}

TEST(AudioIoTest, RoundTripsEveryFormatWithinHalfAStep) {
  TempDir dir;
  std::vector<float> signal(4800);
  for (size_t i = 0; i < signal.size(); ++i)
    signal[i] = static_cast<float>(0.9 * std::sin(2 * M_PI * 440.0 * i / 48000.0));
  signal[10] = 1.0f;
  signal[11] = -1.0f;

  struct Case {
    const char* file;
    SampleFormat format;
    const char* encoding;
    float tolerance;  // half a quantisation step: samples are rounded, not truncated
  };
  for (const Case& c : {Case{"pcm16.wav", SampleFormat::kPcm16, "PCM_16", 0.5f / 32768},
                        Case{"pcm24.wav", SampleFormat::kPcm24, "PCM_24", 0.5f / 8388608},
                        Case{"float.wav", SampleFormat::kFloat, "FLOAT", 0.0f},
                        Case{"pcm16.flac", SampleFormat::kPcm16, "PCM_16", 0.5f / 32768},
                        Case{"pcm24.flac", SampleFormat::kPcm24, "PCM_24", 0.5f / 8388608}}) {
    SCOPED_TRACE(c.file);
    const std::string path = dir / c.file;
    WriteAudio(path, signal, 48000, c.format);
    EXPECT_EQ(ProbeAudio(path).encoding, c.encoding);
    const Audio decoded = ReadAudio(path);
    ASSERT_EQ(decoded.samples.size(), signal.size());
    EXPECT_EQ(decoded.sample_rate, 48000);
    // +1.0 has no PCM code; it saturates to the top one, a step below.
    std::vector<float> expected = signal;
    expected[10] = c.format == SampleFormat::kFloat ? 1.0f : 1.0f - 2 * c.tolerance;
    EXPECT_EQ(decoded.samples[10], expected[10]);
    EXPECT_EQ(decoded.samples[11], -1.0f);
    EXPECT_LE(MaxAbsDifference(decoded.samples, expected), c.tolerance);
  }
}

TEST(AudioIoTest, WritesOggVorbis) {
  TempDir dir;
  const Audio speech = ReadAudio(ShortClip());
  const std::string path = dir / "clip.ogg";
  WriteAudio(path, speech.samples, speech.sample_rate);
  const AudioInfo info = ProbeAudio(path);
  EXPECT_EQ(info.container, "OGG");
  EXPECT_EQ(info.encoding, "VORBIS");
  EXPECT_EQ(ReadAudio(path).samples.size(), speech.samples.size());
}

TEST(AudioIoTest, DownmixesOrPicksStereoChannels) {
  TempDir dir;
  const std::string path = dir / "stereo.wav";
  // Left and right are multiples of 2^-15 so PCM_16 stores them exactly.
  std::vector<float> interleaved;
  for (int i = 0; i < 1000; ++i) {
    interleaved.push_back(static_cast<float>(i % 50) / 128.0f);
    interleaved.push_back(-0.25f);
  }
  WriteInterleaved(path, interleaved, 2, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
  EXPECT_EQ(ProbeAudio(path).channels, 2);

  const Audio mixed = ReadAudio(path);
  const Audio left = ReadAudio(path, {ChannelMode::kPick, 0});
  const Audio right = ReadAudio(path, {ChannelMode::kPick, 1});
  ASSERT_EQ(mixed.samples.size(), 1000u);
  for (size_t i = 0; i < 1000; ++i) {
    ASSERT_EQ(left.samples[i], interleaved[2 * i]);
    ASSERT_EQ(right.samples[i], -0.25f);
    ASSERT_FLOAT_EQ(mixed.samples[i], (interleaved[2 * i] - 0.25f) / 2);
  }
}

TEST(AudioIoTest, DownmixesOrPicksSixChannels) {
  TempDir dir;
  const std::string path = dir / "surround.flac";
  constexpr int kChannels = 6;
  std::vector<float> interleaved;
  for (int i = 0; i < 2000; ++i)
    for (int channel = 0; channel < kChannels; ++channel)
      interleaved.push_back(static_cast<float>(channel + 1) / 16.0f * (i % 2 ? 1.0f : -1.0f));
  WriteInterleaved(path, interleaved, kChannels, SF_FORMAT_FLAC | SF_FORMAT_PCM_24);

  const AudioInfo info = ProbeAudio(path);
  EXPECT_EQ(info.channels, kChannels);
  EXPECT_EQ(info.encoding, "PCM_24");
  const Audio fifth = ReadAudio(path, {ChannelMode::kPick, 5});
  EXPECT_EQ(fifth.samples[0], -6.0f / 16);
  EXPECT_EQ(fifth.samples[1], 6.0f / 16);
  // Mean of (1..6)/16 is 3.5/16.
  const Audio mixed = ReadAudio(path);
  EXPECT_FLOAT_EQ(mixed.samples[1], 3.5f / 16);
  EXPECT_FLOAT_EQ(mixed.samples[2], -3.5f / 16);
}

TEST(AudioIoTest, RejectsAChannelTheFileLacks) {
  TempDir dir;
  const std::string path = dir / "stereo.wav";
  WriteInterleaved(path, std::vector<float>(200, 0.1f), 2, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
  EXPECT_EQ(ReadError(path, {ChannelMode::kPick, 2}),
            path + ": channel 2 requested but the file has 2 channel(s)");
  EXPECT_NE(ReadError(path, {ChannelMode::kPick, -1}), "");
  EXPECT_NE(ReadError(ShortClip(), {ChannelMode::kPick, 1}), "");
}

TEST(AudioIoTest, ReadsTwentyFourBitAndFloatFiles) {
  TempDir dir;
  const Audio speech = ReadAudio(ShortClip());
  for (const SampleFormat format : {SampleFormat::kPcm24, SampleFormat::kFloat}) {
    const std::string path = dir / "speech.wav";
    WriteAudio(path, speech.samples, speech.sample_rate, format);
    // 16-bit values are exact in both 24-bit PCM and float.
    EXPECT_EQ(ReadAudio(path).samples, speech.samples);
  }
}

TEST(AudioIoTest, ReportsATruncatedWav) {
  TempDir dir;
  const std::string path = dir / "cut.wav";
  testing::WriteBytes(path, testing::ReadBytes(ShortClip()).substr(0, 50000));
  // (50000 - 44) / 2 = 24978 whole frames survive.
  EXPECT_EQ(ReadError(path), path + ": truncated: decoded 24978 of 47840 frames");
}

TEST(AudioIoTest, ReportsATruncatedFlac) {
  TempDir dir;
  const std::string flac = dir / "clip.flac";
  WriteAudio(flac, ReadAudio(ShortClip()).samples, 16000);
  const std::string bytes = testing::ReadBytes(flac);
  const std::string path = dir / "cut.flac";
  testing::WriteBytes(path, bytes.substr(0, bytes.size() * 6 / 10));
  const std::string message = ReadError(path);
  EXPECT_EQ(message.rfind(path + ": truncated: decoded ", 0), 0u) << message;
  EXPECT_NE(message.find(" of 47840 frames"), std::string::npos) << message;
}

TEST(AudioIoTest, ReportsHeaderOnlyWavs) {
  TempDir dir;
  // The real header promises 47840 frames; none follow.
  const std::string cut = dir / "header.wav";
  testing::WriteBytes(cut, testing::ReadBytes(ShortClip()).substr(0, 44));
  EXPECT_EQ(ReadError(cut), cut + ": truncated: decoded 0 of 47840 frames");

  // A header that honestly declares no samples.
  const std::string empty = dir / "empty.wav";
  WriteInterleaved(empty, {}, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
  EXPECT_EQ(ReadError(empty), empty + ": empty: no audio frames");
  EXPECT_THROW(ProbeAudio(empty), Error);
}

TEST(AudioIoTest, ReportsFilesThatAreNotAudio) {
  TempDir dir;
  const std::string zero = dir / "zero.wav";
  testing::WriteBytes(zero, "");
  const std::string text = dir / "text.wav";
  testing::WriteBytes(text, "speaker,utterance\n19,198-0001\n");
  const std::string missing = dir / "missing.flac";
  for (const std::string& path : {zero, text, missing}) {
    const std::string message = ReadError(path);
    EXPECT_EQ(message.rfind(path + ": cannot open: ", 0), 0u) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    EXPECT_THROW(ProbeAudio(path), Error);
  }
}

TEST(AudioIoTest, RejectsNonFiniteSamples) {
  TempDir dir;
  for (const float bad :
       {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity()}) {
    const std::string path = dir / "bad.wav";
    std::vector<float> samples(1000, 0.1f);
    samples[100] = bad;
    WriteInterleaved(path, samples, 1, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    EXPECT_EQ(ReadError(path), path + ": non-finite sample (NaN or Inf) at frame 100, channel 0");
  }
}

TEST(AudioIoTest, ReadsARangeByWavAndFlacSeeking) {
  TempDir dir;
  const Audio whole = ReadAudio(ShortClip());
  const std::string flac = dir / "clip.flac";
  WriteAudio(flac, whole.samples, whole.sample_rate);
  const std::vector<float> expected(whole.samples.begin() + 12345,
                                    whole.samples.begin() + 12345 + 4000);
  for (const std::string& path : {ShortClip(), flac}) {
    const Audio range = ReadAudioRange(path, 12345, 4000);
    EXPECT_EQ(range.sample_rate, 16000);
    EXPECT_EQ(range.samples, expected) << path;
    EXPECT_EQ(ReadAudioRange(path, kShortClipFrames - 10, 10).samples.size(), 10u);
  }
}

TEST(AudioIoTest, RejectsRangesOutsideTheFile) {
  const std::string path = ShortClip();
  EXPECT_THROW(ReadAudioRange(path, kShortClipFrames - 10, 11), Error);
  EXPECT_THROW(ReadAudioRange(path, -1, 10), Error);
  EXPECT_THROW(ReadAudioRange(path, 0, 0), Error);
}

TEST(AudioIoTest, WriteRejectsWhatItCannotStoreFaithfully) {
  TempDir dir;
  const std::string loud = dir / "loud.wav";
  EXPECT_THROW(WriteAudio(loud, {0.5f, 1.5f}, 16000), Error);
  EXPECT_FALSE(std::filesystem::exists(loud)) << "nothing may be written for a rejected signal";
  EXPECT_THROW(WriteAudio(dir / "nan.wav", {std::nanf("")}, 16000), Error);
  EXPECT_THROW(WriteAudio(dir / "empty.wav", {}, 16000), Error);
  EXPECT_THROW(WriteAudio(dir / "rate.wav", {0.1f}, 0), Error);
  EXPECT_THROW(WriteAudio(dir / "clip.mp4", {0.1f}, 16000), Error);
  try {
    WriteAudio(dir / "float.flac", {0.1f}, 16000, SampleFormat::kFloat);
    ADD_FAILURE() << "FLAC has no float encoding";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()), dir / "float.flac" + ": FLAC cannot store FLOAT samples");
  }
}

}  // namespace
}  // namespace jsqa
