#include "augment/segment.h"

#include <algorithm>

#include "pipeline/base/error.h"

namespace jsqa {
namespace {

int64_t Size(const std::vector<float>& signal) { return static_cast<int64_t>(signal.size()); }

}  // namespace

std::vector<float> Crop(const std::vector<float>& signal, int64_t offset, int64_t length) {
  JSQA_CHECK(offset >= 0 && length >= 0 && offset <= Size(signal) - length, "crop [", offset, ", ",
             offset + length, ") is outside a signal of ", signal.size(), " samples");
  return std::vector<float>(signal.begin() + offset, signal.begin() + offset + length);
}

std::vector<float> PadToLength(const std::vector<float>& signal, int64_t length) {
  JSQA_CHECK(length >= 0, "pad length must be >= 0, got ", length);
  std::vector<float> out(static_cast<size_t>(length), 0.0f);
  std::copy_n(signal.begin(), std::min(length, Size(signal)), out.begin());
  return out;
}

std::vector<float> LoopToLength(const std::vector<float>& signal, int64_t offset, int64_t length) {
  JSQA_CHECK(!signal.empty(), "cannot loop an empty signal");
  JSQA_CHECK(offset >= 0 && length >= 0, "loop offset and length must be >= 0, got ", offset,
             " and ", length);
  std::vector<float> out;
  out.reserve(static_cast<size_t>(length));
  int64_t position = offset % Size(signal);
  while (Size(out) < length) {
    const int64_t run = std::min(Size(signal) - position, length - Size(out));
    out.insert(out.end(), signal.begin() + position, signal.begin() + position + run);
    position = 0;
  }
  return out;
}

int64_t PickOffset(CounterRng& rng, int64_t signal_length, int64_t length) {
  JSQA_CHECK(signal_length > 0 && length >= 0, "cannot pick an offset for ", length,
             " samples in a signal of ", signal_length);
  const int64_t choices = signal_length >= length ? signal_length - length + 1 : signal_length;
  return static_cast<int64_t>(rng.UniformInt(static_cast<uint64_t>(choices)));
}

std::vector<int64_t> SegmentOffsets(int64_t signal_length, int64_t length, bool keep_short_tail) {
  JSQA_CHECK(length > 0 && signal_length >= 0,
             "segment length must be > 0 and signal length >= 0, got ", length, " and ",
             signal_length);
  std::vector<int64_t> offsets;
  int64_t offset = 0;
  for (; offset <= signal_length - length; offset += length) offsets.push_back(offset);
  if (keep_short_tail && offset < signal_length) offsets.push_back(offset);
  return offsets;
}

}  // namespace jsqa
