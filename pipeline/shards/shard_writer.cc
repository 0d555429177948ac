#include "pipeline/shards/shard_io.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "pipeline/base/error.h"
#include "pipeline/shards/fletcher32.h"
#include "pipeline/shards/shard_hdf5.h"
#include "pipeline/shards/shard_reservation.h"
#include "pipeline/shards/shard_schema.h"

namespace jsqa {
namespace {

// Room for HDF5's own growth between two reservations: object header
// continuations, chunk-index and heap blocks (each KiB-sized).
constexpr hsize_t kReserveSlack = hsize_t{64} << 10;
// Chunk-index bytes per pair and dataset (an entry is about 15 bytes); a
// new index block, allocated as the index doubles, needs at most this times
// the pairs so far.
constexpr hsize_t kIndexBytesPerPair = 16;
// A pair's metadata columns: 5 float64, 2 int32, 2 int64 and 6 string
// references of 16 bytes.
constexpr hsize_t kColumnBytesPerPair = 5 * 8 + 2 * 4 + 2 * 8 + 6 * 16;
// A string in HDF5's global heap: 16 bytes of header, the text padded to 8.
constexpr hsize_t kHeapBytesPerString = 24;

// fsync of a file or folder by path, after `prepare` (given the descriptor);
// returns the reason on failure, "" on success.
template <typename Prepare>
std::string SyncToDisk(const std::string& path, int open_flags, Prepare&& prepare) {
  const int fd = ::open(path.c_str(), open_flags | O_CLOEXEC);
  if (fd < 0) return std::string("cannot open ") + path + ": " + std::strerror(errno);
  prepare(fd);
  const int synced = ::fsync(fd);
  const int sync_errno = errno;
  ::close(fd);
  if (synced != 0) return std::string("cannot sync ") + path + ": " + std::strerror(sync_errno);
  return "";
}

void CheckInfo(const ShardInfo& info, const std::string& path) {
  JSQA_CHECK(info.segment_samples > 0, path, ": segment_samples must be positive, not ",
             info.segment_samples);
  JSQA_CHECK(info.sample_rate > 0, path, ": sample_rate must be positive, not ", info.sample_rate);
  JSQA_CHECK(info.shard_count >= 1 && info.shard_index >= 0 && info.shard_index < info.shard_count,
             path, ": shard ", info.shard_index, " of ", info.shard_count, " is out of range");
  JSQA_CHECK(info.item_begin <= info.item_end, path, ": item range [", info.item_begin, ", ",
             info.item_end, ") is reversed");
}

// Everything Append stores, checked before anything is written, so that a
// rejected pair leaves the shard as it was.
void CheckPair(const JndPair& pair, const ShardInfo& info, const std::string& path) {
  const size_t samples = static_cast<size_t>(info.segment_samples);
  for (const ShardAudio& mixture : kShardMixtures) {
    const std::vector<float>& values = pair.*mixture.samples;
    JSQA_CHECK(values.size() == samples, path, ": pair ", pair.item_index, " has ", values.size(),
               " samples in ", mixture.name, ", the shard holds ", samples);
    for (size_t i = 0; i < values.size(); ++i) {
      // False for NaN too.
      JSQA_CHECK(std::fabs(values[i]) <= 1.0f, path, ": pair ", pair.item_index, " has ",
                 mixture.name, "[", i, "] = ", values[i], ", outside [-1, 1]");
    }
  }
  if (!info.store_components) return;
  for (const ShardAudio& component : kShardComponents) {
    const size_t size = (pair.*component.samples).size();
    JSQA_CHECK(size == samples, path, ": pair ", pair.item_index, " has ", size, " samples in ",
               component.name, ", the shard holds ", samples);
  }
}

// [0, L] now, one row per Append, chunk [1, L]: a pair is one chunk, read
// back with one chunk read. Without a chunk cache each row goes to disk in
// its Append, so the space it takes is allocated (and was reserved) then;
// caching would only delay whole-chunk writes.
H5::DataSet CreateAudio(const H5::H5File& file, const char* name, const H5::DataType& type,
                        hsize_t samples) {
  const hsize_t dims[2] = {0, samples};
  const hsize_t max_dims[2] = {H5S_UNLIMITED, samples};
  const hsize_t chunk[2] = {1, samples};
  H5::DSetAccPropList access;
  access.setChunkCache(0, 0, 1.0);
  return file.createDataSet(name, type, H5::DataSpace(2, dims, max_dims),
                            hdf5::ChunkedCreation(2, chunk), access);
}

// Places one encoded chunk as row `row`: HDF5 stores it as given (the
// filter mask 0 says the Fletcher32 filter was applied, which EncodePair did).
void AppendChunk(const H5::DataSet& set, hsize_t row, hsize_t samples, const std::vector<unsigned char>& chunk) {
  const hsize_t dims[2] = {row + 1, samples};
  set.extend(dims);
  const hsize_t origin[2] = {row, 0};
  if (H5Dwrite_chunk(set.getId(), H5P_DEFAULT, 0, origin, chunk.size(), chunk.data()) < 0)
    throw H5::DataSetIException("AppendChunk", "H5Dwrite_chunk failed");
}

// values as the stored samples of a chunk, then their checksum, into chunk.
template <typename Stored, typename Convert>
void EncodeChunk(const std::vector<float>& values, Convert&& convert, std::vector<unsigned char>& chunk) {
  const size_t data_bytes = values.size() * sizeof(Stored);
  chunk.resize(data_bytes + kFletcher32Bytes);
  for (size_t i = 0; i < values.size(); ++i) {
    const Stored sample = convert(values[i]);
    std::memcpy(chunk.data() + i * sizeof(Stored), &sample, sizeof(Stored));
  }
  const uint32_t checksum = HdfFletcher32(chunk.data(), data_bytes);
  for (size_t k = 0; k < kFletcher32Bytes; ++k) chunk[data_bytes + k] = static_cast<unsigned char>(checksum >> (8 * k));
}

// int16 rounds to nearest (lrint: ties to even), as HDF5's conversion did.
int16_t ToInt16(float value) { return static_cast<int16_t>(std::lrint(value * kShardInt16FullScale)); }
float AsFloat(float value) { return value; }

}  // namespace

EncodedPair EncodePair(const JndPair& pair, const ShardInfo& info, const std::string& path) {
  CheckPair(pair, info, path);
  EncodedPair encoded;
  for (const ShardAudio& mixture : kShardMixtures) {
    encoded.chunks.emplace_back();
    if (info.sample_format == ShardSampleFormat::kInt16)
      EncodeChunk<int16_t>(pair.*mixture.samples, ToInt16, encoded.chunks.back());
    else
      EncodeChunk<float>(pair.*mixture.samples, AsFloat, encoded.chunks.back());
  }
  if (info.store_components) {
    for (const ShardAudio& component : kShardComponents) {
      encoded.chunks.emplace_back();
      EncodeChunk<float>(pair.*component.samples, AsFloat, encoded.chunks.back());
    }
  }
  encoded.metadata = ShardMetadataOf(pair);
  return encoded;
}

std::string ShardFileName(int index, int count) {
  JSQA_CHECK(count >= 1 && index >= 0 && index < count, "shard ", index, " of ", count,
             " is out of range");
  char name[64];
  std::snprintf(name, sizeof(name), "pairs-%05d-of-%05d.h5", index, count);
  return name;
}

struct ShardWriter::Impl {
  std::string final_path;
  std::string temp_path;
  ShardInfo info;
  bool writing = false;  // the temporary exists and is ours to finish or remove
  H5::H5File file;
  std::vector<H5::DataSet> mixtures;    // as kShardMixtures
  std::vector<H5::DataSet> components;  // as kShardComponents, if stored
  std::vector<JndPair> metadata;        // one per appended pair, no audio
  DiskReservation reservation;

  hsize_t samples() const { return static_cast<hsize_t>(info.segment_samples); }

  // Closes every handle (flushing what HDF5 still caches); the first
  // failure is thrown after all have been tried.
  void CloseHandles() {
    bool failed = false;
    H5::Exception first_failure;
    auto close = [&](auto& handle) {
      try {
        handle.close();
      } catch (const H5::Exception& failure) {
        if (!failed) first_failure = failure;
        failed = true;
      }
    };
    for (H5::DataSet& set : mixtures) close(set);
    for (H5::DataSet& set : components) close(set);
    close(file);
    if (failed) throw first_failure;
  }

  // Gives up on the shard: closes what is open and removes the temporary.
  // The disk reservation keeps HDF5's pending writes from failing here.
  void Discard() noexcept {
    if (!writing) return;
    writing = false;
    try {
      CloseHandles();
    } catch (const H5::Exception&) {
      // The shard is abandoned either way; the failure that got us here is
      // the one to report.
    }
    std::remove(temp_path.c_str());
  }

  [[noreturn]] void Fail(const std::string& reason) {
    Discard();
    throw Error(final_path + ": cannot write shard: " + reason);
  }

  // Before each step that gives HDF5 new data; see shard_reservation.h.
  void Reserve(hsize_t ahead) {
    if (std::string reason = reservation.Extend(file, ahead); !reason.empty()) Fail(reason);
  }

  // Bytes one more pair adds: its chunks (each with its checksum) and
  // possibly a new chunk-index block per dataset.
  hsize_t PairBytes() const {
    const hsize_t mixture_bytes = info.sample_format == ShardSampleFormat::kInt16 ? 2 : 4;
    const hsize_t chunks = mixtures.size() * (samples() * mixture_bytes + kFletcher32Bytes) +
                           components.size() * (samples() * sizeof(float) + kFletcher32Bytes);
    const hsize_t index =
        (mixtures.size() + components.size()) * kIndexBytesPerPair * (metadata.size() + 1);
    return chunks + index + kReserveSlack;
  }

  hsize_t ColumnBytes() const {
    hsize_t bytes = kColumnBytesPerPair * metadata.size() + kReserveSlack;
    for (const JndPair& pair : metadata) {
      bytes += pair.utterance_id.size() + pair.noise_id.size() + pair.dimension.size() + pair.chain.size() +
               pair.steps_a.size() + pair.steps_b.size() + 6 * kHeapBytesPerString;
    }
    return bytes;
  }

  void Create() {
    if (std::string reason = ProbeDiskSpace(temp_path, kReserveSlack); !reason.empty())
      Fail(reason);
    // What HDF5 leaves pending after creating the file (the root group's
    // header) lies in the block that holds the superblock it just wrote.
    file = H5::H5File(temp_path, H5F_ACC_TRUNC, hdf5::FileCreation(), hdf5::FileAccess());
    Reserve(info.config_text.size() + 2 * kReserveSlack);
    WriteShardAttributes(file, info);
    const H5::DataType& mixture_type = info.sample_format == ShardSampleFormat::kInt16
                                           ? hdf5::Types<int16_t>::File()
                                           : hdf5::Types<float>::File();
    for (const ShardAudio& mixture : kShardMixtures)
      mixtures.push_back(CreateAudio(file, mixture.name, mixture_type, samples()));
    if (!info.store_components) return;
    for (const ShardAudio& component : kShardComponents)
      components.push_back(
          CreateAudio(file, component.name, hdf5::Types<float>::File(), samples()));
  }

  void AppendAudio(const EncodedPair& pair) {
    const hsize_t row = metadata.size();
    std::vector<H5::DataSet*> sets;
    for (H5::DataSet& set : mixtures) sets.push_back(&set);
    for (H5::DataSet& set : components) sets.push_back(&set);
    JSQA_CHECK(pair.chunks.size() == sets.size(), final_path, ": pair ", pair.metadata.item_index, " has ",
               pair.chunks.size(), " chunks, the shard ", sets.size(), " audio datasets");
    for (size_t i = 0; i < sets.size(); ++i) {
      const size_t bytes = samples() * sets[i]->getDataType().getSize() + kFletcher32Bytes;
      JSQA_CHECK(pair.chunks[i].size() == bytes, final_path, ": pair ", pair.metadata.item_index, " has a chunk of ",
                 pair.chunks[i].size(), " bytes, the shard's hold ", bytes);
    }
    for (size_t i = 0; i < sets.size(); ++i) AppendChunk(*sets[i], row, samples(), pair.chunks[i]);
  }
};

ShardWriter::ShardWriter(const std::string& final_path, const ShardInfo& info)
    : impl_(std::make_unique<Impl>()) {
  CheckInfo(info, final_path);
  impl_->final_path = final_path;
  impl_->temp_path = final_path + ".tmp";
  impl_->info = info;
  const hdf5::ErrorCapture capture;
  impl_->writing = true;
  try {
    impl_->Create();
  } catch (const H5::Exception& failure) {
    impl_->Fail(hdf5::LastErrorReason(failure));
  }
}

ShardWriter::~ShardWriter() {
  const hdf5::ErrorCapture capture;
  impl_->Discard();
}

void ShardWriter::Append(const JndPair& pair) {
  JSQA_CHECK(impl_->writing, impl_->final_path, ": shard is already closed (or failed)");
  Append(EncodePair(pair, impl_->info, impl_->final_path));
}

void ShardWriter::Append(const EncodedPair& pair) {
  Impl& w = *impl_;
  JSQA_CHECK(w.writing, w.final_path, ": shard is already closed (or failed)");
  const hdf5::ErrorCapture capture;
  try {
    w.Reserve(w.PairBytes());
    w.AppendAudio(pair);
  } catch (const H5::Exception& failure) {
    w.Fail(hdf5::LastErrorReason(failure));
  }
  w.metadata.push_back(pair.metadata);
}

int64_t ShardWriter::pairs() const { return static_cast<int64_t>(impl_->metadata.size()); }

void ShardWriter::Close() {
  Impl& w = *impl_;
  JSQA_CHECK(w.writing, w.final_path, ": shard is already closed (or failed)");
  const hdf5::ErrorCapture capture;
  try {
    w.Reserve(w.ColumnBytes());
    WriteShardColumns(w.file, w.metadata);
    w.file.flush(H5F_SCOPE_GLOBAL);
    w.CloseHandles();
  } catch (const H5::Exception& failure) {
    w.Fail(hdf5::LastErrorReason(failure));
  }
  // Data on disk before the name says "complete", and the new name on disk
  // before anyone (the manifest) is told about it.
  const auto release = [&](int fd) { w.reservation.Release(fd); };
  if (std::string reason = SyncToDisk(w.temp_path, O_RDWR, release); !reason.empty()) {
    w.Fail(reason);
  }
  if (std::rename(w.temp_path.c_str(), w.final_path.c_str()) != 0) {
    w.Fail(std::string("cannot rename ") + w.temp_path + ": " + std::strerror(errno));
  }
  w.writing = false;
  std::string folder = std::filesystem::path(w.final_path).parent_path().string();
  if (folder.empty()) folder = ".";
  if (std::string reason = SyncToDisk(folder, O_RDONLY | O_DIRECTORY, [](int) {});
      !reason.empty()) {
    std::remove(w.final_path.c_str());
    throw Error(w.final_path + ": cannot write shard: " + reason);
  }
}

}  // namespace jsqa
