// Writing and reading HDF5 JND-pair shards (schema in shard_format.h).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "augment/jnd_pair.h"

namespace jsqa {

enum class ShardSampleFormat { kInt16, kFloat32 };

struct ShardInfo {
  int shard_index = 0;
  int shard_count = 1;
  int64_t item_begin = 0;
  int64_t item_end = 0;
  int sample_rate = 16000;
  int segment_samples = 64000;
  ShardSampleFormat sample_format = ShardSampleFormat::kInt16;
  bool store_components = false;
  uint64_t seed = 0;
  std::string config_text;
  // As read from a shard (writers always write the current one): version 1
  // shards lack the chain columns, which read as a noise-only chain.
  int schema_version = 2;
};

// A pair as a shard stores it, made ready off the writer's thread (in the
// synthesis graph's parallel stage): one chunk per audio dataset (the
// mixtures, then the components if stored), each the samples in the
// shard's format, little-endian, followed by their Fletcher32 checksum (4
// bytes, as HDF5's filter appends it), and the metadata without audio.
struct EncodedPair {
  std::vector<std::vector<unsigned char>> chunks;
  JndPair metadata;
};

// Checks pair as ShardWriter::Append does and encodes it. Throws jsqa::Error
// naming path and the pair for a pair the shard cannot hold: another
// length, a missing component, a mixture sample outside [-1, 1] or NaN.
EncodedPair EncodePair(const JndPair& pair, const ShardInfo& info, const std::string& path);

// "pairs-00003-of-00016.h5"
std::string ShardFileName(int index, int count);

// Writes one shard under a temporary name ("<final>.tmp") and renames it to
// the final name in Close(); the destructor without Close() removes the
// temporary, so no shard ever looks complete unless it is. File bytes are a
// function of the pairs only (HDF5 object timestamps are off).
class ShardWriter {
 public:
  ShardWriter(const std::string& final_path, const ShardInfo& info);
  ~ShardWriter();
  ShardWriter(const ShardWriter&) = delete;
  ShardWriter& operator=(const ShardWriter&) = delete;

  // Appends one pair (mixtures of segment_samples; components when
  // store_components). int16 conversion rounds to nearest; samples are
  // within [-1, 1] by construction (peak-limited), anything else throws.
  void Append(const JndPair& pair);
  // Appends a pair encoded by EncodePair for this shard's info: the writer
  // only places its chunks (HDF5 direct chunk write). Same bytes as Append.
  void Append(const EncodedPair& pair);
  int64_t pairs() const;
  // Writes the per-pair metadata, flushes, closes and renames into place.
  // Throws jsqa::Error (e.g. disk full) and leaves no final file.
  void Close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Reads shards (for inspect, training and tests). Throws jsqa::Error naming
// the file for a missing file, a wrong schema version or an unreadable dataset.
class ShardReader {
 public:
  explicit ShardReader(const std::string& path);
  ~ShardReader();
  ShardReader(ShardReader&&) noexcept;

  const ShardInfo& info() const;
  int64_t pairs() const;
  // Pair i with mixtures as float in [-1, 1] (components if stored). Every
  // chunk carries a checksum: a damaged pair throws jsqa::Error naming the
  // file and the pair.
  JndPair Read(int64_t index) const;
  // Pair i's mixtures a and b as float in [-1, 1] into a[0, L) and b[0, L)
  // (L = info().segment_samples), checked alike, without the metadata: what
  // training reads. Reads go around libhdf5 (the chunks' places are found at
  // open), so many threads may call Read and ReadMixtures at once.
  void ReadMixtures(int64_t index, float* a, float* b) const;
  // Every pair's metadata (ids, SNRs, gains, draws, P(same)) without audio,
  // [pairs()] in file order: read at open, so reports need no audio reads.
  const std::vector<JndPair>& PairMetadata() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace jsqa
