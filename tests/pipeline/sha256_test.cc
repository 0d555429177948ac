#include "pipeline/base/sha256.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>

#include "pipeline/base/error.h"
#include "tests/test_support.h"

namespace jsqa {
namespace {

std::string HashOf(const std::string& text) {
  Sha256 hash;
  hash.Update(text.data(), text.size());
  return hash.HexDigest();
}

// FIPS 180-2 appendix B and the NIST example vectors.
TEST(Sha256Test, KnownVectors) {
  EXPECT_EQ(HashOf(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(HashOf("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HashOf("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(HashOf(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// Message lengths around the 55/56/64-byte padding boundaries, fed in
// pieces of every size, must hash as if fed at once.
TEST(Sha256Test, StreamingMatchesOneShot) {
  std::string text;
  for (int i = 0; i < 200; ++i) text += static_cast<char>('a' + i % 26);
  for (size_t length : {55u, 56u, 63u, 64u, 65u, 119u, 120u, 200u}) {
    const std::string message = text.substr(0, length);
    const std::string expected = HashOf(message);
    for (size_t piece = 1; piece <= 70; ++piece) {
      Sha256 hash;
      for (size_t at = 0; at < message.size(); at += piece)
        hash.Update(message.data() + at, std::min(piece, message.size() - at));
      ASSERT_EQ(hash.HexDigest(), expected) << "length " << length << ", pieces of " << piece;
    }
  }
}

TEST(Sha256Test, FileMatchesSha256sum) {
  const std::string clip = testing::LibrivoxClips()[0];
  std::string output;
  ASSERT_EQ(testing::RunCommand("sha256sum '" + clip + "'", &output), 0) << output;
  EXPECT_EQ(Sha256File(clip), output.substr(0, 64));

  // Larger than the 1 MiB read block, and not a multiple of it.
  testing::TempDir dir;
  std::string big;
  for (uint32_t i = 0; i < (3u << 20) + 12345; ++i) big += static_cast<char>(i * 7919u % 251);
  testing::WriteBytes(dir / "big.bin", big);
  ASSERT_EQ(testing::RunCommand("sha256sum '" + (dir / "big.bin") + "'", &output), 0) << output;
  EXPECT_EQ(Sha256File(dir / "big.bin"), output.substr(0, 64));
}

TEST(Sha256Test, MissingFileNamesThePath) {
  try {
    Sha256File("/nonexistent/shard.h5");
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("/nonexistent/shard.h5"), std::string::npos)
        << error.what();
  }
}

}  // namespace
}  // namespace jsqa
