// The frame count a RIFF/WAVE header declares, read from the file itself.
//
// libsndfile trims a WAV file's frame count to the bytes actually present,
// so a truncated WAV decodes "successfully" but short; comparing with the
// header's own data-chunk size is how we notice. Internal to augment/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace jsqa::detail {

// Frames declared by the data chunk of a RIFF/WAVE file with fixed-size
// frames (PCM, float, A-law, mu-law, extensible). nullopt when the file is
// not such a WAV or the size is unknown (streamed 0xFFFFFFFF, RF64).
std::optional<int64_t> DeclaredWavFrames(const std::string& path);

}  // namespace jsqa::detail
