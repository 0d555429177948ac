// Resampling with libsoxr.
#include <soxr.h>

#include <array>
#include <memory>
#include <type_traits>
#include <utility>

#include "pipeline/base/error.h"
#include "augment/resampler.h"
#include "augment/resampler_engines.h"

namespace jsqa {
namespace {

// soxr's recipes; all but "quick" (cubic interpolation, no anti-alias
// filter) are linear-phase low-pass designs of rising stop-band depth.
constexpr std::array<std::pair<const char*, unsigned long>, 5> kRecipes{{
    {"quick", SOXR_QQ},
    {"low", SOXR_LQ},
    {"medium", SOXR_MQ},
    {"high", SOXR_HQ},
    {"very_high", SOXR_VHQ},
}};

struct SoxrDeleter {
  void operator()(soxr_t soxr) const { soxr_delete(soxr); }
};

void CheckSoxr(soxr_error_t error) { JSQA_CHECK(!error, "soxr: ", error); }

}  // namespace

const std::vector<std::string>& SoxrQualityNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> list;
    for (const auto& recipe : kRecipes) list.emplace_back(recipe.first);
    return list;
  }();
  return names;
}

namespace detail {

unsigned long SoxrRecipe(const std::string& quality) {
  for (const auto& recipe : kRecipes)
    if (quality == recipe.first) return recipe.second;
  ThrowUnknownQuality("soxr", quality, SoxrQualityNames());
}

std::vector<float> ResampleWithSoxr(const std::vector<float>& input, int in_rate, int out_rate,
                                    size_t out_length, unsigned long recipe) {
  const soxr_quality_spec_t quality = soxr_quality_spec(recipe, 0);
  soxr_error_t error = nullptr;
  const std::unique_ptr<std::remove_pointer_t<soxr_t>, SoxrDeleter> soxr(
      soxr_create(in_rate, out_rate, 1, &error, nullptr, &quality, nullptr));
  CheckSoxr(error);

  std::vector<float> output(out_length);
  size_t consumed = 0;
  size_t produced = 0;
  while (consumed < input.size() && produced < out_length) {
    size_t used = 0;
    size_t made = 0;
    CheckSoxr(soxr_process(soxr.get(), input.data() + consumed, input.size() - consumed, &used,
                           output.data() + produced, out_length - produced, &made));
    if (used == 0 && made == 0) break;  // nothing more will come without a flush
    consumed += used;
    produced += made;
  }
  // soxr holds back its filter delay (hundreds of output samples at "high");
  // a null input flushes it, and soxr trims its own leading delay, so the
  // flushed total is exactly round(n · out / in).
  while (produced < out_length) {
    size_t made = 0;
    CheckSoxr(soxr_process(soxr.get(), nullptr, 0, nullptr, output.data() + produced,
                           out_length - produced, &made));
    if (made == 0) break;
    produced += made;
  }
  JSQA_CHECK(produced == out_length, "soxr produced ", produced, " of ", out_length, " samples");
  return output;
}

}  // namespace detail
}  // namespace jsqa
