// The room behind the reverb degradation (reverb.cc, MakeReverb()): how a
// call turns its stream and its strength, a clarity C50, into an impulse
// response.
#pragma once

#include "augment/counter_rng.h"
#include "augment/degradations/room_impulse_response.h"

namespace jsqa {

// reverb's strength domain, c50_db (dB): from a reverberant hall (T60
// around 1 s) to a nearly dry booth.
inline constexpr double kReverbMinC50Db = 3.0;
inline constexpr double kReverbMaxC50Db = 30.0;

struct ReverbRoom {
  ShoeboxRoom room;
  double absorption = 0.0;       // of every wall, energy fraction
  RoomImpulseResponse response;  // at kDegradationRate
  double c50_db = 0.0;           // measured on response
};

// Draws a room, its size and the talker's and listener's places from rng,
// then finds the wall absorption whose impulse response has c50_db (in
// [kReverbMinC50Db, kReverbMaxC50Db]) within 0.05 dB. Every draw precedes
// the search and none depends on c50_db, so the same stream gives the same
// room for any strength. Throws jsqa::Error if no room drawn can reach
// kReverbMinC50Db (about once in 10^9 calls: 93 % of rooms do).
ReverbRoom MakeReverbRoom(double c50_db, CounterRng& rng);

}  // namespace jsqa
