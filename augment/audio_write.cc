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

}  // namespace

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
