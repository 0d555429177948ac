// Batches of JND pairs for training, as plain float buffers (no torch here):
// from HDF5 shards on disk, or synthesised on the fly by the same flow graph
// that writes shards, with nothing written to disk.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/base/config.h"
#include "pipeline/corpus/item_manifest.h"

namespace jsqa {

struct PairBatch {
  int64_t size = 0;     // pairs in the batch
  int64_t samples = 0;  // per mixture
  std::vector<float> a;  // [size, samples], row-major, in [-1, 1]
  std::vector<float> b;  // [size, samples]
  std::vector<int64_t> item_index;  // [size], the pairs' global item indices
};

class PairBatchSource {
 public:
  virtual ~PairBatchSource() = default;
  // Fills the next batch; false when the source is exhausted (the last batch
  // may be smaller than the batch size).
  virtual bool Next(PairBatch& batch) = 0;
  // Passes over the next count batches (resuming mid-epoch); sources that
  // can seek override it.
  virtual void Skip(int64_t count);
};

// Which part of the data one training process reads: every rank a
// disjoint part, together all of it (for shards, its rows of each global
// batch; on the fly, shards j of the plan with j % world == rank).
struct RankSlice {
  int rank = 0;
  int world = 1;
};

// The order of one pass over the shards: a permutation of all pairs drawn
// from (seed, epoch). Global batch g is pairs [g·B·world, (g+1)·B·world) of
// it and rank r reads rows [r·B, (r+1)·B) of each, so the global batches
// are the same for any number of ranks; a final partial global batch is
// dropped so that every rank takes the same number of steps.
struct ShardOrder {
  uint64_t seed = 1;
  int64_t epoch = 0;
  bool shuffle = true;  // false: shard order, then pair order
};

// Pairs of the complete shards in dir (manifest.json required), batch_size
// per rank, read by random access (each pair is one HDF5 chunk): the pairs
// of a batch by `threads` threads (0: all cores), on a background thread
// that reads the next batch while the consumer holds this one.
std::unique_ptr<PairBatchSource> OpenShardBatches(const std::string& dir, int64_t batch_size,
                                                  const RankSlice& slice = {}, const ShardOrder& order = {},
                                                  int threads = 0);

// The synthesis graph of config ([jnd], [synth], [audio]) run in a background
// thread into a bounded queue of batches; this rank's shards of the plan.
// The pairs are exactly those the same config writes to shards. Destroying
// the source stops the graph.
std::unique_ptr<PairBatchSource> OpenOnTheFlyBatches(const Config& config, const std::vector<ManifestItem>& speech,
                                                     const std::vector<ManifestItem>& noise, int64_t batch_size,
                                                     const RankSlice& slice = {});

}  // namespace jsqa
