// A prior for SNR JND judgments from published human thresholds, used to
// make the default JND SVM reproducibly when no listening-test data is at
// hand.
//
// McShefferty, Whitmer & Akeroyd (2015, Trends in Hearing 19): SNR JND of
// 2.9 dB at 0 dB SNR and 3.5 dB at +6 dB (≈3 dB overall). We interpolate the
// threshold linearly in SNR (clamped to [2.5, 4.5] dB outside the measured
// range) and model P(heard as the same | Δ) as a cumulative Gaussian falling
// through 50 % at the threshold with a spread of 1 dB.
#pragma once

namespace jsqa {

// P(heard as the same) for a difference delta of a dimension whose
// published JND is jnd (in the same unit): the same cumulative Gaussian,
// falling through 50 % at the JND with a spread of a third of it (the
// SNR's 1 dB at 3 dB). The prior of C50 pairs (Bradley et al. 1999).
double PublishedJndSameProbability(double jnd, double delta);

// JND threshold in dB at base SNR snr_db.
double JndThresholdDb(double snr_db);
// P(heard as the same) for an SNR difference delta_db at base SNR snr_db.
double JndSameProbability(double snr_db, double delta_db);

}  // namespace jsqa
