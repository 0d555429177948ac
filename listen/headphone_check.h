// The antiphase headphone screening test of Woods, Siegel, Traer & McDermott
// (2017, Attention, Perception & Psychophysics 79:2064–2072).
//
// Each trial plays three 200 Hz tones of 1000 ms (raised-cosine on and off
// ramps of 100 ms): one in phase at 0 dB, one in antiphase between the two
// channels (left = -right) at 0 dB, and one in phase at -6 dB, in a random
// order; the listener picks the softest. Over loudspeakers the two channels
// of the antiphase tone largely cancel in the air, so it sounds softest and
// loudspeaker listeners answer wrongly; over headphones the -6 dB tone is
// the softest. The standard test is 6 trials, passed with >= 5 correct
// (see listen/screening.h).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace jsqa {

enum class HeadphoneTone {
  kInPhase,    // both channels equal, 0 dB
  kQuieter,    // both channels equal, half the amplitude (-6.02 dB)
  kAntiphase,  // right = -left, 0 dB
};

constexpr double kHeadphoneToneHz = 200.0;
constexpr double kHeadphoneToneSeconds = 1.0;
constexpr double kHeadphoneRampSeconds = 0.1;
// Amplitude of the quieter tone relative to the others: the paper's -6 dB,
// exactly -20·log10(2) = -6.02 dB.
constexpr double kHeadphoneQuieterGain = 0.5;

// Interleaved stereo [frames * 2] (L, R, L, R, ...), frames = sample_rate ·
// 1 s, floats in [-1, 1]. The 0 dB tones have peak amplitude
// 10^(level_dbfs / 20) (full scale = 1.0), the quieter one half of that. The
// sine starts at phase 0 and the envelope is 0.5 · (1 - cos(π · i / R)) over
// the first R = sample_rate · 0.1 s frames and its mirror image over the last
// R, 1 in between. Throws UsageError for sample_rate outside
// [8000, 384000] Hz or level_dbfs not finite and <= 0.
std::vector<float> HeadphoneCheckTone(HeadphoneTone tone, int sample_rate,
                                      double level_dbfs = -12.0);

// The order of the three tones in trial `trial` (>= 0, UsageError otherwise)
// of a listener: a uniform permutation (Fisher–Yates) drawn from
// CounterRng(seed, MixKeys(listener_key, trial)), so the server can recompute
// it from the seed, the listener and the trial number alone.
std::array<HeadphoneTone, 3> HeadphoneTrialOrder(uint64_t seed, uint64_t listener_key, int trial);

// The correct answer of an order: the position (0, 1 or 2) of kQuieter.
// Throws jsqa::Error when the order holds kQuieter other than once.
int HeadphoneCorrectChoice(const std::array<HeadphoneTone, 3>& order);

}  // namespace jsqa
