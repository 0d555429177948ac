// Fuzz target: the HDF5 shard reader (pipeline/shards/shard_io.h ShardReader) on
// the input written to a scratch .h5 file: open (signature, schema
// attributes, dataset types and shapes, metadata columns), then read the
// first and the last pair. Seeds are real shards written by ShardWriter
// (tests/fuzz/corpus/fuzz_shard_reader/, remade by fuzz_shard_seeds).
//
// Only jsqa::Error may escape (the reader turns HDF5's failures into it).
// Invariants for a shard that opens: a positive segment length, pairs of
// that length, components exactly when the shard stores them. A shard read
// through reports its pairs read (ReadThrough): the "valid-*" seeds must
// give at least one in the replay.
//
// libhdf5 (Debian's 1.10.8, uninstrumented) parses the file; our reader
// can only check what HDF5 reports. See tests/fuzz/README.md for what is
// known about failures inside libhdf5 itself; the class of input that
// hangs or crashes libhdf5 is skipped here (UnsafeVariableLengthData,
// ColumnReferenceTooLong).
#include <hdf5.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>

#include "pipeline/base/error.h"
#include "pipeline/shards/shard_io.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

// Byte `at` of the input; HDF5's POSIX driver reads zeros past the end of
// a file (the superblock's end-of-file address is checksummed, so a
// truncated file fails to open before that matters).
uint64_t LittleEndian(const uint8_t* data, size_t size, uint64_t at, int count) {
  uint64_t value = 0;
  for (int i = count - 1; i >= 0; --i) value = value << 8 | (at + i < size ? data[at + i] : 0);
  return value;
}

// Whether libhdf5 1.10.8 could hang or crash on the input's variable-length
// strings. They live in global heap collections ("GCOL"): our string
// attributes (sample_format, config, ...) and the utterance_id / noise_id
// columns. Unlike the object headers, B-trees and chunks of our shards,
// the collections carry no checksum, nor does the contiguous raw data of
// the string columns (16-byte references: length, collection address,
// object index; HDF5 filters, the Fletcher32 checksum among them, do not
// apply to variable-length data). libhdf5 1.10.8 trusts both
// (tests/fuzz/README.md, "libhdf5"):
//   - H5HG__cache_heap_deserialize walks the objects with p = begin + need,
//     need being the stored size of the free-space object (index 0): a
//     stored size of 0 never advances p, and the read hangs;
//   - it keeps objects that run past the collection, and H5HG_read copies
//     an object's stored size into a buffer of the reference's length:
//     where the two differ it reads or writes past a heap buffer inside
//     libhdf5 (AddressSanitizer: memcpy-param-overlap, heap-buffer-overflow);
//     an index that names no object reads an unset slot;
//   - H5T__conv_vlen allocates the reference's length (up to 4 GiB) before
//     reading the object, and copies that many bytes.
// Our reader cannot check these first: only HDF5 parses the messages that
// lead to them. So the harness skips such inputs, as libhdf5 bugs, rather
// than time out or crash on them. It mirrors HDF5's walk (8-byte lengths
// and addresses, as our files use) over every "GCOL" in the input, and
// takes every 16 bytes anywhere in the input whose address field names one
// of those collections as a reference (attribute values, in object
// headers, and column data alike): each must name an object of exactly its
// length, as HDF5 wrote it. Stray matches only make it skip more.
bool UnsafeVariableLengthData(const uint8_t* data, size_t size) {
  constexpr uint64_t kHeader = 16, kObjectHeader = 16;
  std::map<uint64_t, std::map<uint64_t, uint64_t>> collections;  // address -> index -> object size
  for (size_t at = 0; at + 4 <= size; ++at) {
    if (std::memcmp(data + at, "GCOL", 4) != 0) continue;
    std::map<uint64_t, uint64_t>& objects = collections[at];
    const uint64_t length = LittleEndian(data, size, at + 8, 8);
    for (uint64_t p = kHeader; p < length;) {
      if (p + kObjectHeader > length) break;  // trailing free space, taken as such
      const uint64_t index = LittleEndian(data, size, at + p, 2);
      const uint64_t object = LittleEndian(data, size, at + p + 8, 8);
      const uint64_t need = index > 0 ? kObjectHeader + ((object + 7) & ~uint64_t{7}) : object;
      if (need == 0 || need < object || need > length - p) return true;
      if (index > 0) objects[index] = object;
      p += need;
    }
  }
  for (size_t at = 0; at + 16 <= size; ++at) {
    const auto collection = collections.find(LittleEndian(data, size, at + 4, 8));
    if (collection == collections.end()) continue;
    const auto object = collection->second.find(LittleEndian(data, size, at + 12, 4));
    if (object == collection->second.end() || object->second != LittleEndian(data, size, at, 4)) return true;
  }
  return false;
}

// Whether a reference in the raw data of the string columns (16 bytes each:
// length, collection address, object index) claims more bytes than the whole
// file holds. libhdf5 1.10.8 (H5T__conv_vlen) allocates and zeroes a
// conversion buffer of that length, up to 4 GiB, before it reads the
// object: a 4 GiB resident spike (libFuzzer: out-of-memory) for a damaged
// length, whatever the address. The columns are found through HDF5 (object
// headers only, which carry checksums); the reader opens them the same way.
bool ColumnReferenceTooLong(const std::string& path, const uint8_t* data, size_t size) {
  // As after any ShardReader: HDF5 prints no error stacks.
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (file < 0) return false;
  bool too_long = false;
  for (const char* name : {"utterance_id", "noise_id"}) {
    if (H5Lexists(file, name, H5P_DEFAULT) <= 0) continue;
    const hid_t set = H5Dopen2(file, name, H5P_DEFAULT);
    if (set < 0) continue;
    const haddr_t offset = H5Dget_offset(set);  // HADDR_UNDEF unless contiguous and allocated
    const hsize_t bytes = H5Dget_storage_size(set);
    H5Dclose(set);
    if (offset == HADDR_UNDEF) continue;
    for (uint64_t at = offset; at + 16 <= offset + bytes && at < size; at += 16)
      too_long = too_long || LittleEndian(data, size, at, 4) > size;
  }
  H5Fclose(file);
  return too_long;
}

void CheckPair(const jsqa::ShardReader& reader, int64_t index) {
  const jsqa::JndPair pair = reader.Read(index);
  const size_t samples = static_cast<size_t>(reader.info().segment_samples);
  JSQA_FUZZ_EXPECT(pair.a.size() == samples && pair.b.size() == samples, "mixture length");
  const bool components = !pair.clean.empty() || !pair.noise_a.empty() || !pair.noise_b.empty();
  JSQA_FUZZ_EXPECT(components == reader.info().store_components, "components without store_components");
  if (components)
    JSQA_FUZZ_EXPECT(pair.clean.size() == samples && pair.noise_a.size() == samples && pair.noise_b.size() == samples,
                     "component length");
}

// Reads and checks pair `index`; false for a damaged pair (a jsqa::Error).
bool ReadsWhole(const jsqa::ShardReader& reader, int64_t index) {
  try {
    CheckPair(reader, index);
    return true;
  } catch (const jsqa::Error& error) {
    jsqa::fuzz::Rejected(error);
    return false;
  }
}

// JSQA_FUZZ_LIBHDF5_FAULTS=1 turns the two checks off: to see whether a
// libhdf5 still hangs or crashes on regressions/fuzz_shard_reader/libhdf5-*.
bool SkipLibhdf5Faults() {
  static const bool skip = [] {
    const char* value = std::getenv("JSQA_FUZZ_LIBHDF5_FAULTS");
    return !(value && std::string(value) == "1");
  }();
  return skip;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (SkipLibhdf5Faults() && UnsafeVariableLengthData(data, size)) return -1;  // not kept in the corpus
  const std::filesystem::path path = jsqa::fuzz::ScratchDir() / "pairs-00000-of-00001.h5";
  jsqa::fuzz::WriteFile(path, std::string_view(reinterpret_cast<const char*>(data), size));
  if (SkipLibhdf5Faults() && ColumnReferenceTooLong(path.string(), data, size)) return -1;
  try {
    const jsqa::ShardReader reader(path.string());
    JSQA_FUZZ_EXPECT(reader.info().segment_samples > 0, "segment_samples");
    JSQA_FUZZ_EXPECT(reader.pairs() >= 0, "pairs");
    try {
      reader.Read(reader.pairs());
      jsqa::fuzz::Fail(__FILE__, __LINE__, "Read(pairs()) did not throw");
    } catch (const jsqa::Error&) {  // as it should
    }
    if (reader.pairs() > 0) {
      const bool first = ReadsWhole(reader, 0);
      const bool last = ReadsWhole(reader, reader.pairs() - 1);
      // The pairs read: the first and the last (one, when there is one).
      if (first && last) jsqa::fuzz::ReadThrough(std::min<int64_t>(reader.pairs(), 2));
    } else {
      jsqa::fuzz::ReadThrough(0);  // an empty shard, opened
    }
  } catch (const jsqa::Error& error) {
    jsqa::fuzz::Rejected(error);
  }
  return 0;
}
