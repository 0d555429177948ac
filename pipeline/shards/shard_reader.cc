#include "pipeline/shards/shard_io.h"

#include "pipeline/base/error.h"
#include "pipeline/shards/shard_hdf5.h"
#include "pipeline/shards/shard_schema.h"

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

}  // namespace

struct ShardReader::Impl {
  std::string path;
  ShardInfo info;
  H5::H5File file;
  hsize_t pairs = 0;
  std::vector<H5::DataSet> mixtures;    // as kShardMixtures
  std::vector<H5::DataSet> components;  // as kShardComponents, if stored
  std::vector<JndPair> metadata;        // [pairs], no audio

  hsize_t samples() const { return static_cast<hsize_t>(info.segment_samples); }

  void Open() {
    JSQA_CHECK(H5::H5File::isHdf5(path), path, ": not an HDF5 file");
    file.openFile(path, H5F_ACC_RDONLY);
    info = ReadShardAttributes(file, path);
    const bool int16 = info.sample_format == ShardSampleFormat::kInt16;
    for (const ShardAudio& mixture : kShardMixtures)
      mixtures.push_back(OpenAudio(mixture.name, int16 ? kInt16Type : kFloat32Type));
    info.store_components = file.nameExists(kShardComponents[0].name);
    if (info.store_components) {
      for (const ShardAudio& component : kShardComponents)
        components.push_back(OpenAudio(component.name, kFloat32Type));
    }
    metadata = ReadShardColumns(file, pairs, path);
  }

  // Checks type and shape [N, L]; the first dataset opened sets N.
  H5::DataSet OpenAudio(const char* name, const SampleType& type) {
    H5::DataSet set = file.openDataSet(name);
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
    return set;
  }

  void ReadRow(const H5::DataSet& set, hsize_t row, bool int16, std::vector<float>& out) const {
    const hsize_t length = samples();
    const H5::DataSpace memory(1, &length);
    const H5::DataSpace selection = hdf5::RowSelection(set, row, length);
    out.resize(length);
    if (!int16) {
      set.read(out.data(), hdf5::Types<float>::Memory(), memory, selection);
      return;
    }
    std::vector<int16_t> stored(length);
    set.read(stored.data(), hdf5::Types<int16_t>::Memory(), memory, selection);
    for (size_t i = 0; i < stored.size(); ++i) out[i] = stored[i] / kShardInt16FullScale;
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
  JSQA_CHECK(index >= 0 && index < pairs(), r.path, ": pair ", index, " is out of range [0, ",
             pairs(), ")");
  const hdf5::ErrorCapture capture;
  JndPair pair = r.metadata[static_cast<size_t>(index)];
  const hsize_t row = static_cast<hsize_t>(index);
  const bool int16 = r.info.sample_format == ShardSampleFormat::kInt16;
  try {
    for (size_t i = 0; i < r.mixtures.size(); ++i)
      r.ReadRow(r.mixtures[i], row, int16, pair.*kShardMixtures[i].samples);
    for (size_t i = 0; i < r.components.size(); ++i)
      r.ReadRow(r.components[i], row, false, pair.*kShardComponents[i].samples);
  } catch (const H5::Exception& failure) {
    throw Error(r.path + ": cannot read pair " + std::to_string(index) + ": " +
                hdf5::LastErrorReason(failure));
  }
  return pair;
}

}  // namespace jsqa
