// libsndfile plumbing shared by audio_io.cc and audio_write.cc; internal to
// augment/ (libsndfile is a private dependency).
#pragma once

#include <sndfile.h>

#include <memory>
#include <string>

#include "pipeline/base/skip_reason.h"

namespace jsqa::detail {

struct SndfileCloser {
  void operator()(SNDFILE* file) const { sf_close(file); }
};
using SndfilePtr = std::unique_ptr<SNDFILE, SndfileCloser>;

// Throws jsqa::Error("<path>: <reason>"). Messages about a file lead with
// its path so a log line says at once which input is bad.
[[noreturn]] void ThrowFileError(const std::string& path, const std::string& reason);
// The same as a SkipError with code: a file being read that is bad input
// (truncated, empty, NaN, ...), so callers that skip it count it by code.
[[noreturn]] void ThrowFileError(const std::string& path, SkipReason code, const std::string& reason);

// Opens path for reading and fills info; throws naming the path and
// libsndfile's reason (missing file, unknown format, ...).
SndfilePtr OpenForRead(const std::string& path, SF_INFO* info);
// Creates path for writing in info's format; throws naming the path and
// libsndfile's reason.
SndfilePtr OpenForWrite(const std::string& path, SF_INFO* info);

// Short names for an SF_INFO::format value: "WAV", "FLAC", ... for the
// container and "PCM_16", "FLOAT", ... for the encoding.
std::string ContainerName(int format);
std::string EncodingName(int format);

}  // namespace jsqa::detail
