// reverb: speech played in a simulated shoebox room (image-source method,
// room_impulse_response.h) whose wall absorption is set so that the room's
// clarity C50 is the requested strength.
#include "augment/degradations/reverb.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "augment/degradations/builtin_degradations.h"
#include "augment/fft.h"
#include "pipeline/base/error.h"

namespace jsqa {
namespace {

constexpr double kPi = 3.14159265358979323846;

// Floor sides (length and width) and height (m): from a small office to a
// classroom.
constexpr double kMinLength = 3.0, kMaxLength = 10.0;
constexpr double kMinHeight = 2.5, kMaxHeight = 4.0;
// Talker and listener keep this far from every wall (m), and this far apart.
constexpr double kWallClearance = 0.5;
constexpr double kMinDistance = 0.5, kMaxDistance = 4.0;
// Positions drawn before the fallback placement; in the largest room 37 %
// of the draws are close enough, so 100 draws all fail about once in 10^20.
constexpr int kPlacementDraws = 100;

// The image-source model's cost grows with the number of images within
// the impulse response's reach, (4/3) π (c T)³ / V for length T: at 1.5
// million (about 8 ms here) a 3 x 3 x 2.5 m room gets 0.58 s and a
// 10 x 10 x 4 m room the 1 s ceiling.
constexpr double kImageBudget = 1.5e6;
constexpr double kMaxImpulseLength = 1.0;  // s

// Rooms drawn for one call before giving up: a room is kept when its least
// absorbing walls reach the domain's lowest C50, which 93 % of rooms do.
constexpr int kRoomDraws = 8;

// The bisection stops when the impulse response's C50 is this close to the
// requested strength (dB), about a twentieth of its just-noticeable
// difference (1.1 dB).
constexpr double kC50Tolerance = 0.05;
constexpr int kMaxBisections = 60;

// Source and receiver inside room.size_m, kWallClearance from the walls and
// kMinDistance to kMaxDistance apart.
void PlaceSourceAndReceiver(ShoeboxRoom& room, CounterRng& rng) {
  for (int draw = 0; draw < kPlacementDraws; ++draw) {
    for (int axis = 0; axis < 3; ++axis) {
      room.source_m[axis] = rng.Uniform(kWallClearance, room.size_m[axis] - kWallClearance);
      room.receiver_m[axis] = rng.Uniform(kWallClearance, room.size_m[axis] - kWallClearance);
    }
    const double distance = room.SourceReceiverDistance();
    if (distance >= kMinDistance && distance <= kMaxDistance) return;
  }
  // The receiver kMinDistance from the source towards the middle of the
  // room's length, which is at least 3 m, so it stays clear of the walls.
  room.receiver_m = room.source_m;
  room.receiver_m[0] += room.source_m[0] < room.size_m[0] / 2 ? kMinDistance : -kMinDistance;
}

ShoeboxRoom DrawRoom(CounterRng& rng) {
  ShoeboxRoom room;
  room.size_m = {rng.Uniform(kMinLength, kMaxLength), rng.Uniform(kMinLength, kMaxLength),
                 rng.Uniform(kMinHeight, kMaxHeight)};
  PlaceSourceAndReceiver(room, rng);
  return room;
}

// Impulse response length for the image budget (s).
double ImpulseLength(const ShoeboxRoom& room) {
  const double reach = std::cbrt(3.0 * room.Volume() * kImageBudget / (4.0 * kPi));  // m
  return std::min(kMaxImpulseLength, (reach - room.SourceReceiverDistance()) / kSpeedOfSound);
}

// The least absorption a room is given: the one for which Eyring's T60
// equals the impulse response's length, so that its energy decays by about
// 60 dB before the end (the image-source decay runs slower than Eyring's
// in flat rooms, where it still reaches about 45 dB).
double MinAbsorption(const ShoeboxRoom& room, double length_s) {
  // Eyring: T60 = T_Sabine(alpha = 1) / -ln(1 - alpha).
  return -std::expm1(-SabineT60(room, 1.0) / length_s);
}

double C50Of(const RoomImpulseResponse& response) {
  return MeasureC50Db(response.samples, response.direct_index, kDegradationRate);
}

}  // namespace

ReverbRoom MakeReverbRoom(double c50_db, CounterRng& rng) {
  // Every draw comes before the search, and the test that keeps a room
  // does not depend on the strength: a JND pair's two signals, with the
  // same stream, share room and positions and differ in absorption only.
  std::optional<ImageSourceModel> model;
  double min_absorption = 0.0;
  for (int draw = 0; draw < kRoomDraws && !model; ++draw) {
    const ShoeboxRoom room = DrawRoom(rng);
    const double length_s = ImpulseLength(room);
    ImageSourceModel candidate(room, length_s, kDegradationRate);
    min_absorption = MinAbsorption(room, length_s);
    if (C50Of(candidate.Render(min_absorption)) <= kReverbMinC50Db) model = std::move(candidate);
  }
  JSQA_CHECK(model.has_value(), "reverb: none of ", kRoomDraws, " rooms drawn reaches c50_db = ", kReverbMinC50Db,
             " dB with the longest impulse response allowed");

  // C50 rises with the absorption (less late energy): bisection between
  // the least absorbing walls (C50 at most kReverbMinC50Db) and anechoic
  // ones (the direct sound alone: C50 far above kReverbMaxC50Db).
  ReverbRoom made;
  made.room = model->room();
  double low = min_absorption, high = 1.0;
  made.absorption = low;
  made.response = model->Render(made.absorption);
  made.c50_db = C50Of(made.response);
  for (int step = 0; step < kMaxBisections && std::abs(made.c50_db - c50_db) > kC50Tolerance; ++step) {
    made.absorption = 0.5 * (low + high);
    made.response = model->Render(made.absorption);
    made.c50_db = C50Of(made.response);
    if (made.c50_db < c50_db)
      low = made.absorption;
    else
      high = made.absorption;
  }
  JSQA_CHECK(std::abs(made.c50_db - c50_db) <= kC50Tolerance, "reverb: the search for c50_db = ", c50_db,
             " dB ended at ", made.c50_db, " dB");
  return made;
}

namespace {

class Reverb : public Degradation {
 public:
  std::string name() const override { return "reverb"; }
  StrengthParameter strength() const override { return {"c50_db", "dB", kReverbMinC50Db, kReverbMaxC50Db, {}}; }

  DegradedAudio Apply(const std::vector<float>& input, const DegradeArgs& args, CounterRng& rng) const override {
    CheckStrength(*this, args.strength);
    JSQA_CHECK(!input.empty(), "reverb: the input is empty");
    const ReverbRoom made = MakeReverbRoom(args.strength, rng);
    const RoomImpulseResponse& response = made.response;
    // The impulse response has no propagation delay but starts
    // direct_index samples early (the leading half of the fractional-delay
    // kernels), so dropping that many samples aligns output with input.
    const std::vector<float> convolved = FftConvolve(input, response.samples);
    DegradedAudio out;
    out.samples.assign(convolved.begin() + response.direct_index,
                       convolved.begin() + response.direct_index + input.size());
    out.realised = {
        {"c50_db", made.c50_db},
        {"t60_s", MeasureT60(response.samples, kDegradationRate)},
        {"drr_db", MeasureDrrDb(response.samples, response.direct_index, kDegradationRate)},
        {"wall_absorption", made.absorption},
        {"room_length_m", made.room.size_m[0]},
        {"room_width_m", made.room.size_m[1]},
        {"room_height_m", made.room.size_m[2]},
        {"source_distance_m", made.room.SourceReceiverDistance()},
    };
    return out;
  }
};

}  // namespace

std::unique_ptr<Degradation> MakeReverb() { return std::make_unique<Reverb>(); }

}  // namespace jsqa
