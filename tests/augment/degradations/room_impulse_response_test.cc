#include "augment/degradations/room_impulse_response.h"

#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <vector>

#include "pipeline/base/error.h"

namespace jsqa {
namespace {

constexpr int kRate = 16000;

ShoeboxRoom RoomWith(std::array<double, 3> size_m, std::array<double, 3> source_fraction,
                     std::array<double, 3> receiver_fraction) {
  ShoeboxRoom room;
  room.size_m = size_m;
  for (int axis = 0; axis < 3; ++axis) {
    room.source_m[axis] = source_fraction[axis] * size_m[axis];
    room.receiver_m[axis] = receiver_fraction[axis] * size_m[axis];
  }
  return room;
}

double Energy(const std::vector<float>& signal, size_t begin, size_t end) {
  double sum = 0.0;
  for (size_t i = begin; i < end; ++i) sum += static_cast<double>(signal[i]) * signal[i];
  return sum;
}

TEST(RoomMeasures, GiveTheKnownAnswersOfSyntheticResponses) {
  // An exponential decay of 60 dB in 0.4 s: the Schroeder curve of an
  // exponential is the same exponential, so T20 is exact up to rounding.
  std::vector<float> decay(kRate);
  for (size_t i = 0; i < decay.size(); ++i)
    decay[i] = static_cast<float>(std::pow(10.0, -3.0 * static_cast<double>(i) / (0.4 * kRate)));
  EXPECT_NEAR(MeasureT60(decay, kRate), 0.4, 0.4e-3);

  // Direct sound 1 at sample 100, reflections 0.5 at +25 ms and 0.25 at
  // +100 ms: C50 = (1 + 0.25) / 0.0625, DRR = 1 / (0.25 + 0.0625).
  std::vector<float> sparse(4000, 0.0f);
  sparse[100] = 1.0f;
  sparse[100 + 400] = 0.5f;
  sparse[100 + 1600] = 0.25f;
  EXPECT_NEAR(MeasureC50Db(sparse, 100, kRate), 10.0 * std::log10(1.25 / 0.0625), 1e-9);
  EXPECT_NEAR(MeasureDrrDb(sparse, 100, kRate), 10.0 * std::log10(1.0 / 0.3125), 1e-9);
  // The ±2.5 ms window takes in a reflection 2 ms after the direct sound,
  // the first 50 ms one at 49 ms.
  sparse[100 + 32] = 0.5f;
  EXPECT_NEAR(MeasureDrrDb(sparse, 100, kRate), 10.0 * std::log10(1.25 / 0.3125), 1e-9);
  sparse[100 + 784] = 0.5f;
  EXPECT_NEAR(MeasureC50Db(sparse, 100, kRate), 10.0 * std::log10(1.75 / 0.0625), 1e-9);
}

TEST(RoomPredictions, FollowSabineAndEyring) {
  const ShoeboxRoom room = RoomWith({5.0, 4.0, 3.0}, {0.3, 0.3, 0.3}, {0.6, 0.6, 0.6});
  EXPECT_DOUBLE_EQ(room.Volume(), 60.0);
  EXPECT_DOUBLE_EQ(room.SurfaceArea(), 94.0);
  // 0.161 s/m = 24 ln 10 / 343 m/s.
  EXPECT_NEAR(SabineT60(room, 0.2), 0.161 * 60.0 / (94.0 * 0.2), 1e-3);
  EXPECT_NEAR(EyringT60(room, 0.2), 0.161 * 60.0 / (-94.0 * std::log(0.8)), 1e-3);
  // They agree for small absorption and part for large.
  EXPECT_NEAR(EyringT60(room, 0.01) / SabineT60(room, 0.01), 1.0, 0.01);
  EXPECT_LT(EyringT60(room, 0.5), 0.75 * SabineT60(room, 0.5));
  EXPECT_THROW(SabineT60(room, 0.0), Error);
}

// The image-source model with one reflection coefficient is Eyring's
// assumption made literal: each reflection keeps 1 - alpha of the energy,
// and the images' mean reflection count per metre is S / 4V. Its decay runs
// slightly slower (directions meeting fewer walls decay slower, and in a
// specular box they never mix), so T20 lands a few per cent above Eyring's
// T60 in a near-cubic room. Sabine's, lacking -ln(1 - alpha), is 25 % off
// at alpha = 0.5. As ISO 3382-1 asks, T20 is averaged over positions.
TEST(RoomImpulseResponse, ReverberationTimeFollowsEyringInNearCubicRooms) {
  const std::vector<std::array<std::array<double, 3>, 2>> positions = {
      {{{0.35, 0.3, 0.4}, {0.7, 0.6, 0.55}}},
      {{{0.25, 0.6, 0.3}, {0.6, 0.35, 0.5}}},
      {{{0.5, 0.5, 0.5}, {0.3, 0.7, 0.4}}},
  };
  for (const std::array<double, 3> size : {std::array<double, 3>{5.0, 4.5, 4.0}, {3.5, 3.2, 2.8}}) {
    for (const double absorption : {0.2, 0.3, 0.4, 0.5}) {
      double sum = 0.0;
      for (const auto& [source, receiver] : positions) {
        const ShoeboxRoom room = RoomWith(size, source, receiver);
        // 0.8 Eyring T60 holds about 45 dB of the decay, past T20's -25 dB.
        const ImageSourceModel model(room, 0.8 * EyringT60(room, absorption), kRate);
        sum += MeasureT60(model.Render(absorption).samples, kRate);
      }
      const double measured = sum / positions.size();
      const ShoeboxRoom room = RoomWith(size, positions[0][0], positions[0][1]);
      const double eyring = EyringT60(room, absorption), sabine = SabineT60(room, absorption);
      SCOPED_TRACE(::testing::Message() << size[0] << " x " << size[1] << " x " << size[2] << " m, alpha " << absorption
                                        << ": T20 " << measured << " s, Eyring " << eyring << " s, Sabine " << sabine
                                        << " s");
      EXPECT_NEAR(measured / eyring, 1.0, 0.10);
      if (absorption >= 0.4) {
        EXPECT_LT(std::abs(measured - eyring), std::abs(measured - sabine));
      }
    }
  }
}

// The DTFT of signal at hz.
std::complex<double> SpectrumAt(const std::vector<float>& signal, double hz) {
  std::complex<double> sum = 0.0;
  const double omega = 2.0 * 3.14159265358979323846 * hz / kRate;
  for (size_t i = 0; i < signal.size(); ++i) sum += static_cast<double>(signal[i]) * std::polar(1.0, -omega * i);
  return sum;
}

// The first reflection of a source 1 m above the floor, heard 1 m away at
// the same height, comes from its floor image 2 sqrt(1.25) m away: 1.236 m
// (57.66 samples) after the direct sound, with 1 / 2.236 of its amplitude,
// and the next arrives metres later. From 1 to 6.5 kHz its fractional-
// delay kernel is that delay and that gain: the reflection's spectrum over
// the direct sound's is 0.447 e^{-j omega 57.66}. (The ratio cancels the
// 50 Hz high-pass both went through, except below about 1 kHz, where
// their tails, cut at different lengths, still count; towards 8 kHz every
// fractional delay rolls off, a half-sample one having a zero there.)
TEST(RoomImpulseResponse, PlacesAReflectionAtItsFractionalDelayAndAmplitude) {
  ShoeboxRoom room;
  room.size_m = {10.0, 10.0, 10.0};
  room.source_m = {5.0, 5.0, 1.0};
  room.receiver_m = {5.0, 6.0, 1.0};
  const ImageSourceModel model(room, 0.02, kRate);
  // alpha 1 leaves the direct sound alone; alpha 0 minus that, the
  // reflections alone.
  const RoomImpulseResponse all = model.Render(0.0), direct = model.Render(1.0);
  ASSERT_EQ(all.direct_index, ImageSourceModel::kKernelHalfWidth);
  std::vector<float> reflections(all.samples.size());
  for (size_t i = 0; i < reflections.size(); ++i)
    reflections[i] = all.samples[i] - (i < direct.samples.size() ? direct.samples[i] : 0.0f);

  const double image_distance = 2.0 * std::sqrt(1.25);
  const double delay = (image_distance - 1.0) * kRate / kSpeedOfSound;  // samples
  for (double hz = 1000.0; hz <= 6500.0; hz += 250.0) {
    SCOPED_TRACE(hz);
    const std::complex<double> ratio = SpectrumAt(reflections, hz) / SpectrumAt(direct.samples, hz);
    const double omega = 2.0 * 3.14159265358979323846 * hz / kRate;
    const std::complex<double> undelayed = ratio * std::polar(1.0, omega * delay);
    EXPECT_NEAR(std::abs(undelayed), 1.0 / image_distance, 0.003);
    EXPECT_NEAR(std::arg(undelayed) / omega, 0.0, 0.01) << "delay error in samples";
  }

  // The direct sound: a unit impulse at direct_index, high-passed (which
  // takes 1.4 % off that sample and spreads 0.3 % of its energy over the
  // next 10 ms).
  EXPECT_NEAR(direct.samples[direct.direct_index], 1.0, 0.015);
  EXPECT_EQ(Energy(direct.samples, 0, direct.direct_index), 0.0);
  EXPECT_NEAR(MeasureDrrDb(direct.samples, direct.direct_index, kRate), 25.0, 1.0);
}

TEST(RoomImpulseResponse, EndsWhenItsEnergyHasDecayedBySixtyDecibelsOrAtTheCap) {
  const ShoeboxRoom room = RoomWith({6.0, 5.0, 3.0}, {0.3, 0.4, 0.5}, {0.6, 0.5, 0.4});
  const ImageSourceModel long_model(room, 0.5, kRate), short_model(room, 0.3, kRate);
  // alpha 0.1: Eyring T60 1.1 s, so the 0.5 s cap ends it.
  EXPECT_GT(long_model.Render(0.1).samples.size(), static_cast<size_t>(0.49 * kRate));
  // alpha 0.6: T60 0.13 s; its decay ends it, wherever the cap is, and the
  // images beyond the shorter cap add nothing to what is kept.
  const std::vector<float> dry = long_model.Render(0.6).samples;
  EXPECT_LT(dry.size(), static_cast<size_t>(0.25 * kRate));
  const std::vector<float> same = short_model.Render(0.6).samples;
  ASSERT_EQ(same.size(), dry.size());
  for (size_t i = 0; i < dry.size(); ++i) ASSERT_NEAR(same[i], dry[i], 1e-6f) << "sample " << i;
}

TEST(RoomImpulseResponse, RefusesPositionsOutsideTheRoom) {
  ShoeboxRoom room;
  room.size_m = {4.0, 4.0, 3.0};
  room.source_m = {1.0, 1.0, 1.0};
  room.receiver_m = {2.0, 5.0, 1.0};
  EXPECT_THROW(ImageSourceModel(room, 0.1, kRate), Error);
  room.receiver_m = room.source_m;
  EXPECT_THROW(ImageSourceModel(room, 0.1, kRate), Error);
}

}  // namespace
}  // namespace jsqa
