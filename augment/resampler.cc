#include "augment/resampler.h"

#include <cstdint>

#include "pipeline/base/error.h"
#include "augment/resampler_engines.h"

namespace jsqa {

namespace detail {

void ThrowUnknownQuality(const std::string& engine, const std::string& quality,
                         const std::vector<std::string>& allowed) {
  std::string names;
  for (const std::string& name : allowed) names += (names.empty() ? "" : ", ") + name;
  throw Error("unknown " + engine + " quality '" + quality + "'; allowed: " + names);
}

}  // namespace detail

ResamplerEngine ParseResamplerEngine(const std::string& name) {
  if (name == "soxr") return ResamplerEngine::kSoxr;
  if (name == "libsamplerate") return ResamplerEngine::kLibsamplerate;
  throw Error("unknown resampler engine '" + name + "'; allowed: soxr, libsamplerate");
}

std::string ResamplerEngineName(ResamplerEngine engine) {
  return engine == ResamplerEngine::kSoxr ? "soxr" : "libsamplerate";
}

std::vector<float> Resample(const std::vector<float>& input, int in_rate, int out_rate,
                            const ResampleArgs& args) {
  JSQA_CHECK(in_rate > 0 && out_rate > 0, "resampling needs positive rates, got ", in_rate,
             " Hz to ", out_rate, " Hz");
  // The quality name is resolved first so that a bad one fails even when
  // the rates match and nothing needs converting.
  const bool soxr = args.engine == ResamplerEngine::kSoxr;
  const std::string quality = !args.quality.empty() ? args.quality : soxr ? "high" : "sinc_medium";
  const unsigned long recipe = soxr ? detail::SoxrRecipe(quality) : 0;
  const int converter = soxr ? 0 : detail::LibsamplerateConverter(quality);
  if (in_rate == out_rate) return input;

  const auto out_length =
      static_cast<size_t>(ResampledLength(static_cast<int64_t>(input.size()), in_rate, out_rate));
  if (out_length == 0) return {};
  return soxr ? detail::ResampleWithSoxr(input, in_rate, out_rate, out_length, recipe)
              : detail::ResampleWithLibsamplerate(input, in_rate, out_rate, out_length, converter);
}

int64_t ResampledLength(int64_t frames, int in_rate, int out_rate) {
  if (in_rate == out_rate) return frames;
  // round(n · out / in) in exact integer arithmetic: floor((2·n·out + in) / (2·in)).
  return (2 * frames * int64_t{out_rate} + in_rate) / (2 * int64_t{in_rate});
}

}  // namespace jsqa
