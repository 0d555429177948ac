// The speech codecs on real speech (3 s of a LibriVox clip at 16 kHz), at
// every level (four bitrates for Opus): exact frame sizes and bitrates, time
// alignment, closeness to the input, determinism, and concealment of lost
// frames. Each figure asserted is stated beside its codec in Cases(); the
// test prints what it measured ("[ codec    ]" lines).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstring>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "augment/audio_io.h"
#include "augment/degradations/degradation_registry.h"
#include "augment/degradations/packet_loss.h"
#include "augment/fft.h"
#include "pipeline/base/error.h"
#include "tests/test_support.h"

namespace jsqa {
namespace {

// 150 frames of 20 ms, so that one frame in ten is exactly 10 % of them.
constexpr size_t kSpeechSamples = 3 * kDegradationRate;

const std::vector<float>& Speech() {
  static const std::vector<float> speech = [] {
    std::vector<float> clip = ReadAudio(testing::LibrivoxClips()[0]).samples;
    clip.resize(kSpeechSamples);
    return clip;
  }();
  return speech;
}

// Frames 3, 13, 23, ...: one in ten, the first 60 ms in (during speech).
constexpr size_t kFirstLostFrame = 3;
std::vector<uint8_t> EveryTenthFrameLost() {
  std::vector<uint8_t> lost(LossFrameCount(kSpeechSamples), 0);
  for (size_t frame = kFirstLostFrame; frame < lost.size(); frame += 10) lost[frame] = 1;
  return lost;
}

struct Passband {
  double low_hz;
  double high_hz;
};
constexpr Passband kNarrowband = {300.0, 3400.0};
constexpr Passband kWideband = {100.0, 7000.0};

struct Level {
  double strength;
  // Bytes of every encoded 20 ms frame: the mode's bits, plus for AMR the
  // one-byte storage-format header and padding to whole bytes (RFC 4867).
  int frame_bytes;
  // The SNR of the output against the input, both limited to the codec's
  // passband, must exceed this (dB): measured, less about 1 dB.
  double min_band_snr_db;
};

struct CodecCase {
  std::string name;
  std::vector<Level> levels;  // ascending strength
  Passband passband;
  // Levels are bitrates, so each must come closer to the input than the
  // one below (G.711's two laws are not).
  bool levels_are_bitrates;
  // Runs at 8 kHz: its output is brought back to 16 kHz by a linear-phase
  // filter, which spreads a lost frame's change a little back in time.
  bool narrowband;
  // Energy of the output in the lost frames over the loss-free output's
  // there: concealment is not silence (measured, halved or so).
  double min_concealed_energy_ratio;
  // Delay removed, in samples at 16 kHz.
  double delay_samples;
};

void PrintTo(const CodecCase& codec, std::ostream* out) { *out << codec.name; }

const std::vector<CodecCase>& Cases() {
  static const std::vector<CodecCase> cases = {
      // Hard CBR: bitrate · 20 ms / 8 bits a byte.
      {"opus", {{6, 15, 1.5}, {12, 30, 5}, {24, 60, 5.5}, {48, 120, 6}}, kWideband, true, false, 0.3, 104},
      // 95, 103, 118, 134, 148, 159, 204, 244 bits.
      {"amr_nb",
       {{4.75, 13, 5},
        {5.15, 14, 5.5},
        {5.9, 16, 5.5},
        {6.7, 18, 6},
        {7.4, 20, 7},
        {7.95, 21, 6.5},
        {10.2, 27, 6.5},
        {12.2, 32, 6.5}},
       kNarrowband,
       true,
       true,
       0.25,
       80},
      // 132, 177, 253, 285, 317, 365, 397, 461, 477 bits.
      {"amr_wb",
       {{6.6, 18, 4},
        {8.85, 24, 4.5},
        {12.65, 33, 5.5},
        {14.25, 37, 6},
        {15.85, 41, 6},
        {18.25, 47, 6},
        {19.85, 51, 6},
        {23.05, 59, 6},
        {23.85, 61, 6}},
       kWideband,
       true,
       false,
       0.06,
       95},
      // One byte a sample at 8 kHz.
      {"g711", {{0, 160, 34.5}, {1, 160, 34.5}}, kNarrowband, false, true, 0.25, 0},
      // 6, 7 or 8 bits per pair of 16 kHz samples.
      {"g722", {{48, 120, 24}, {56, 140, 29}, {64, 160, 32}}, kWideband, true, false, 0.15, 22},
      // 2 to 5 bits a sample at 8 kHz.
      {"g726", {{16, 40, 12}, {24, 60, 16}, {32, 80, 20}, {40, 100, 24}}, kNarrowband, true, true, 0.15, 0},
      // 260 bits and a 4-bit signature.
      {"gsm_fr", {{13, 33, 9}}, kNarrowband, true, true, 0.25, 0},
  };
  return cases;
}

double RealisedValue(const DegradedAudio& audio, const std::string& name) {
  for (const Realised& each : audio.realised)
    if (each.name == name) return each.value;
  ADD_FAILURE() << "no realised " << name;
  return std::nan("");
}

DegradedAudio Degrade(const std::string& codec, double strength, const std::vector<uint8_t>& lost = {}) {
  CounterRng rng(1, 2);
  return BuiltinDegradations().Get(codec).Apply(Speech(), {strength, lost}, rng);
}

// The loss-free output of each codec and level, made once for all tests.
const DegradedAudio& LossFree(const std::string& codec, double strength) {
  static std::map<std::pair<std::string, double>, DegradedAudio> outputs;
  const auto key = std::make_pair(codec, strength);
  auto found = outputs.find(key);
  if (found == outputs.end()) found = outputs.emplace(key, Degrade(codec, strength)).first;
  return found->second;
}

// The lag (samples) in [-max_lag, max_lag] where Σ x[i] · y[i + lag] peaks:
// positive when y is late.
int PeakLag(const std::vector<float>& x, const std::vector<float>& y, int max_lag) {
  int best_lag = 0;
  double best = -INFINITY;
  for (int lag = -max_lag; lag <= max_lag; ++lag) {
    double sum = 0.0;
    for (size_t i = std::max(0, -lag); i < x.size() && i + lag < y.size(); ++i)
      sum += static_cast<double>(x[i]) * y[i + lag];
    if (sum > best) {
      best = sum;
      best_lag = lag;
    }
  }
  return best_lag;
}

// Zero-phase brick-wall band-pass through one whole-signal transform, with
// 256 ms of zeros after the signal to take the wrap-around.
std::vector<float> LimitToBand(const std::vector<float>& signal, Passband band) {
  const RealFft fft(FastFftLength(static_cast<int>(signal.size()) + 4096));
  std::vector<std::complex<float>> spectrum;
  fft.Forward(signal, spectrum);
  for (size_t k = 0; k < spectrum.size(); ++k) {
    const double hz = static_cast<double>(k) * kDegradationRate / fft.length();
    if (hz < band.low_hz || hz > band.high_hz) spectrum[k] = 0.0f;
  }
  std::vector<float> limited;
  fft.Inverse(spectrum, limited);
  limited.resize(signal.size());
  return limited;
}

double SnrDb(const std::vector<float>& reference, const std::vector<float>& output) {
  double signal = 0.0;
  double error = 0.0;
  for (size_t i = 0; i < reference.size(); ++i) {
    const double difference = static_cast<double>(output[i]) - reference[i];
    signal += static_cast<double>(reference[i]) * reference[i];
    error += difference * difference;
  }
  return 10.0 * std::log10(signal / error);
}

// The waveform SNR inside the codec's passband: the recording's rumble
// below 100 Hz (a fifth of its energy) and the band a narrowband codec
// drops would otherwise decide it.
double BandSnrDb(const std::vector<float>& input, const std::vector<float>& output, Passband band) {
  return SnrDb(LimitToBand(input, band), LimitToBand(output, band));
}

// The SNR of short-time magnitude spectra (32 ms Hann frames, 16 ms hop)
// inside the passband: Σ|X|² / Σ(|X| − |Y|)². It ranks a codec's bitrates
// where the waveform SNR cannot: CELP codecs (AMR, Opus's SILK) match the
// waveform only loosely, their postfilters reshape its phase, and their
// waveform SNR moves by tenths of a dB between modes, in no order.
double SpectralSnrDb(const std::vector<float>& input, const std::vector<float>& output, Passband band) {
  const PowerSpectrum spectrum(512);
  std::vector<float> input_power;
  std::vector<float> output_power;
  double signal = 0.0;
  double error = 0.0;
  for (size_t start = 0; start + 512 <= input.size(); start += 256) {
    spectrum.Compute(&input[start], input_power);
    spectrum.Compute(&output[start], output_power);
    for (int k = 0; k < spectrum.bins(); ++k) {
      const double hz = static_cast<double>(k) * kDegradationRate / 512;
      if (hz < band.low_hz || hz > band.high_hz) continue;
      const double difference = std::sqrt(input_power[k]) - std::sqrt(output_power[k]);
      signal += input_power[k];
      error += difference * difference;
    }
  }
  return 10.0 * std::log10(signal / error);
}

double EnergyInFrames(const std::vector<float>& signal, const std::vector<uint8_t>& frames) {
  double energy = 0.0;
  for (size_t i = 0; i < signal.size(); ++i)
    if (frames[i / kLossFrameSamples]) energy += static_cast<double>(signal[i]) * signal[i];
  return energy;
}

std::string LevelName(const CodecCase& codec, const Level& level) {
  std::ostringstream text;
  text << codec.name << " at " << level.strength;
  return text.str();
}

class CodecTest : public ::testing::TestWithParam<CodecCase> {};

TEST_P(CodecTest, IsRegisteredWithItsLevelsAndConcealsLoss) {
  const Degradation& codec = BuiltinDegradations().Get(GetParam().name);
  EXPECT_TRUE(codec.conceals_loss());
  if (GetParam().name == "opus") {
    EXPECT_EQ(codec.strength().min, 6.0);
    EXPECT_EQ(codec.strength().max, 48.0);
    EXPECT_TRUE(codec.strength().levels.empty());
    return;
  }
  std::vector<double> strengths;
  for (const Level& level : GetParam().levels) strengths.push_back(level.strength);
  EXPECT_EQ(codec.strength().levels, strengths);
}

TEST_P(CodecTest, EveryFrameHoldsExactlyTheModesBytes) {
  for (const Level& level : GetParam().levels) {
    SCOPED_TRACE(LevelName(GetParam(), level));
    const DegradedAudio& out = LossFree(GetParam().name, level.strength);
    EXPECT_EQ(RealisedValue(out, "frame_bytes_min"), level.frame_bytes);
    EXPECT_EQ(RealisedValue(out, "frame_bytes_max"), level.frame_bytes);
    // Every frame the same size: the bitrate is one frame's bits over 20 ms.
    EXPECT_DOUBLE_EQ(RealisedValue(out, "bitrate_kbps"), level.frame_bytes * 8 / 20.0);
  }
}

TEST_P(CodecTest, OutputIsTimeAlignedWithTheInput) {
  for (const Level& level : GetParam().levels) {
    SCOPED_TRACE(LevelName(GetParam(), level));
    const DegradedAudio& out = LossFree(GetParam().name, level.strength);
    ASSERT_EQ(out.samples.size(), Speech().size());
    const int lag = PeakLag(Speech(), out.samples, 200);
    std::cout << "[ codec    ] " << LevelName(GetParam(), level) << ": lag " << lag << " samples after removing "
              << RealisedValue(out, "delay_samples") << "\n";
    EXPECT_EQ(RealisedValue(out, "delay_samples"), GetParam().delay_samples);
    RecordProperty(GetParam().name + "_" + std::to_string(level.strength) + "_lag", lag);
    EXPECT_LE(std::abs(lag), 2);
  }
}

TEST_P(CodecTest, OutputIsCloseToTheInputAndCloserAtHigherBitrates) {
  double lower_spectral_snr_db = -INFINITY;
  for (const Level& level : GetParam().levels) {
    SCOPED_TRACE(LevelName(GetParam(), level));
    const std::vector<float>& out = LossFree(GetParam().name, level.strength).samples;
    const double band_snr_db = BandSnrDb(Speech(), out, GetParam().passband);
    const double spectral_snr_db = SpectralSnrDb(Speech(), out, GetParam().passband);
    std::cout << "[ codec    ] " << LevelName(GetParam(), level) << ": in-band SNR " << band_snr_db
              << " dB, spectral SNR " << spectral_snr_db << " dB, full-band SNR " << SnrDb(Speech(), out)
              << " dB\n";
    EXPECT_GT(band_snr_db, level.min_band_snr_db);
    if (GetParam().levels_are_bitrates) {
      EXPECT_GT(spectral_snr_db, lower_spectral_snr_db);
    }
    lower_spectral_snr_db = spectral_snr_db;
  }
}

TEST_P(CodecTest, IsDeterministic) {
  for (const Level& level : GetParam().levels) {
    SCOPED_TRACE(LevelName(GetParam(), level));
    const DegradedAudio again = Degrade(GetParam().name, level.strength);
    const std::vector<float>& first = LossFree(GetParam().name, level.strength).samples;
    ASSERT_EQ(again.samples.size(), first.size());
    EXPECT_EQ(std::memcmp(again.samples.data(), first.data(), first.size() * sizeof(float)), 0);
  }
}

TEST_P(CodecTest, ConcealsLostFramesFromTheirStartOn) {
  const std::vector<uint8_t> lost = EveryTenthFrameLost();
  const size_t first_lost_sample = kFirstLostFrame * kLossFrameSamples;
  // 4 ms: how far back the 8 kHz → 16 kHz filter spreads a change by more
  // than 1e-4 (−80 dBFS); measured up to 49 samples.
  const size_t spread_samples = GetParam().narrowband ? 64 : 0;
  const double spread_tolerance = GetParam().narrowband ? 1e-4 : 0.0;
  for (const Level& level : GetParam().levels) {
    SCOPED_TRACE(LevelName(GetParam(), level));
    const std::vector<float>& loss_free = LossFree(GetParam().name, level.strength).samples;
    const DegradedAudio out = Degrade(GetParam().name, level.strength, lost);
    ASSERT_EQ(out.samples.size(), loss_free.size());
    EXPECT_DOUBLE_EQ(RealisedValue(out, "lost_frames"), 0.1);

    // Before the first lost frame, the same output (but for the spread).
    size_t first_difference = loss_free.size();
    for (size_t i = 0; i < loss_free.size(); ++i)
      if (std::abs(out.samples[i] - loss_free[i]) > spread_tolerance) {
        first_difference = i;
        break;
      }
    const double ratio = EnergyInFrames(out.samples, lost) / EnergyInFrames(loss_free, lost);
    std::cout << "[ codec    ] " << LevelName(GetParam(), level) << ": output departs at sample "
              << first_difference << " (lost frame from " << first_lost_sample << "), concealed energy ratio "
              << ratio << "\n";
    EXPECT_GE(first_difference + spread_samples, first_lost_sample);
    EXPECT_LT(first_difference, first_lost_sample + kLossFrameSamples);
    EXPECT_GT(ratio, GetParam().min_concealed_energy_ratio);
  }
}

TEST_P(CodecTest, RejectsAStrengthOutsideItsDomainNamingTheCodec) {
  const Degradation& codec = BuiltinDegradations().Get(GetParam().name);
  std::vector<double> outside = {codec.strength().min - 1.0, codec.strength().max + 1.0, std::nan("")};
  // Between two modes.
  if (!codec.strength().levels.empty() && GetParam().levels.size() > 1)
    outside.push_back((GetParam().levels[0].strength + GetParam().levels[1].strength) / 2);
  for (const double strength : outside) {
    CounterRng rng(1, 2);
    try {
      codec.Apply(Speech(), {strength, {}}, rng);
      ADD_FAILURE() << "no error for " << strength;
    } catch (const Error& error) {
      EXPECT_EQ(std::string(error.what()).rfind(GetParam().name + ":", 0), 0u) << error.what();
    }
  }
}

TEST_P(CodecTest, RejectsLostFramesOfTheWrongLength) {
  const Degradation& codec = BuiltinDegradations().Get(GetParam().name);
  CounterRng rng(1, 2);
  const std::vector<uint8_t> too_few(LossFrameCount(kSpeechSamples) - 1, 0);
  try {
    codec.Apply(Speech(), {GetParam().levels[0].strength, too_few}, rng);
    ADD_FAILURE() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()).rfind(GetParam().name + ": lost_frames", 0), 0u) << error.what();
  }
}

std::string CodecName(const ::testing::TestParamInfo<CodecCase>& codec) { return codec.param.name; }

INSTANTIATE_TEST_SUITE_P(AllCodecs, CodecTest, ::testing::ValuesIn(Cases()), CodecName);

}  // namespace
}  // namespace jsqa
