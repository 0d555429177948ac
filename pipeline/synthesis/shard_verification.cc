#include "pipeline/synthesis/shard_verification.h"

#include <tbb/parallel_for.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "pipeline/base/error.h"
#include "pipeline/base/sha256.h"
#include "pipeline/base/text_files.h"

namespace jsqa {
namespace fs = std::filesystem;

std::vector<int64_t> ShardsToVerify(int64_t shards, const RankSlice& slice) {
  JSQA_CHECK(slice.world >= 1 && slice.rank >= 0 && slice.rank < slice.world, "rank ", slice.rank, " of ",
             slice.world, ": need 0 <= rank < world");
  std::vector<int64_t> mine;
  for (int64_t shard = slice.rank; shard < shards; shard += slice.world) mine.push_back(shard);
  return mine;
}

ShardsVerified VerifyShards(const std::string& dir, const RankSlice& slice) {
  const std::string manifest_path = (fs::path(dir) / "manifest.json").string();
  if (!fs::exists(manifest_path)) throw Error(manifest_path + ": missing: the shards in " + dir + " are not all complete");
  const nlohmann::json manifest = ReadJsonFile(manifest_path);
  const nlohmann::json& shards = manifest.at("shards");
  ShardsVerified verified;
  verified.listed = static_cast<int64_t>(shards.size());
  std::vector<std::string> paths, expected;
  for (const int64_t index : ShardsToVerify(verified.listed, slice)) {
    const nlohmann::json& shard = shards.at(static_cast<size_t>(index));
    paths.push_back((fs::path(dir) / shard.at("file").get<std::string>()).string());
    expected.push_back(shard.at("sha256").get<std::string>());
    JSQA_CHECK(fs::is_regular_file(paths.back()), paths.back(), ": listed in manifest.json but missing");
    verified.bytes += fs::file_size(paths.back());
  }
  verified.hashed = static_cast<int64_t>(paths.size());
  // Before training the cores are idle and a shard is hashed at about one
  // core's speed: several at once. The failures are kept per shard so that
  // the one reported is the first in the manifest's order, whatever the
  // threads' timing.
  std::vector<std::string> failures(paths.size());
  tbb::parallel_for(size_t{0}, paths.size(), [&](size_t i) {
    try {
      if (Sha256File(paths[i]) != expected[i])
        failures[i] = paths[i] + ": SHA-256 does not match manifest.json (the shard or the manifest changed since "
                      "synth wrote them); rerun synth into " + dir + " to redo it";
    } catch (const std::exception& error) {
      failures[i] = error.what();
    }
  });
  for (const std::string& failure : failures)
    if (!failure.empty()) throw Error(failure);
  return verified;
}

}  // namespace jsqa
