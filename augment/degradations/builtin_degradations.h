// The factories of the built-in degradations, one per file of this folder;
// BuiltinDegradations() registers each under its name.
#pragma once

#include <memory>

#include "augment/degradations/degradation.h"

namespace jsqa {

std::unique_ptr<Degradation> MakeWhiteNoise();     // white_noise.cc
std::unique_ptr<Degradation> MakeMnru();           // mnru.cc
std::unique_ptr<Degradation> MakeClipping();       // clipping.cc
std::unique_ptr<Degradation> MakeLowpass();        // band_limit.cc
std::unique_ptr<Degradation> MakeHighpass();       // band_limit.cc
std::unique_ptr<Degradation> MakeBandpass();       // band_limit.cc
std::unique_ptr<Degradation> MakeTimeClipping();   // time_clipping.cc
std::unique_ptr<Degradation> MakePacketLoss();     // packet_loss.cc
std::unique_ptr<Degradation> MakeBurstyPacketLoss();  // packet_loss.cc

}  // namespace jsqa
