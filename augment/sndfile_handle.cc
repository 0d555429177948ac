#include "augment/sndfile_handle.h"

#include <array>
#include <mutex>
#include <utility>

#include "pipeline/base/error.h"

namespace jsqa::detail {
namespace {

using NamedFormat = std::pair<int, const char*>;

constexpr std::array<NamedFormat, 10> kContainers{{
    {SF_FORMAT_WAV, "WAV"},
    {SF_FORMAT_WAVEX, "WAVEX"},
    {SF_FORMAT_W64, "W64"},
    {SF_FORMAT_RF64, "RF64"},
    {SF_FORMAT_AIFF, "AIFF"},
    {SF_FORMAT_AU, "AU"},
    {SF_FORMAT_CAF, "CAF"},
    {SF_FORMAT_FLAC, "FLAC"},
    {SF_FORMAT_OGG, "OGG"},
    {SF_FORMAT_MPEG, "MPEG"},
}};

constexpr std::array<NamedFormat, 15> kEncodings{{
    {SF_FORMAT_PCM_S8, "PCM_S8"},
    {SF_FORMAT_PCM_U8, "PCM_U8"},
    {SF_FORMAT_PCM_16, "PCM_16"},
    {SF_FORMAT_PCM_24, "PCM_24"},
    {SF_FORMAT_PCM_32, "PCM_32"},
    {SF_FORMAT_FLOAT, "FLOAT"},
    {SF_FORMAT_DOUBLE, "DOUBLE"},
    {SF_FORMAT_ULAW, "ULAW"},
    {SF_FORMAT_ALAW, "ALAW"},
    {SF_FORMAT_IMA_ADPCM, "IMA_ADPCM"},
    {SF_FORMAT_MS_ADPCM, "MS_ADPCM"},
    {SF_FORMAT_GSM610, "GSM610"},
    {SF_FORMAT_VORBIS, "VORBIS"},
    {SF_FORMAT_OPUS, "OPUS"},
    {SF_FORMAT_MPEG_LAYER_III, "MPEG_LAYER_III"},
}};

// Our short name if we have one, else libsndfile's own description.
template <size_t N>
std::string NameOf(int code, const std::array<NamedFormat, N>& table) {
  for (const NamedFormat& entry : table)
    if (entry.first == code) return entry.second;
  SF_FORMAT_INFO info{};
  info.format = code;
  if (sf_command(nullptr, SFC_GET_FORMAT_INFO, &info, sizeof info) == 0 && info.name)
    return info.name;
  return "unknown";
}

}  // namespace

void ThrowFileError(const std::string& path, const std::string& reason) {
  throw Error(path + ": " + reason);
}

void ThrowFileError(const std::string& path, SkipReason code, const std::string& reason) {
  throw SkipError(code, path + ": " + reason);
}

namespace {

// sf_open, and on failure libsndfile's reason: sf_strerror(nullptr) reports
// the last sf_open's outcome, kept in one process-wide variable that every
// open (a successful one too) sets. Opens, for reading and writing, run one
// at a time, so a failed file's reason is its own, the same in every run
// whatever the threads (skipped.tsv is part of the output).
SndfilePtr Open(const std::string& path, int mode, SF_INFO* info, std::string* reason) {
  static std::mutex open_mutex;
  std::lock_guard<std::mutex> lock(open_mutex);
  SndfilePtr file(sf_open(path.c_str(), mode, info));
  if (!file) *reason = sf_strerror(nullptr);
  return file;
}

}  // namespace

SndfilePtr OpenForRead(const std::string& path, SF_INFO* info) {
  *info = SF_INFO{};
  std::string reason;
  SndfilePtr file = Open(path, SFM_READ, info, &reason);
  if (!file) ThrowFileError(path, SkipReason::kUnreadable, "cannot open: " + reason);
  return file;
}

SndfilePtr OpenForWrite(const std::string& path, SF_INFO* info) {
  std::string reason;
  SndfilePtr file = Open(path, SFM_WRITE, info, &reason);
  if (!file) ThrowFileError(path, "cannot create: " + reason);
  return file;
}

std::string ContainerName(int format) { return NameOf(format & SF_FORMAT_TYPEMASK, kContainers); }

std::string EncodingName(int format) { return NameOf(format & SF_FORMAT_SUBMASK, kEncodings); }

}  // namespace jsqa::detail
