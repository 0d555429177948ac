// The shard schema of shard_format.h in terms of HDF5 objects and JndPair /
// ShardInfo fields, shared by the writer and the reader (internal to
// pipeline/shard_*.cc).
#pragma once

#include <H5Cpp.h>

#include <string>
#include <vector>

#include "augment/jnd_pair.h"
#include "pipeline/shards/shard_io.h"

namespace jsqa {

// int16 samples hold round(x · 32767) for x in [-1, 1].
inline constexpr float kShardInt16FullScale = 32767.0f;

// The audio datasets [N, L], one row per pair.
struct ShardAudio {
  const char* name;
  std::vector<float> JndPair::*samples;
};
// Stored in the shard's sample format.
inline constexpr ShardAudio kShardMixtures[] = {{"a", &JndPair::a}, {"b", &JndPair::b}};
// Stored (float32) only with store_components.
inline constexpr ShardAudio kShardComponents[] = {
    {"clean", &JndPair::clean}, {"noise_a", &JndPair::noise_a}, {"noise_b", &JndPair::noise_b}};

// "int16" | "float32", the sample_format attribute.
const char* SampleFormatName(ShardSampleFormat format);

// The attributes on "/" (all of ShardInfo but store_components, which is
// whether the component datasets exist).
void WriteShardAttributes(const H5::H5File& file, const ShardInfo& info);
// Checks schema_version first, so that a file of another version fails on
// that and not on some attribute it lacks. Throws jsqa::Error naming path
// for a foreign file or version, H5::Exception for an unreadable attribute.
ShardInfo ReadShardAttributes(const H5::H5File& file, const std::string& path);

// The fields of pair that the 1-D metadata datasets [N] store (all but the
// audio).
JndPair ShardMetadataOf(const JndPair& pair);
// Writes the metadata of pairs (audio ignored) as those datasets.
void WriteShardColumns(const H5::Group& root, const std::vector<JndPair>& pairs);
// Reads count pairs' metadata (audio left empty), the columns that
// schema_version has (the others keep JndPair's defaults). Throws
// jsqa::Error naming path for a dataset of the wrong shape or type,
// H5::Exception for a missing or unreadable one.
std::vector<JndPair> ReadShardColumns(const H5::Group& root, hsize_t count, int schema_version,
                                      const std::string& path);

}  // namespace jsqa
