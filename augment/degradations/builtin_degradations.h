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
std::unique_ptr<Degradation> MakeReverb();         // reverb.cc
std::unique_ptr<Degradation> MakeOpus();           // opus_codec.cc
std::unique_ptr<Degradation> MakeAmrNb();          // amr_nb_codec.cc
std::unique_ptr<Degradation> MakeAmrWb();          // amr_wb_codec.cc
std::unique_ptr<Degradation> MakeG711();           // g711_codec.cc
std::unique_ptr<Degradation> MakeG722();           // g722_codec.cc
std::unique_ptr<Degradation> MakeG726();           // g726_codec.cc
std::unique_ptr<Degradation> MakeGsmFr();          // gsm_fr_codec.cc

}  // namespace jsqa
