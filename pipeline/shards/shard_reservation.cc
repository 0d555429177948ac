#include "pipeline/shards/shard_reservation.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace jsqa {
namespace {

// fallocate, retried when a signal interrupts it.
int Allocate(int fd, int mode, off_t offset, off_t length) {
  int result = 0;
  do {
    result = ::fallocate(fd, mode, offset, length);
  } while (result != 0 && errno == EINTR);
  return result;
}

}  // namespace

std::string ProbeDiskSpace(const std::string& path, hsize_t bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) return std::strerror(errno);
  const int allocated = Allocate(fd, 0, 0, static_cast<off_t>(bytes));
  const int allocate_errno = errno;
  ::close(fd);
  if (allocated == 0 || allocate_errno == EOPNOTSUPP) return "";
  return std::strerror(allocate_errno);
}

std::string DiskReservation::Extend(const H5::H5File& file, hsize_t ahead) {
  // H5Fget_filesize is the larger of the end of allocated space (EOA) and
  // the end of what is written so far.
  const hsize_t end = file.getFileSize() + ahead;
  if (!supported_ || end <= reserved_end_) return "";
  void* handle = nullptr;
  file.getVFDHandle(&handle);  // the sec2 driver's int file descriptor
  const int fd = *static_cast<int*>(handle);
  // From reserved_end_, not the current size: HDF5 allocates space (headers,
  // heaps) that it writes only when its cache is flushed, leaving holes.
  if (Allocate(fd, FALLOC_FL_KEEP_SIZE, static_cast<off_t>(reserved_end_),
               static_cast<off_t>(end - reserved_end_)) == 0) {
    reserved_end_ = end;
    return "";
  }
  if (errno == EOPNOTSUPP) {
    supported_ = false;
    return "";
  }
  return std::strerror(errno);
}

void DiskReservation::Release(int fd) const {
  struct stat status;
  if (reserved_end_ == 0 || ::fstat(fd, &status) != 0) return;
  const off_t size = status.st_size;
  if (static_cast<off_t>(reserved_end_) <= size) return;
  // ext4 and XFS drop blocks past the end on a truncate to the same size;
  // tmpfs needs the hole punched.
  if (::ftruncate(fd, size) != 0) return;
  Allocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, size,
           static_cast<off_t>(reserved_end_) - size);
}

}  // namespace jsqa
