// Disk space reserved ahead of a shard being written (internal to
// pipeline/shard_writer.cc).
//
// HDF5 1.10 cannot recover from a write that fails inside it: the file can
// then be neither flushed nor closed, and the library crashes on the next
// close attempt or at exit. So the writer keeps the disk blocks HDF5 is
// about to write into allocated beforehand (fallocate, without changing the
// file size): a full disk or quota shows up here, as an error the writer
// reports before handing HDF5 any work, while everything HDF5 already holds
// lands in space that is already allocated.
#pragma once

#include <H5Cpp.h>

#include <string>

namespace jsqa {

// Creates (or empties) path and allocates its first `bytes`: H5Fcreate on a
// full disk fails, but leaves HDF5 1.10 with state that it trips over when
// the process exits, so the room is checked here first. Returns "" or the
// reason ("No such file or directory", "No space left on device").
std::string ProbeDiskSpace(const std::string& path, hsize_t bytes);

class DiskReservation {
 public:
  // Makes sure blocks exist up to HDF5's end of allocated file space plus
  // `ahead` bytes. Returns "" or the reason it could not ("No space left on
  // device"). On file systems without fallocate this reserves nothing.
  std::string Extend(const H5::H5File& file, hsize_t ahead);

  // Gives back what was reserved past the end of the closed file, through
  // fd (open for writing); best effort, since the space is unused.
  void Release(int fd) const;

 private:
  hsize_t reserved_end_ = 0;  // bytes [0, reserved_end_) are allocated
  bool supported_ = true;
};

}  // namespace jsqa
