// Resampling with libsamplerate (Secret Rabbit Code).
#include <samplerate.h>

#include <array>
#include <memory>
#include <utility>

#include "pipeline/base/error.h"
#include "augment/resampler.h"
#include "augment/resampler_engines.h"

namespace jsqa {
namespace {

constexpr std::array<std::pair<const char*, int>, 5> kConverters{{
    {"sinc_best", SRC_SINC_BEST_QUALITY},
    {"sinc_medium", SRC_SINC_MEDIUM_QUALITY},
    {"sinc_fastest", SRC_SINC_FASTEST},
    {"zero_order_hold", SRC_ZERO_ORDER_HOLD},
    {"linear", SRC_LINEAR},
}};

struct StateDeleter {
  void operator()(SRC_STATE* state) const { src_delete(state); }
};
using StatePtr = std::unique_ptr<SRC_STATE, StateDeleter>;

// Runs one block of input through the converter into out[0, room) and
// returns how many output samples it wrote.
size_t Convert(SRC_STATE* state, const float* in, size_t in_length, bool end_of_input, double ratio,
               float* out, size_t room) {
  SRC_DATA data{};
  data.data_in = in;
  data.input_frames = static_cast<long>(in_length);
  data.data_out = out;
  data.output_frames = static_cast<long>(room);
  data.src_ratio = ratio;
  data.end_of_input = end_of_input ? 1 : 0;
  size_t produced = 0;
  while (produced < room) {
    const int error = src_process(state, &data);
    JSQA_CHECK(error == 0, "libsamplerate: ", src_strerror(error));
    if (data.input_frames_used == 0 && data.output_frames_gen == 0) break;
    produced += static_cast<size_t>(data.output_frames_gen);
    data.data_in += data.input_frames_used;
    data.input_frames -= data.input_frames_used;
    data.data_out += data.output_frames_gen;
    data.output_frames -= data.output_frames_gen;
  }
  return produced;
}

}  // namespace

const std::vector<std::string>& LibsamplerateQualityNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> list;
    for (const auto& converter : kConverters) list.emplace_back(converter.first);
    return list;
  }();
  return names;
}

namespace detail {

int LibsamplerateConverter(const std::string& quality) {
  for (const auto& converter : kConverters)
    if (quality == converter.first) return converter.second;
  ThrowUnknownQuality("libsamplerate", quality, LibsamplerateQualityNames());
}

std::vector<float> ResampleWithLibsamplerate(const std::vector<float>& input, int in_rate,
                                             int out_rate, size_t out_length, int converter) {
  const double ratio = static_cast<double>(out_rate) / in_rate;
  JSQA_CHECK(src_is_valid_ratio(ratio), "libsamplerate cannot convert ", in_rate, " Hz to ",
             out_rate, " Hz (ratio outside 1/256 .. 256)");
  int error = 0;
  const StatePtr state(src_new(converter, 1, &error));
  JSQA_CHECK(state, "libsamplerate: ", src_strerror(error));

  std::vector<float> output(out_length);
  size_t produced =
      Convert(state.get(), input.data(), input.size(), false, ratio, output.data(), out_length);
  // libsamplerate stops once its read position reaches the end of input, so
  // the last output sample inside the signal's time span can go missing
  // (44.1 -> 16 kHz gives n - 1). A few input periods of trailing silence,
  // which is what the filter assumes past the end anyway, carry it past.
  const std::vector<float> silence(static_cast<size_t>(in_rate / out_rate) + 2, 0.0f);
  produced += Convert(state.get(), silence.data(), silence.size(), true, ratio,
                      output.data() + produced, out_length - produced);
  JSQA_CHECK(produced == out_length, "libsamplerate produced ", produced, " of ", out_length,
             " samples");
  return output;
}

}  // namespace detail
}  // namespace jsqa
