// The project's one exception type and its check macro.
//
// Library code never asserts on input and never exits: it throws jsqa::Error
// with a message that names the file or key at fault and the reason. Callers
// that process many items catch it per item, count it and go on; anything
// else reaches main, which prints the message on one line and exits non-zero.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>

namespace jsqa {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A usage or configuration mistake (exit code 2), as opposed to a runtime
// failure (exit code 1).
class UsageError : public Error {
 public:
  using Error::Error;
};

namespace detail {
template <typename... Parts>
std::string Concat(const Parts&... parts) {
  std::ostringstream out;
  (out << ... << parts);
  return out.str();
}
[[noreturn]] void ThrowCheckFailure(const char* file, int line, const std::string& message);
}  // namespace detail

}  // namespace jsqa

// JSQA_CHECK(cond, parts...) throws jsqa::Error("parts... [file:line]") when
// cond is false. The message comes first: users read it; file:line is for us.
#define JSQA_CHECK(cond, ...)                                                         \
  do {                                                                                \
    if (!(cond)) ::jsqa::detail::ThrowCheckFailure(__FILE__, __LINE__,                \
                                                   ::jsqa::detail::Concat(__VA_ARGS__)); \
  } while (false)
