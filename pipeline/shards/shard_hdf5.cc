#include "pipeline/shards/shard_hdf5.h"

namespace jsqa::hdf5 {
namespace {

// The innermost description of the latest HDF5 failure on this thread.
thread_local std::string last_error;

herr_t KeepInnermost(unsigned depth, const H5E_error2_t* error, void*) {
  if (depth == 0 && error->desc) last_error = error->desc;
  return 0;
}

// Runs when an HDF5 call fails, before the C++ wrapper throws and before any
// later call can clear the stack.
herr_t OnHdf5Error(hid_t stack, void*) {
  H5Ewalk2(stack, H5E_WALK_UPWARD, KeepInnermost, nullptr);
  return 0;
}

// The file drivers describe system errors as "..., errno = 28, error message
// = 'No space left on device', ..." (with times and offsets); the quoted part
// is the reason a user needs.
std::string Summarize(const std::string& description) {
  const std::string key = "error message = '";
  const size_t start = description.find(key);
  if (start != std::string::npos) {
    const size_t from = start + key.size();
    const size_t end = description.find('\'', from);
    if (end != std::string::npos) return description.substr(from, end - from);
  }
  std::string line = description;
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return line;
}

void DisableTimestamps(const H5::PropList& plist) {
  if (H5Pset_obj_track_times(plist.getId(), false) < 0)
    throw H5::PropListIException("DisableTimestamps", "H5Pset_obj_track_times failed");
}

}  // namespace

ErrorCapture::ErrorCapture() {
  last_error.clear();
  H5Eset_auto2(H5E_DEFAULT, OnHdf5Error, nullptr);
}

ErrorCapture::~ErrorCapture() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

std::string LastErrorReason(const H5::Exception& error) {
  if (!last_error.empty()) return Summarize(last_error);
  return error.getFuncName() + ": " + error.getDetailMsg();
}

H5::FileAccPropList FileAccess() {
  H5::FileAccPropList plist;
  plist.setSec2();
  plist.setLibverBounds(H5F_LIBVER_V110, H5F_LIBVER_V110);
  return plist;
}

H5::FileCreatPropList FileCreation() {
  H5::FileCreatPropList plist;
  DisableTimestamps(plist);
  return plist;
}

H5::DSetCreatPropList ChunkedCreation(int rank, const hsize_t* chunk) {
  H5::DSetCreatPropList plist;
  plist.setChunk(rank, chunk);
  plist.setFletcher32();
  DisableTimestamps(plist);
  return plist;
}

H5::DSetCreatPropList ContiguousCreation() {
  H5::DSetCreatPropList plist;
  DisableTimestamps(plist);
  return plist;
}

H5::DataSpace RowSelection(const H5::DataSet& set, hsize_t row, hsize_t samples) {
  H5::DataSpace space = set.getSpace();
  const hsize_t start[2] = {row, 0};
  const hsize_t count[2] = {1, samples};
  space.selectHyperslab(H5S_SELECT_SET, count, start);
  return space;
}

H5::StrType Utf8String() {
  H5::StrType type(H5::PredType::C_S1, H5T_VARIABLE);
  type.setCset(H5T_CSET_UTF8);
  return type;
}

void WriteAttribute(const H5::H5Object& object, const char* name, const std::string& value) {
  const H5::StrType type = Utf8String();
  object.createAttribute(name, type, H5::DataSpace()).write(type, value);
}

std::string ReadStringAttribute(const H5::H5Object& object, const char* name) {
  const H5::Attribute attribute = object.openAttribute(name);
  std::string value;
  // The file's own string type: fixed-length (as some tools write) and
  // variable-length strings both read into std::string.
  attribute.read(attribute.getStrType(), value);
  return value;
}

}  // namespace jsqa::hdf5
