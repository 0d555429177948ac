// The two conversion engines behind Resample(); internal to augment/.
//
// Each takes validated rates and the exact output length Resample() promises
// (round(n · out_rate / in_rate)) and returns that many samples, aligned so
// that output sample k sits at time k / out_rate as input sample k sits at
// k / in_rate: no filter delay, no lost tail.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace jsqa::detail {

// Engine settings for a quality name; throw jsqa::Error listing the allowed
// names for an unknown one.
unsigned long SoxrRecipe(const std::string& quality);
int LibsamplerateConverter(const std::string& quality);

std::vector<float> ResampleWithSoxr(const std::vector<float>& input, int in_rate, int out_rate,
                                    size_t out_length, unsigned long recipe);
std::vector<float> ResampleWithLibsamplerate(const std::vector<float>& input, int in_rate,
                                             int out_rate, size_t out_length, int converter);

[[noreturn]] void ThrowUnknownQuality(const std::string& engine, const std::string& quality,
                                      const std::vector<std::string>& allowed);

}  // namespace jsqa::detail
