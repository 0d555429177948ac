#include "augment/resampler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "pipeline/base/error.h"

namespace jsqa {
namespace {

struct Converter {
  ResamplerEngine engine;
  std::string quality;
  // Cubic, zero-order-hold and linear interpolation have no anti-alias
  // filter and a sample-scale phase offset; only the filtered converters
  // are held to the tight amplitude and waveform bounds.
  bool filtered;
};

std::vector<Converter> AllConverters() {
  std::vector<Converter> converters;
  for (const std::string& name : SoxrQualityNames())
    converters.push_back({ResamplerEngine::kSoxr, name, name != "quick"});
  for (const std::string& name : LibsamplerateQualityNames())
    converters.push_back(
        {ResamplerEngine::kLibsamplerate, name, name != "zero_order_hold" && name != "linear"});
  return converters;
}

std::string ConverterName(const ::testing::TestParamInfo<Converter>& info) {
  return ResamplerEngineName(info.param.engine) + "_" + info.param.quality;
}

// Sum of sines of the given frequencies (Hz), each of amplitude 0.5.
std::vector<float> Tones(std::initializer_list<double> frequencies, int rate, double seconds) {
  std::vector<float> signal(static_cast<size_t>(seconds * rate));
  for (size_t i = 0; i < signal.size(); ++i) {
    double value = 0.0;
    for (const double f : frequencies) value += 0.5 * std::sin(2 * M_PI * f * i / rate);
    signal[i] = static_cast<float>(value);
  }
  return signal;
}

// Amplitude of the sine at `frequency` Hz in signal[begin, begin + count):
// one DFT coefficient, exact when the span holds whole periods of every
// tone present (no leakage between them).
double ToneAmplitude(const std::vector<float>& signal, int rate, double frequency, size_t begin,
                     size_t count) {
  std::complex<double> sum = 0.0;
  for (size_t k = 0; k < count; ++k)
    sum += static_cast<double>(signal[begin + k]) *
           std::polar(1.0, -2 * M_PI * frequency * static_cast<double>(k) / rate);
  return 2.0 * std::abs(sum) / static_cast<double>(count);
}

// Frequency (Hz) from rising zero crossings in signal[begin, end), each
// located by linear interpolation between the samples around it.
double ZeroCrossingFrequency(const std::vector<float>& signal, int rate, size_t begin, size_t end) {
  double first = -1.0;
  double last = -1.0;
  int crossings = 0;
  for (size_t i = begin + 1; i < end; ++i) {
    if (signal[i - 1] < 0.0f && signal[i] >= 0.0f) {
      const double at = static_cast<double>(i - 1) + signal[i - 1] / (signal[i - 1] - signal[i]);
      if (first < 0.0) first = at;
      last = at;
      ++crossings;
    }
  }
  return (crossings - 1) * rate / (last - first);
}

double Db(double ratio) { return 20.0 * std::log10(ratio); }

class ResamplerAccuracyTest : public ::testing::TestWithParam<Converter> {
 protected:
  ResampleArgs Args() const { return {GetParam().engine, GetParam().quality}; }
};

// A 0.5-amplitude 1 kHz tone, 3 s long, through each rate pair; measured on
// the middle second, away from the start and end transients.
TEST_P(ResamplerAccuracyTest, KeepsFrequencyAmplitudeAndTiming) {
  for (const auto& [in_rate, out_rate] :
       {std::pair{48000, 16000}, std::pair{16000, 48000}, std::pair{44100, 16000}}) {
    SCOPED_TRACE(std::to_string(in_rate) + " -> " + std::to_string(out_rate) + " Hz");
    const std::vector<float> input = Tones({1000.0}, in_rate, 3.0);
    const std::vector<float> output = Resample(input, in_rate, out_rate, Args());
    ASSERT_EQ(output.size(), static_cast<size_t>(3 * out_rate));

    const auto second = static_cast<size_t>(out_rate);
    EXPECT_NEAR(ZeroCrossingFrequency(output, out_rate, second, 2 * second), 1000.0, 0.5);
    const double gain_db = Db(ToneAmplitude(output, out_rate, 1000.0, second, second) / 0.5);
    EXPECT_NEAR(gain_db, 0.0, GetParam().filtered ? 0.1 : 1.0);
    if (!GetParam().filtered) continue;
    // Output sample k must sit at time k / out_rate: any filter delay left
    // in would show as a phase error against the ideal tone.
    double worst = 0.0;
    for (size_t k = second; k < 2 * second; ++k)
      worst =
          std::max(worst, std::abs(output[k] - 0.5 * std::sin(2 * M_PI * 1000.0 * k / out_rate)));
    EXPECT_LT(worst, 1e-3);
  }
}

TEST_P(ResamplerAccuracyTest, OutputLengthIsExactlyRounded) {
  for (const auto& [in_rate, out_rate] :
       {std::pair{48000, 16000}, std::pair{16000, 48000}, std::pair{44100, 16000},
        std::pair{22050, 16000}, std::pair{8000, 44100}}) {
    for (const size_t n : {1u, 2u, 3u, 7u, 100u, 1001u, 44101u}) {
      const std::vector<float> input(n, 0.25f);
      const size_t expected =
          static_cast<size_t>(std::llround(static_cast<double>(n) * out_rate / in_rate));
      EXPECT_EQ(Resample(input, in_rate, out_rate, Args()).size(), expected)
          << n << " samples, " << in_rate << " -> " << out_rate << " Hz";
    }
  }
}

TEST_P(ResamplerAccuracyTest, IsDeterministic) {
  const std::vector<float> input = Tones({440.0, 3000.0}, 44100, 0.5);
  EXPECT_EQ(Resample(input, 44100, 16000, Args()), Resample(input, 44100, 16000, Args()));
}

INSTANTIATE_TEST_SUITE_P(AllConverters, ResamplerAccuracyTest, ::testing::ValuesIn(AllConverters()),
                         ConverterName);

// 7 kHz + 10 kHz at 48 kHz down to 16 kHz: 10 kHz is above the new 8 kHz
// Nyquist frequency and would fold to 16 - 10 = 6 kHz. The filter must
// remove it while passing 7 kHz.
struct AliasCase {
  ResamplerEngine engine;
  const char* quality;
  double min_rejection_db;
};

std::string AliasCaseName(const ::testing::TestParamInfo<AliasCase>& info) {
  return ResamplerEngineName(info.param.engine) + "_" + info.param.quality;
}

class ResamplerAliasTest : public ::testing::TestWithParam<AliasCase> {};

TEST_P(ResamplerAliasTest, SuppressesToneAboveNewNyquist) {
  const AliasCase& c = GetParam();
  const std::vector<float> input = Tones({7000.0, 10000.0}, 48000, 3.0);
  const std::vector<float> output = Resample(input, 48000, 16000, {c.engine, c.quality});
  const double alias = ToneAmplitude(output, 16000, 6000.0, 16000, 16000);
  const double kept = ToneAmplitude(output, 16000, 7000.0, 16000, 16000);
  EXPECT_LT(Db(alias / 0.5), -c.min_rejection_db);
  EXPECT_NEAR(Db(kept / 0.5), 0.0, 0.5);
}

// Thresholds sit 10-20 dB inside each converter's documented stop band:
// soxr medium 16-bit (~96 dB), high 20-bit (~120 dB), very_high 28-bit;
// libsamplerate sinc_medium 97 dB, sinc_best 145 dB.
INSTANTIATE_TEST_SUITE_P(
    FilteredConverters, ResamplerAliasTest,
    ::testing::Values(AliasCase{ResamplerEngine::kSoxr, "medium", 80.0},
                      AliasCase{ResamplerEngine::kSoxr, "high", 100.0},
                      AliasCase{ResamplerEngine::kSoxr, "very_high", 100.0},
                      AliasCase{ResamplerEngine::kLibsamplerate, "sinc_medium", 80.0},
                      AliasCase{ResamplerEngine::kLibsamplerate, "sinc_best", 100.0}),
    AliasCaseName);

TEST(ResamplerTest, EqualRatesReturnACopy) {
  const std::vector<float> input = Tones({1000.0}, 16000, 0.1);
  EXPECT_EQ(Resample(input, 16000, 16000), input);
  EXPECT_EQ(Resample(input, 16000, 16000, {ResamplerEngine::kLibsamplerate, ""}), input);
}

TEST(ResamplerTest, EmptyInputGivesEmptyOutput) {
  EXPECT_TRUE(Resample({}, 48000, 16000).empty());
  EXPECT_TRUE(Resample({}, 16000, 48000, {ResamplerEngine::kLibsamplerate, ""}).empty());
}

TEST(ResamplerTest, UnknownQualityNamesTheAllowedOnes) {
  const std::vector<float> input(100, 0.1f);
  try {
    Resample(input, 16000, 16000, {ResamplerEngine::kSoxr, "best"});
    ADD_FAILURE() << "expected an error even when no conversion is needed";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()),
              "unknown soxr quality 'best'; allowed: quick, low, medium, high, very_high");
  }
  try {
    Resample(input, 48000, 16000, {ResamplerEngine::kLibsamplerate, "high"});
    ADD_FAILURE() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()),
              "unknown libsamplerate quality 'high'; allowed: sinc_best, sinc_medium, "
              "sinc_fastest, zero_order_hold, linear");
  }
}

TEST(ResamplerTest, RejectsBadRates) {
  const std::vector<float> input(100, 0.1f);
  EXPECT_THROW(Resample(input, 0, 16000), Error);
  EXPECT_THROW(Resample(input, 16000, -1), Error);
  // libsamplerate converts by at most a factor of 256.
  EXPECT_THROW(Resample(input, 1000, 300000, {ResamplerEngine::kLibsamplerate, ""}), Error);
}

TEST(ResamplerTest, ParsesEngineNames) {
  EXPECT_EQ(ParseResamplerEngine("soxr"), ResamplerEngine::kSoxr);
  EXPECT_EQ(ParseResamplerEngine("libsamplerate"), ResamplerEngine::kLibsamplerate);
  EXPECT_EQ(ResamplerEngineName(ParseResamplerEngine("libsamplerate")), "libsamplerate");
  EXPECT_THROW(ParseResamplerEngine("sox"), Error);
}

}  // namespace
}  // namespace jsqa
