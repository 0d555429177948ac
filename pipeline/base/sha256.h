// SHA-256 (FIPS 180-4), for shard checksums that `sha256sum` can verify.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace jsqa {

class Sha256 {
 public:
  Sha256();
  void Update(const void* data, size_t size);
  // Lower-case hex digest; the object must not be updated afterwards.
  std::string HexDigest();

 private:
  void Compress(const uint8_t* block);

  uint32_t state_[8];
  uint8_t buffer_[64];
  size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
};

// Hex SHA-256 of a whole file; throws jsqa::Error naming the path.
std::string Sha256File(const std::string& path);

}  // namespace jsqa
