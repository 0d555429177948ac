#include "pipeline/base/error.h"

#include <cstring>

namespace jsqa::detail {

void ThrowCheckFailure(const char* file, int line, const std::string& message) {
  const char* base = std::strrchr(file, '/');
  throw Error(Concat(message, " [", base ? base + 1 : file, ":", line, "]"));
}

}  // namespace jsqa::detail
