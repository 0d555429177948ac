// Which 20 ms frames a channel loses, by a two-state Gilbert model: in the
// "good" state a frame arrives, in the "bad" state it is lost; p = P(good →
// bad), r = P(bad → good), mean loss rate p / (p + r), mean burst r⁻¹ frames.
//  - random: r = 1 − p, so each frame is lost independently with the rate;
//  - bursty: r = 1/3, losses come in bursts of 3 frames on average (60 ms),
//    as on a congested link (a mean burst length chosen, not measured).
// One uniform draw per frame drives the state, and a pair's two signals get
// the same draws, so their patterns differ only where their rates do: for
// random loss the lower rate's lost frames are a subset of the higher's.
//
// Lost frames are concealed by the codec before `packet_loss` in a chain
// (Opus's PLC, AMR's bad-frame handling, G.711 Appendix I), which then takes
// the pattern as DegradeArgs::lost_frames. Without a codec before it, the
// channel is 16 kHz linear PCM concealed by G.711 Appendix I (spandsp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "augment/counter_rng.h"

namespace jsqa {

enum class LossModel { kRandom, kBursty };

// [frames] flags, 1 = lost; rate in [0, 1).
std::vector<uint8_t> DrawLostFrames(size_t frames, double rate, LossModel model, CounterRng& rng);

// The fraction of frames lost (0 for none).
double LostFraction(const std::vector<uint8_t>& lost);

// Frames of kLossFrameSamples in a signal of `samples` (a partial last frame
// counts).
size_t LossFrameCount(size_t samples);

}  // namespace jsqa
