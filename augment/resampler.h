// Sample-rate conversion behind one interface, with two engines:
// libsoxr (default; quality "quick|low|medium|high|very_high") and
// libsamplerate (converter "sinc_best|sinc_medium|sinc_fastest|zero_order_hold|linear").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace jsqa {

enum class ResamplerEngine { kSoxr, kLibsamplerate };

struct ResampleArgs {
  ResamplerEngine engine = ResamplerEngine::kSoxr;
  // Engine-specific quality name (see above). Empty means the engine's
  // default: "high" for soxr, "sinc_medium" for libsamplerate.
  std::string quality;
};

// Names accepted in configs, for validation messages.
const std::vector<std::string>& SoxrQualityNames();
const std::vector<std::string>& LibsamplerateQualityNames();
ResamplerEngine ParseResamplerEngine(const std::string& name);  // "soxr" | "libsamplerate"
std::string ResamplerEngineName(ResamplerEngine engine);

// Converts a whole signal from in_rate to out_rate (Hz). Output length is
// round(input.size() * out_rate / in_rate). Equal rates return a copy.
// Throws jsqa::Error for bad rates or an unknown quality name.
// Length of a resampled signal of `frames` samples: round(frames · out / in),
// exactly (integer arithmetic). Lets a plan know lengths before decoding.
int64_t ResampledLength(int64_t frames, int in_rate, int out_rate);

std::vector<float> Resample(const std::vector<float>& input, int in_rate, int out_rate,
                            const ResampleArgs& args = {});

}  // namespace jsqa
