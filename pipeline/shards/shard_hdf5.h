// HDF5 plumbing shared by the shard writer and reader (internal to
// pipeline/shard_*.cc): error capture, property lists, types, attributes.
#pragma once

#include <H5Cpp.h>

#include <cstdint>
#include <string>

namespace jsqa::hdf5 {

// HDF5 prints its error stack to stderr by default. While an ErrorCapture
// lives, failures on this thread (error stacks and their handlers are per
// thread) are kept for LastErrorReason() instead. Afterwards printing stays
// off rather than coming back: HDF5 1.10 can leak state on the error paths
// of damaged files, and with any handler installed it then loops at exit,
// printing "infinite loop closing library".
class ErrorCapture {
 public:
  ErrorCapture();
  ~ErrorCapture();
  ErrorCapture(const ErrorCapture&) = delete;
  ErrorCapture& operator=(const ErrorCapture&) = delete;
};

// The reason behind the latest HDF5 failure captured on this thread, on one
// line ("No space left on device", "data error detected by Fletcher32
// checksum"); falls back to the C++ wrapper's message.
std::string LastErrorReason(const H5::Exception& error);

// File access: the POSIX (sec2) driver, whose handle is a file descriptor,
// and the HDF5 1.10 format, whose metadata (superblock, object headers,
// chunk indexes) carries checksums, so that a damaged file reads as an error
// instead of garbage. Readers need HDF5 1.10 or later (so does h5py).
H5::FileAccPropList FileAccess();
// Root group without timestamps, so that file bytes depend on content only.
H5::FileCreatPropList FileCreation();
// A chunked dataset of `rank` dims with the given chunk shape, a Fletcher32
// checksum per chunk (h5py verifies it too) and no timestamps.
H5::DSetCreatPropList ChunkedCreation(int rank, const hsize_t* chunk);
// A contiguous dataset without timestamps.
H5::DSetCreatPropList ContiguousCreation();

// Row `row` of a 2-D [N, samples] dataset, selected in its file space.
H5::DataSpace RowSelection(const H5::DataSet& set, hsize_t row, hsize_t samples);

// Variable-length UTF-8 strings (h5py reads them as str).
H5::StrType Utf8String();

// Little-endian file types for each in-memory type, so that shards written
// on any machine have the same bytes.
template <typename T>
struct Types;
template <>
struct Types<int16_t> {
  static const H5::PredType& File() { return H5::PredType::STD_I16LE; }
  static const H5::PredType& Memory() { return H5::PredType::NATIVE_INT16; }
};
template <>
struct Types<int32_t> {
  static const H5::PredType& File() { return H5::PredType::STD_I32LE; }
  static const H5::PredType& Memory() { return H5::PredType::NATIVE_INT32; }
};
template <>
struct Types<int64_t> {
  static const H5::PredType& File() { return H5::PredType::STD_I64LE; }
  static const H5::PredType& Memory() { return H5::PredType::NATIVE_INT64; }
};
template <>
struct Types<uint64_t> {
  static const H5::PredType& File() { return H5::PredType::STD_U64LE; }
  static const H5::PredType& Memory() { return H5::PredType::NATIVE_UINT64; }
};
template <>
struct Types<float> {
  static const H5::PredType& File() { return H5::PredType::IEEE_F32LE; }
  static const H5::PredType& Memory() { return H5::PredType::NATIVE_FLOAT; }
};
template <>
struct Types<double> {
  static const H5::PredType& File() { return H5::PredType::IEEE_F64LE; }
  static const H5::PredType& Memory() { return H5::PredType::NATIVE_DOUBLE; }
};

// Scalar attributes.
template <typename T>
void WriteAttribute(const H5::H5Object& object, const char* name, T value) {
  H5::Attribute attribute = object.createAttribute(name, Types<T>::File(), H5::DataSpace());
  attribute.write(Types<T>::Memory(), &value);
}
void WriteAttribute(const H5::H5Object& object, const char* name, const std::string& value);

// Reads with conversion to T; a missing attribute or an impossible
// conversion (a string read as a number) throws H5::Exception.
template <typename T>
T ReadAttribute(const H5::H5Object& object, const char* name) {
  T value{};
  object.openAttribute(name).read(Types<T>::Memory(), &value);
  return value;
}
std::string ReadStringAttribute(const H5::H5Object& object, const char* name);

}  // namespace jsqa::hdf5
