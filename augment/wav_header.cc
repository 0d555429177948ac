#include "augment/wav_header.h"

#include <array>
#include <cstring>
#include <fstream>

namespace jsqa::detail {
namespace {

// WAVE format tags whose block align is the size of one frame.
constexpr std::array<uint16_t, 5> kFramedTags{
    0x0001,  // PCM
    0x0003,  // IEEE float
    0x0006,  // A-law
    0x0007,  // mu-law
    0xFFFE,  // extensible (PCM or float in practice)
};
constexpr uint32_t kUnknownSize = 0xFFFFFFFF;

uint32_t LittleEndian(const unsigned char* bytes, int count) {
  uint32_t value = 0;
  for (int i = count - 1; i >= 0; --i) value = (value << 8) | bytes[i];
  return value;
}

}  // namespace

std::optional<int64_t> DeclaredWavFrames(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::array<unsigned char, 12> riff{};
  if (!in.read(reinterpret_cast<char*>(riff.data()), riff.size()) ||
      std::memcmp(riff.data(), "RIFF", 4) != 0 || std::memcmp(riff.data() + 8, "WAVE", 4) != 0)
    return std::nullopt;

  uint32_t block_align = 0;
  std::array<unsigned char, 8> header{};
  while (in.read(reinterpret_cast<char*>(header.data()), header.size())) {
    const uint32_t size = LittleEndian(header.data() + 4, 4);
    if (std::memcmp(header.data(), "fmt ", 4) == 0) {
      // fmt body: tag(2) channels(2) rate(4) byte rate(4) block align(2).
      std::array<unsigned char, 14> fmt{};
      if (size < fmt.size() || !in.read(reinterpret_cast<char*>(fmt.data()), fmt.size()))
        return std::nullopt;
      const auto tag = static_cast<uint16_t>(LittleEndian(fmt.data(), 2));
      bool framed = false;
      for (const uint16_t framed_tag : kFramedTags) framed = framed || tag == framed_tag;
      if (!framed) return std::nullopt;
      block_align = LittleEndian(fmt.data() + 12, 2);
      in.seekg(size - fmt.size() + (size & 1), std::ios::cur);
    } else if (std::memcmp(header.data(), "data", 4) == 0) {
      if (block_align == 0 || size == kUnknownSize) return std::nullopt;
      return static_cast<int64_t>(size / block_align);
    } else {
      in.seekg(size + (size & 1), std::ios::cur);  // chunks are padded to even sizes
    }
  }
  return std::nullopt;
}

}  // namespace jsqa::detail
