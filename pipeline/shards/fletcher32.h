// HDF5's Fletcher32 chunk checksum, computed as its filter does, so that the
// shard writer and reader can store and check chunks themselves (direct
// chunk write and read) and stay byte-compatible with libhdf5 and h5py.
// Our own because libhdf5 has no public function for it (its
// H5_checksum_fletcher32 is an internal symbol, declared in no installed
// header, and a scalar loop); tests check ours against libhdf5's filter.
#pragma once

#include <cstddef>
#include <cstdint>

namespace jsqa {

// The checksum of bytes [data, data + size): HDF5's H5_checksum_fletcher32,
// which reads the data as big-endian 16-bit words in blocks of 360, with
// the same 32-bit wrap-around, so the result is the same for any input.
uint32_t HdfFletcher32(const void* data, size_t size);

// A filtered chunk is the data followed by its checksum, 4 bytes
// little-endian.
constexpr size_t kFletcher32Bytes = 4;

}  // namespace jsqa
