#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "pipeline/base/error.h"
#include "pipeline/base/read_only_file.h"
#include "pipeline/shards/fletcher32.h"
#include "pipeline/shards/shard_hdf5.h"
#include "pipeline/shards/shard_io.h"
#include "pipeline/shards/shard_schema.h"

// Stored samples are little-endian (shard_hdf5.h's file types) and are
// copied as they are.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the shard reader assumes a little-endian host");

namespace jsqa {
namespace {

// What the stored sample type of a dataset must be.
struct SampleType {
  H5T_class_t type_class;
  size_t bytes;
  const char* name;
};
constexpr SampleType kInt16Type = {H5T_INTEGER, 2, "int16"};
constexpr SampleType kFloat32Type = {H5T_FLOAT, 4, "float32"};

// Where one pair's chunk of a dataset lies in the file.
struct ChunkPlace {
  haddr_t offset = HADDR_UNDEF;  // bytes from the start of the file; undefined: never written
  hsize_t bytes = 0;             // samples and checksum
  unsigned skipped_filters = 0;  // bit 0 set: stored without its checksum
};

// An audio dataset [N, L]: its sample type and every row's chunk, found
// once at open, so that reading a pair is one pread per dataset, outside
// libhdf5 (whose calls take one global lock).
struct AudioColumn {
  const char* name;
  const SampleType* type;
  std::vector<ChunkPlace> chunks;  // [N]
};

// Reads exactly size bytes at offset; "" on success, else why not.
std::string ReadExactly(int fd, void* out, size_t size, off_t offset) {
  auto* bytes = static_cast<char*>(out);
  while (size > 0) {
    const ssize_t got = ::pread(fd, bytes, size, offset);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return std::strerror(errno);
    if (got == 0) return "chunk lies past the end of the file";
    bytes += got;
    offset += got;
    size -= static_cast<size_t>(got);
  }
  return "";
}

// int16 samples to float in [-1, 1], as HDF5 converted them before: x / 32767
// (a division: the same floats as ever, not a multiplication by 1/32767).
// kLanes at a time, a width the compiler vectorises.
void ToFloat(const int16_t* in, size_t count, float* out) {
  constexpr size_t kLanes = 8;
  size_t i = 0;
  for (; i + kLanes <= count; i += kLanes)
    for (size_t j = 0; j < kLanes; ++j) out[i + j] = in[i + j] / kShardInt16FullScale;
  for (; i < count; ++i) out[i] = in[i] / kShardInt16FullScale;
}

}  // namespace

struct ShardReader::Impl {
  std::string path;
  ShardInfo info;
  hsize_t pairs = 0;
  std::vector<AudioColumn> mixtures;    // as kShardMixtures
  std::vector<AudioColumn> components;  // as kShardComponents, if stored
  std::vector<JndPair> metadata;        // [pairs], no audio

  hsize_t samples() const { return static_cast<hsize_t>(info.segment_samples); }

  // Everything but the audio samples is read here; the file is closed after.
  void Open() {
    JSQA_CHECK(H5::H5File::isHdf5(path), path, ": not an HDF5 file");
    const H5::H5File file(path, H5F_ACC_RDONLY);
    info = ReadShardAttributes(file, path);
    const bool int16 = info.sample_format == ShardSampleFormat::kInt16;
    for (const ShardAudio& mixture : kShardMixtures)
      mixtures.push_back(OpenAudio(file, mixture.name, int16 ? kInt16Type : kFloat32Type));
    info.store_components = file.nameExists(kShardComponents[0].name);
    if (info.store_components) {
      for (const ShardAudio& component : kShardComponents)
        components.push_back(OpenAudio(file, component.name, kFloat32Type));
    }
    metadata = ReadShardColumns(file, pairs, info.schema_version, path);
  }

  // Checks type, shape [N, L] and layout (a chunk [1, L] per pair with a
  // Fletcher32 checksum); the first dataset opened sets N.
  AudioColumn OpenAudio(const H5::H5File& file, const char* name, const SampleType& type) {
    const H5::DataSet set = file.openDataSet(name);
    const H5::DataType stored = set.getDataType();
    JSQA_CHECK(stored.getClass() == type.type_class && stored.getSize() == type.bytes, path,
               ": dataset ", name, " should hold ", type.name, " samples");
    const H5::DataSpace space = set.getSpace();
    hsize_t dims[2] = {0, 0};
    JSQA_CHECK(space.getSimpleExtentNdims() == 2, path, ": dataset ", name, " should be 2-D");
    space.getSimpleExtentDims(dims);
    if (mixtures.empty()) pairs = dims[0];
    JSQA_CHECK(dims[0] == pairs && dims[1] == samples(), path, ": dataset ", name, " is [", dims[0],
               ", ", dims[1], "], expected [", pairs, ", ", samples(), "]");
    CheckLayout(set, name);
    AudioColumn column{name, &type, std::vector<ChunkPlace>(pairs)};
    for (hsize_t row = 0; row < pairs; ++row) {
      const hsize_t origin[2] = {row, 0};
      ChunkPlace& place = column.chunks[row];
      if (H5Dget_chunk_info_by_coord(set.getId(), origin, &place.skipped_filters, &place.offset,
                                     &place.bytes) < 0)
        throw H5::DataSetIException("OpenAudio", "H5Dget_chunk_info_by_coord failed");
    }
    return column;
  }

  void CheckLayout(const H5::DataSet& set, const char* name) const {
    const H5::DSetCreatPropList creation = set.getCreatePlist();
    hsize_t chunk[2] = {0, 0};
    const bool chunked = creation.getLayout() == H5D_CHUNKED && creation.getChunk(2, chunk) == 2 &&
                         chunk[0] == 1 && chunk[1] == samples();
    unsigned flags = 0;
    size_t values = 0;
    unsigned config = 0;
    const bool fletcher32 =
        creation.getNfilters() == 1 &&
        creation.getFilter(0, flags, values, nullptr, 0, nullptr, config) == H5Z_FILTER_FLETCHER32;
    JSQA_CHECK(chunked && fletcher32, path, ": dataset ", name, " should be stored in chunks of [1, ",
               samples(), "] with a Fletcher32 checksum each");
  }

  // Row `row` of column as float in [-1, 1] into out[0, L). "" on success,
  // else why not.
  std::string ReadRow(int fd, const AudioColumn& column, hsize_t row, float* out) const {
    const ChunkPlace& place = column.chunks[row];
    const size_t data_bytes = samples() * column.type->bytes;
    if (place.offset == HADDR_UNDEF) return std::string("no samples stored in ") + column.name;
    if (place.skipped_filters != 0) return std::string(column.name) + " stored without its checksum";
    if (place.bytes != data_bytes + kFletcher32Bytes)
      return std::string("chunk of ") + column.name + " holds " + std::to_string(place.bytes) +
             " bytes, expected " + std::to_string(data_bytes + kFletcher32Bytes);
    // Reused per thread: a chunk is 128 KiB of int16 at 4 s and 16 kHz
    // (int16 elements, so that the samples are read as what they are).
    thread_local std::vector<int16_t> chunk;
    chunk.resize((place.bytes + 1) / 2);
    auto* bytes = reinterpret_cast<unsigned char*>(chunk.data());
    if (std::string reason = ReadExactly(fd, bytes, place.bytes, static_cast<off_t>(place.offset)); !reason.empty())
      return reason;
    const unsigned char* stored = bytes + data_bytes;
    const uint32_t checksum = uint32_t{stored[0]} | uint32_t{stored[1]} << 8 | uint32_t{stored[2]} << 16 |
                              uint32_t{stored[3]} << 24;
    if (checksum != HdfFletcher32(bytes, data_bytes))
      return "data error detected by Fletcher32 checksum";  // libhdf5's words for it
    if (column.type == &kFloat32Type) {
      std::memcpy(out, bytes, data_bytes);
      return "";
    }
    ToFloat(chunk.data(), samples(), out);
    return "";
  }

  void CheckIndex(int64_t index, int64_t count) const {
    JSQA_CHECK(index >= 0 && index < count, path, ": pair ", index, " is out of range [0, ", count, ")");
  }

  // One pair's rows: each column's row `index` into its output [L].
  void ReadRows(int64_t index, const std::vector<std::pair<const AudioColumn*, float*>>& rows) const {
    const ReadOnlyFile file(path);
    if (file.fd() < 0)
      throw Error(path + ": cannot read pair " + std::to_string(index) + ": " + std::strerror(errno));
    for (const auto& [column, out] : rows) {
      if (std::string reason = ReadRow(file.fd(), *column, static_cast<hsize_t>(index), out); !reason.empty())
        throw Error(path + ": cannot read pair " + std::to_string(index) + ": " + reason);
    }
  }
};

ShardReader::ShardReader(const std::string& path) : impl_(std::make_unique<Impl>()) {
  impl_->path = path;
  const hdf5::ErrorCapture capture;
  try {
    impl_->Open();
  } catch (const H5::Exception& failure) {
    throw Error(path + ": cannot read shard: " + hdf5::LastErrorReason(failure));
  }
}

ShardReader::~ShardReader() = default;
ShardReader::ShardReader(ShardReader&&) noexcept = default;

const ShardInfo& ShardReader::info() const { return impl_->info; }

int64_t ShardReader::pairs() const { return static_cast<int64_t>(impl_->pairs); }

const std::vector<JndPair>& ShardReader::PairMetadata() const { return impl_->metadata; }

JndPair ShardReader::Read(int64_t index) const {
  const Impl& r = *impl_;
  r.CheckIndex(index, pairs());
  JndPair pair = r.metadata[static_cast<size_t>(index)];
  std::vector<std::pair<const AudioColumn*, float*>> rows;
  const auto add = [&](const AudioColumn& column, std::vector<float>& samples) {
    samples.resize(r.samples());
    rows.emplace_back(&column, samples.data());
  };
  for (size_t i = 0; i < r.mixtures.size(); ++i) add(r.mixtures[i], pair.*kShardMixtures[i].samples);
  for (size_t i = 0; i < r.components.size(); ++i) add(r.components[i], pair.*kShardComponents[i].samples);
  r.ReadRows(index, rows);
  return pair;
}

void ShardReader::ReadMixtures(int64_t index, float* a, float* b) const {
  const Impl& r = *impl_;
  r.CheckIndex(index, pairs());
  r.ReadRows(index, {{&r.mixtures[0], a}, {&r.mixtures[1], b}});
}

}  // namespace jsqa
