// A file opened read-only (O_CLOEXEC) for plain POSIX reads, closed when it
// goes out of scope. fd() is -1 when the open failed, errno saying why.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <string>

namespace jsqa {

class ReadOnlyFile {
 public:
  explicit ReadOnlyFile(const std::string& path) : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}
  ~ReadOnlyFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  ReadOnlyFile(const ReadOnlyFile&) = delete;
  ReadOnlyFile& operator=(const ReadOnlyFile&) = delete;
  int fd() const { return fd_; }

 private:
  const int fd_;
};

}  // namespace jsqa
