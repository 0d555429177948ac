#include "pipeline/shards/shard_schema.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <utility>

#include "pipeline/base/error.h"
#include "pipeline/shards/shard_format.h"
#include "pipeline/shards/shard_hdf5.h"

namespace jsqa {
namespace {

template <typename T>
struct Column {
  const char* name;
  T JndPair::*field;
  int since_version = 1;  // the schema version that added it
};

constexpr Column<double> kFloat64Columns[] = {{"snr_a", &JndPair::snr_a_db},
                                              {"snr_b", &JndPair::snr_b_db},
                                              {"gain_a", &JndPair::gain_a},
                                              {"gain_b", &JndPair::gain_b},
                                              {"jnd_probability", &JndPair::jnd_probability}};
constexpr Column<int32_t> kInt32Columns[] = {{"draws", &JndPair::draws},
                                             {"segment", &JndPair::segment}};
constexpr Column<int64_t> kInt64Columns[] = {{"item_index", &JndPair::item_index},
                                             {"noise_offset", &JndPair::noise_offset}};
constexpr Column<std::string> kStringColumns[] = {{"utterance_id", &JndPair::utterance_id, 1},
                                                  {"noise_id", &JndPair::noise_id, 1},
                                                  {"dimension", &JndPair::dimension, 2},
                                                  {"chain", &JndPair::chain, 2},
                                                  {"steps_a", &JndPair::steps_a, 2},
                                                  {"steps_b", &JndPair::steps_b, 2}};

template <typename Visit>
void ForEachColumn(Visit&& visit) {
  for (const auto& column : kFloat64Columns) visit(column);
  for (const auto& column : kInt32Columns) visit(column);
  for (const auto& column : kInt64Columns) visit(column);
  for (const auto& column : kStringColumns) visit(column);
}

// At most 64 Ki values per chunk (512 KiB of float64): typical shards get a
// single chunk per column.
constexpr hsize_t kColumnChunkValues = hsize_t{1} << 16;

// Numbers: chunked, although written once, because chunks carry checksums;
// the unlimited maximum lets an empty shard have a (one-value) chunk too.
H5::DataSet CreateColumn(const H5::Group& root, const char* name, const H5::DataType& type,
                         hsize_t count) {
  const hsize_t unlimited = H5S_UNLIMITED;
  const hsize_t chunk = std::clamp<hsize_t>(count, 1, kColumnChunkValues);
  return root.createDataSet(name, type, H5::DataSpace(1, &count, &unlimited),
                            hdf5::ChunkedCreation(1, &chunk));
}

// Strings: HDF5 filters (the checksum among them) do not apply to
// variable-length data, so these stay contiguous.
H5::DataSet CreateStringColumn(const H5::Group& root, const char* name, const H5::DataType& type,
                               hsize_t count) {
  return root.createDataSet(name, type, H5::DataSpace(1, &count), hdf5::ContiguousCreation());
}

template <typename T>
void WriteColumn(const H5::Group& root, const Column<T>& column,
                 const std::vector<JndPair>& pairs) {
  std::vector<T> values;
  values.reserve(pairs.size());
  for (const JndPair& pair : pairs) values.push_back(pair.*column.field);
  const H5::DataSet set = CreateColumn(root, column.name, hdf5::Types<T>::File(), values.size());
  if (!values.empty()) set.write(values.data(), hdf5::Types<T>::Memory());
}

void WriteColumn(const H5::Group& root, const Column<std::string>& column,
                 const std::vector<JndPair>& pairs) {
  std::vector<const char*> values;
  values.reserve(pairs.size());
  for (const JndPair& pair : pairs) values.push_back((pair.*column.field).c_str());
  const H5::StrType type = hdf5::Utf8String();
  const H5::DataSet set = CreateStringColumn(root, column.name, type, values.size());
  if (!values.empty()) set.write(values.data(), type);
}

H5::DataSet OpenColumn(const H5::Group& root, const char* name, hsize_t count,
                       const std::string& path) {
  H5::DataSet set = root.openDataSet(name);
  const H5::DataSpace space = set.getSpace();
  hsize_t size = 0;
  const bool one_value_per_pair =
      space.getSimpleExtentNdims() == 1 && (space.getSimpleExtentDims(&size), size == count);
  JSQA_CHECK(one_value_per_pair, path, ": dataset ", name, " should hold ", count,
             " values, one per pair");
  return set;
}

template <typename T>
void ReadColumn(const H5::Group& root, const Column<T>& column, std::vector<JndPair>& pairs,
                const std::string& path) {
  const H5::DataSet set = OpenColumn(root, column.name, pairs.size(), path);
  std::vector<T> values(pairs.size());
  if (!values.empty()) set.read(values.data(), hdf5::Types<T>::Memory());
  for (size_t i = 0; i < pairs.size(); ++i) pairs[i].*column.field = values[i];
}

// Variable-length strings arrive in memory that HDF5 allocates, here through
// Allocate, which keeps every block, so that all are freed however the read
// ends: when an element fails to convert (a damaged reference), libhdf5 1.10
// drops the strings it already converted without freeing them, and they
// never reach values_ (LeakSanitizer, tests/fuzz/regressions/fuzz_shard_reader).
class VlenStrings {
 public:
  VlenStrings(size_t count, H5::StrType type) : values_(count, nullptr), type_(std::move(type)) {
    if (H5Pset_vlen_mem_manager(transfer_.getId(), Allocate, this, Free, this) < 0)
      throw H5::PropListIException("VlenStrings", "H5Pset_vlen_mem_manager failed");
  }
  ~VlenStrings() {
    for (void* block : blocks_) std::free(block);
  }
  VlenStrings(const VlenStrings&) = delete;
  VlenStrings& operator=(const VlenStrings&) = delete;

  void ReadFrom(const H5::DataSet& set) {
    blocks_.reserve(values_.size());
    set.read(values_.data(), type_, H5::DataSpace::ALL, H5::DataSpace::ALL, transfer_);
  }
  std::string operator[](size_t i) const { return values_[i] ? values_[i] : ""; }

 private:
  // Called by HDF5 (C): must not throw.
  static void* Allocate(size_t size, void* self) noexcept {
    void* block = std::malloc(size);
    if (!block) return nullptr;
    try {
      static_cast<VlenStrings*>(self)->blocks_.push_back(block);
    } catch (...) {
      std::free(block);
      return nullptr;
    }
    return block;
  }
  static void Free(void* block, void* self) noexcept {
    auto& blocks = static_cast<VlenStrings*>(self)->blocks_;
    blocks.erase(std::remove(blocks.begin(), blocks.end(), block), blocks.end());
    std::free(block);
  }

  std::vector<char*> values_;
  H5::StrType type_;
  H5::DSetMemXferPropList transfer_;
  std::vector<void*> blocks_;  // every block Allocate handed out and Free did not take back
};

void ReadColumn(const H5::Group& root, const Column<std::string>& column,
                std::vector<JndPair>& pairs, const std::string& path) {
  const H5::DataSet set = OpenColumn(root, column.name, pairs.size(), path);
  JSQA_CHECK(set.getTypeClass() == H5T_STRING && set.getStrType().isVariableStr(), path,
             ": dataset ", column.name, " should hold variable-length strings");
  if (pairs.empty()) return;
  VlenStrings values(pairs.size(), hdf5::Utf8String());
  values.ReadFrom(set);
  for (size_t i = 0; i < pairs.size(); ++i) pairs[i].*column.field = values[i];
}

}  // namespace

const char* SampleFormatName(ShardSampleFormat format) {
  return format == ShardSampleFormat::kInt16 ? "int16" : "float32";
}

void WriteShardAttributes(const H5::H5File& file, const ShardInfo& info) {
  using hdf5::WriteAttribute;
  WriteAttribute(file, "schema_version", int32_t{kShardSchemaVersion});
  WriteAttribute(file, "generator_version", std::string(kShardGeneratorVersion));
  WriteAttribute(file, "sample_rate", int32_t{info.sample_rate});
  WriteAttribute(file, "segment_samples", int32_t{info.segment_samples});
  WriteAttribute(file, "sample_format", std::string(SampleFormatName(info.sample_format)));
  WriteAttribute(file, "seed", uint64_t{info.seed});
  WriteAttribute(file, "shard_index", int32_t{info.shard_index});
  WriteAttribute(file, "shard_count", int32_t{info.shard_count});
  WriteAttribute(file, "item_begin", int64_t{info.item_begin});
  WriteAttribute(file, "item_end", int64_t{info.item_end});
  WriteAttribute(file, "config", info.config_text);
}

ShardInfo ReadShardAttributes(const H5::H5File& file, const std::string& path) {
  using hdf5::ReadAttribute;
  JSQA_CHECK(file.attrExists("schema_version"), path,
             ": not a jsqa shard (no schema_version attribute)");
  const int version = ReadAttribute<int32_t>(file, "schema_version");
  JSQA_CHECK(version >= kOldestReadableShardSchemaVersion && version <= kShardSchemaVersion, path,
             ": shard schema version ", version, ", this build reads ", kOldestReadableShardSchemaVersion, " to ",
             kShardSchemaVersion);
  ShardInfo info;
  info.schema_version = version;
  info.sample_rate = ReadAttribute<int32_t>(file, "sample_rate");
  info.segment_samples = ReadAttribute<int32_t>(file, "segment_samples");
  const std::string format = hdf5::ReadStringAttribute(file, "sample_format");
  if (format == SampleFormatName(ShardSampleFormat::kInt16)) {
    info.sample_format = ShardSampleFormat::kInt16;
  } else {
    JSQA_CHECK(format == SampleFormatName(ShardSampleFormat::kFloat32), path,
               ": unknown sample_format \"", format, "\" (int16 or float32)");
    info.sample_format = ShardSampleFormat::kFloat32;
  }
  info.seed = ReadAttribute<uint64_t>(file, "seed");
  info.shard_index = ReadAttribute<int32_t>(file, "shard_index");
  info.shard_count = ReadAttribute<int32_t>(file, "shard_count");
  info.item_begin = ReadAttribute<int64_t>(file, "item_begin");
  info.item_end = ReadAttribute<int64_t>(file, "item_end");
  info.config_text = hdf5::ReadStringAttribute(file, "config");
  JSQA_CHECK(info.segment_samples > 0, path, ": segment_samples is ", info.segment_samples);
  return info;
}

JndPair ShardMetadataOf(const JndPair& pair) {
  JndPair metadata;
  ForEachColumn([&](const auto& column) { metadata.*column.field = pair.*column.field; });
  return metadata;
}

void WriteShardColumns(const H5::Group& root, const std::vector<JndPair>& pairs) {
  ForEachColumn([&](const auto& column) { WriteColumn(root, column, pairs); });
}

std::vector<JndPair> ReadShardColumns(const H5::Group& root, hsize_t count, int schema_version,
                                      const std::string& path) {
  std::vector<JndPair> pairs(count);
  ForEachColumn([&](const auto& column) {
    if (column.since_version <= schema_version) ReadColumn(root, column, pairs, path);
  });
  return pairs;
}

}  // namespace jsqa
