// Writing mono audio files (declared in audio_io.h).
#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>

#include "augment/audio_io.h"
#include "pipeline/base/error.h"
#include "augment/sndfile_handle.h"

namespace jsqa {
namespace {

using detail::ThrowFileError;

constexpr size_t kChunkSamples = 16384;

int ContainerFor(const std::string& path) {
  std::string extension = std::filesystem::path(path).extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (extension == ".wav") return SF_FORMAT_WAV;
  if (extension == ".flac") return SF_FORMAT_FLAC;
  if (extension == ".ogg") return SF_FORMAT_OGG;
  ThrowFileError(path,
                 "cannot tell the audio container from the extension; use .wav, .flac or .ogg");
}

int EncodingFor(int container, SampleFormat format) {
  // Ogg holds Vorbis, a lossy float codec: there is no PCM width to choose.
  if (container == SF_FORMAT_OGG) return SF_FORMAT_VORBIS;
  if (format == SampleFormat::kPcm24) return SF_FORMAT_PCM_24;
  if (format == SampleFormat::kFloat) return SF_FORMAT_FLOAT;
  return SF_FORMAT_PCM_16;
}

// Codes per unit of amplitude for an integer encoding, 0 for float ones.
// Reading divides by 2^15 (2^23), so writing multiplies by the same and
// values decoded from a 16-bit file are written back bit-exactly
// (libsndfile's own normalisation writes with 2^15 - 1 instead).
double PcmScale(int encoding) {
  if (encoding == SF_FORMAT_PCM_16) return 32768.0;
  if (encoding == SF_FORMAT_PCM_24) return 8388608.0;
  return 0.0;
}

void CheckSamples(const std::string& path, const std::vector<float>& samples) {
  for (size_t i = 0; i < samples.size(); ++i)
    if (!(std::abs(samples[i]) <= 1.0f))
      ThrowFileError(path, detail::Concat("sample ", i, " is ", samples[i],
                                          ", outside [-1, 1]; scale it down, we never clip"));
}

// libsndfile's virtual I/O over a growing byte string.
struct MemoryFile {
  std::string bytes;
  sf_count_t position = 0;
};

sf_count_t MemoryLength(void* user) { return static_cast<sf_count_t>(static_cast<MemoryFile*>(user)->bytes.size()); }

sf_count_t MemorySeek(sf_count_t offset, int whence, void* user) {
  MemoryFile& file = *static_cast<MemoryFile*>(user);
  const sf_count_t base = whence == SEEK_CUR ? file.position : whence == SEEK_END ? MemoryLength(user) : 0;
  file.position = std::max<sf_count_t>(0, base + offset);
  return file.position;
}

sf_count_t MemoryRead(void* data, sf_count_t count, void* user) {
  MemoryFile& file = *static_cast<MemoryFile*>(user);
  const sf_count_t available = std::max<sf_count_t>(0, MemoryLength(user) - file.position);
  const sf_count_t read = std::min(count, available);
  std::copy_n(file.bytes.data() + file.position, read, static_cast<char*>(data));
  file.position += read;
  return read;
}

sf_count_t MemoryWrite(const void* data, sf_count_t count, void* user) {
  MemoryFile& file = *static_cast<MemoryFile*>(user);
  const size_t end = static_cast<size_t>(file.position + count);
  if (file.bytes.size() < end) file.bytes.resize(end);
  std::copy_n(static_cast<const char*>(data), count, file.bytes.data() + file.position);
  file.position += count;
  return count;
}

sf_count_t MemoryTell(void* user) { return static_cast<MemoryFile*>(user)->position; }

}  // namespace

std::string EncodeWav(const std::vector<float>& interleaved, int channels, int sample_rate) {
  const std::string what = "in-memory WAV";
  if (sample_rate <= 0 || channels <= 0 || interleaved.empty() || interleaved.size() % channels != 0)
    ThrowFileError(what, detail::Concat(interleaved.size(), " samples cannot make ", channels, "-channel audio at ",
                                        sample_rate, " Hz"));
  CheckSamples(what, interleaved);
  SF_INFO info{};
  info.samplerate = sample_rate;
  info.channels = channels;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SF_VIRTUAL_IO io{MemoryLength, MemorySeek, MemoryRead, MemoryWrite, MemoryTell};
  MemoryFile file;
  detail::SndfilePtr handle(sf_open_virtual(&io, SFM_WRITE, &info, &file));
  if (!handle) ThrowFileError(what, sf_strerror(nullptr));
  // As WriteAudio: samples already in code units, +1.0 saturated to the top code.
  sf_command(handle.get(), SFC_SET_NORM_FLOAT, nullptr, SF_FALSE);
  const double scale = PcmScale(SF_FORMAT_PCM_16);
  std::vector<float> codes(interleaved.size());
  for (size_t i = 0; i < codes.size(); ++i) codes[i] = static_cast<float>(std::min(interleaved[i] * scale, scale - 1.0));
  const sf_count_t written = sf_write_float(handle.get(), codes.data(), static_cast<sf_count_t>(codes.size()));
  if (sf_close(handle.release()) != 0 || written != static_cast<sf_count_t>(codes.size()))
    ThrowFileError(what, "write failed");
  return std::move(file.bytes);
}

void WriteAudio(const std::string& path, const std::vector<float>& samples, int sample_rate,
                SampleFormat format) {
  if (sample_rate <= 0)
    ThrowFileError(path, detail::Concat("sample rate must be > 0, got ", sample_rate));
  if (samples.empty()) ThrowFileError(path, "no samples to write");
  CheckSamples(path, samples);

  SF_INFO info{};
  info.samplerate = sample_rate;
  info.channels = 1;
  const int container = ContainerFor(path);
  const int encoding = EncodingFor(container, format);
  info.format = container | encoding;
  if (!sf_format_check(&info))
    ThrowFileError(path, detail::ContainerName(container) + " cannot store " +
                             detail::EncodingName(encoding) + " samples");
  detail::SndfilePtr file = detail::OpenForWrite(path, &info);

  // Integer encodings get samples already in code units and rounded by
  // libsndfile (its clipping mode would truncate instead). +1.0 has no code
  // (the top one is scale - 1) and is saturated to it here: checked input
  // reaches it only at exactly +1.0, one step off.
  const double scale = PcmScale(encoding);
  if (scale > 0.0) sf_command(file.get(), SFC_SET_NORM_FLOAT, nullptr, SF_FALSE);
  std::vector<float> chunk;
  for (size_t begin = 0; begin < samples.size(); begin += kChunkSamples) {
    const size_t end = std::min(begin + kChunkSamples, samples.size());
    chunk.assign(samples.begin() + begin, samples.begin() + end);
    if (scale > 0.0)
      for (float& x : chunk) x = static_cast<float>(std::min(x * scale, scale - 1.0));
    if (sf_write_float(file.get(), chunk.data(), static_cast<sf_count_t>(chunk.size())) !=
        static_cast<sf_count_t>(chunk.size()))
      ThrowFileError(path, std::string("write failed: ") + sf_strerror(file.get()));
  }
  // Closing flushes encoder state (FLAC, Vorbis) and patches the header, so
  // its failure is a write failure.
  if (sf_close(file.release()) != 0) ThrowFileError(path, "write failed when closing the file");
}

}  // namespace jsqa
