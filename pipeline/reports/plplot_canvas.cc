#include "pipeline/reports/plplot_canvas.h"

#include <plplot/plplot.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <vector>

#include "pipeline/base/error.h"

namespace jsqa {
namespace {

std::mutex& PlplotMutex() {
  static std::mutex mutex;
  return mutex;
}

// Whether PLplot has a driver for device. Handing plsdev a missing one
// would make PLplot ask for another on stdin, then exit().
bool DeviceAvailable(const std::string& device) {
  constexpr int kMaxDevices = 256;
  std::vector<const char*> menus(kMaxDevices), names(kMaxDevices);
  const char** menu_list = menus.data();
  const char** name_list = names.data();
  int count = kMaxDevices;
  plgDevs(&menu_list, &name_list, &count);
  for (int i = 0; i < count; ++i)
    if (name_list[i] != nullptr && device == name_list[i]) return true;
  return false;
}

// Ends the current stream even when draw throws: plend1 frees the stream,
// closes the device's file and makes stream 0 current again.
struct StreamEnder {
  ~StreamEnder() { plend1(); }
};

}  // namespace

std::string RenderPlplotPage(const std::string& device, int width, int height, const std::function<void()>& draw) {
  std::lock_guard<std::mutex> lock(PlplotMutex());
  JSQA_CHECK(DeviceAvailable(device), "PLplot has no '", device,
             "' device (install the Debian package plplot-driver-cairo)");

  char* data = nullptr;
  size_t size = 0;
  // The device closes this stream in plend1 (its tidy-up fcloses OutFile),
  // which also sets data and size; data is ours to free.
  FILE* file = open_memstream(&data, &size);
  JSQA_CHECK(file != nullptr, "cannot open a memory stream for a ", device, " plot");
  PLINT error_code = 0;
  // Filled by PLplot instead of printing to stderr when an operation fails.
  std::vector<char> error_message(4096, '\0');
  {
    PLINT stream = -1;
    plmkstrm(&stream);
    if (stream < 0) {
      std::fclose(file);
      std::free(data);
      throw Error("PLplot: cannot create a plot stream");
    }
    StreamEnder ender;
    plsError(&error_code, error_message.data());
    plsdev(device.c_str());
    plsfile(file);
    const std::string geometry = std::to_string(width) + "x" + std::to_string(height);
    JSQA_CHECK(plsetopt("geometry", geometry.c_str()) == 0, "PLplot rejects the page size ", geometry);
    plscolbg(255, 255, 255);
    plinit();
    pladv(0);
    draw();
  }
  std::unique_ptr<char, decltype(&std::free)> owned(data, &std::free);
  std::string message(error_message.data());
  while (!message.empty() && (message.back() == '\n' || message.front() == '\n'))
    message.erase(message.back() == '\n' ? message.size() - 1 : 0, 1);
  JSQA_CHECK(error_code == 0, "PLplot (", device, "): ", message);
  JSQA_CHECK(size > 0, "PLplot (", device, ") wrote nothing");
  return std::string(data, size);
}

}  // namespace jsqa
