// The shard check before pretraining: which shards each rank hashes (every
// shard by exactly one rank, each rank only its share of the bytes), and
// that the ranks' shares together still catch a damaged shard, with one
// line naming the file. The check's place after the rendezvous, and the
// ranks agreeing on its outcome, are tested end to end in TrainingCliTest.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "pipeline/base/error.h"
#include "pipeline/base/sha256.h"
#include "pipeline/synthesis/shard_verification.h"
#include "tests/test_support.h"

namespace jsqa {
namespace {

using Indices = std::vector<int64_t>;

TEST(ShardVerificationTest, EachShardIsHashedByExactlyOneRank) {
  EXPECT_EQ(ShardsToVerify(5, {}), (Indices{0, 1, 2, 3, 4}));  // one rank: all of them
  EXPECT_EQ(ShardsToVerify(5, {0, 2}), (Indices{0, 2, 4}));
  EXPECT_EQ(ShardsToVerify(5, {1, 2}), (Indices{1, 3}));
  EXPECT_EQ(ShardsToVerify(2, {3, 4}), Indices{});  // more ranks than shards
  for (int64_t shards = 0; shards <= 20; ++shards)
    for (int world = 1; world <= 7; ++world) {
      std::vector<int> hashed(shards, 0);
      size_t most = 0, fewest = shards;
      for (int rank = 0; rank < world; ++rank) {
        const Indices mine = ShardsToVerify(shards, {rank, world});
        for (const int64_t shard : mine) ++hashed.at(shard);
        most = std::max(most, mine.size());
        fewest = std::min(fewest, mine.size());
      }
      for (int64_t shard = 0; shard < shards; ++shard)
        EXPECT_EQ(hashed[shard], 1) << "shard " << shard << " of " << shards << ", " << world << " ranks";
      EXPECT_LE(most - fewest, 1u) << "ranks would wait for the slowest at the barrier";
    }
  EXPECT_THROW(ShardsToVerify(5, {2, 2}), Error);
}

TEST(ShardVerificationTest, TheRanksTogetherCatchADamagedShardNamingIt) {
  testing::TempDir dir;
  nlohmann::json manifest = {{"shards", nlohmann::json::array()}};
  std::vector<std::string> paths;
  for (int shard = 0; shard < 5; ++shard) {
    const std::string name = "pairs-000" + std::to_string(shard) + "-of-0005.h5";
    paths.push_back(dir / name);
    testing::WriteBytes(paths.back(), std::string(1000 + shard, static_cast<char>('a' + shard)));
    manifest["shards"].push_back({{"file", name}, {"pairs", 4}, {"sha256", Sha256File(paths.back())}});
  }
  testing::WriteBytes(dir / "manifest.json", manifest.dump(2));
  const ShardsVerified all = VerifyShards(dir.path().string());
  EXPECT_EQ(all.hashed, 5);
  EXPECT_EQ(all.bytes, 5u * 1000 + 0 + 1 + 2 + 3 + 4);
  // Each rank reads only its share of the bytes; together, every byte once.
  for (int world = 1; world <= 6; ++world) {
    int64_t hashed = 0;
    uintmax_t bytes = 0;
    for (int rank = 0; rank < world; ++rank) {
      const ShardsVerified mine = VerifyShards(dir.path().string(), {rank, world});
      EXPECT_EQ(mine.listed, 5);
      EXPECT_EQ(mine.hashed, static_cast<int64_t>(ShardsToVerify(5, {rank, world}).size()));
      hashed += mine.hashed;
      bytes += mine.bytes;
    }
    EXPECT_EQ(hashed, all.hashed) << world << " ranks";
    EXPECT_EQ(bytes, all.bytes) << world << " ranks";
  }

  std::string bytes = testing::ReadBytes(paths[3]);
  bytes[500] ^= 1;
  testing::WriteBytes(paths[3], bytes);
  // Whatever the number of ranks, exactly one hashes shard 3 and fails.
  for (int world = 1; world <= 6; ++world) {
    int failed = 0;
    for (int rank = 0; rank < world; ++rank) {
      try {
        VerifyShards(dir.path().string(), {rank, world});
      } catch (const Error& error) {
        ++failed;
        EXPECT_EQ(rank, 3 % world);
        const std::string message = error.what();
        EXPECT_EQ(message.rfind(paths[3] + ": SHA-256 does not match manifest.json", 0), 0u) << message;
        EXPECT_EQ(message.find('\n'), std::string::npos) << message;
      }
    }
    EXPECT_EQ(failed, 1) << world << " ranks";
  }

  // Shards are hashed several at once; the one named is still the first
  // damaged one in the manifest's order.
  bytes = testing::ReadBytes(paths[1]);
  bytes[10] ^= 1;
  testing::WriteBytes(paths[1], bytes);
  for (int repeat = 0; repeat < 20; ++repeat) {
    try {
      VerifyShards(dir.path().string());
      FAIL() << "no error";
    } catch (const Error& error) {
      EXPECT_EQ(std::string(error.what()).rfind(paths[1] + ": SHA-256 does not match", 0), 0u) << error.what();
    }
  }
}

}  // namespace
}  // namespace jsqa
