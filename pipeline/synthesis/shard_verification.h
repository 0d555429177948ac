// The SHA-256 check of a synth folder's shards against manifest.json, before
// training reads them; shared among the training ranks, each hashing its
// part.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pipeline/synthesis/pair_batches.h"

namespace jsqa {

// The shards (indices into manifest.json's list of `shards`) whose SHA-256
// rank slice.rank checks when the ranks share the check: j with
// j % world == rank, so each shard is hashed once and every rank hashes
// about 1/world of the bytes.
std::vector<int64_t> ShardsToVerify(int64_t shards, const RankSlice& slice);

// What one rank's share of the check read.
struct ShardsVerified {
  int64_t hashed = 0;   // shards this rank hashed
  int64_t listed = 0;   // shards manifest.json lists
  uintmax_t bytes = 0;  // their size together
};

// Checks this rank's share of dir's shards (ShardsToVerify; all of them
// for the default one-rank slice) against manifest.json's SHA-256, several
// shards at once on the idle cores. A shard damaged, edited or replaced since
// synth wrote it, or a manifest edited since, throws jsqa::Error naming the
// file (the first such shard in the manifest's order). Reading every byte
// takes a while on a large set: training calls it after the ranks'
// rendezvous, not before, and the ranks then agree on the outcome (see
// RunPretraining), so no rank reads a batch before every shard passed, and
// ranks that start apart are not held at the rendezvous by it.
ShardsVerified VerifyShards(const std::string& dir, const RankSlice& slice = {});

}  // namespace jsqa
