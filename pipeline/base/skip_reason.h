// Why an input item (an audio file, a CSV row, a file of a corpus layout) is
// passed over: a stable code, carried with the error that caused it and
// written to skipped.tsv and summary.json. Counts are keyed by the code, not
// by message text, so rewording a message never moves them.
#pragma once

#include <exception>
#include <string>

#include "pipeline/base/error.h"

namespace jsqa {

// The codes are part of the output format (README "Bad input"): add new
// ones, never rename one.
enum class SkipReason {
  kUnreadable,      // "unreadable": cannot be opened or decoded as audio
  kEmpty,           // "empty": a header with no audio frames
  kTruncated,       // "truncated": fewer frames than the header claims
  kNonFinite,       // "non_finite": a NaN or Inf sample
  kSilent,          // "silent": all-zero speech segment or noise recording
  kTooShort,        // "too_short": under prepare.min_seconds or one synth segment
  kChanged,         // "changed": differs from prepare's manifest
  kMissingChannel,  // "missing_channel": audio.channel beyond the file's channels
  kMissingFile,     // "missing_file": a listed file that does not exist
  kBadPath,         // "bad_path": a tab or newline in the path
  kOutsideRoot,     // "outside_root": a NISQA path leaving the corpus root
  kBadMos,          // "bad_mos": a MOS that is not a number in [1, 5]
  kBadRow,          // "bad_row": a CSV row missing a required field
  kNotInLayout,     // "not_in_layout": a file or folder the corpus layout has no place for
  kNoTranscript,    // "no_transcript": a LibriSpeech utterance its trans.txt does not list
  kDuplicateId,     // "duplicate_id": the id of an item listed before (e.g. x.wav and x.flac)
  kQuietSpeech,     // "quiet_speech": a speech segment's P.56 active level under jnd.min_speech_level
  kMostlySilence,   // "mostly_silence": a speech segment active less than jnd.min_speech_activity of the time
  kGainTooLarge,    // "gain_too_large": the level rule would amplify the speech by more than jnd.max_gain_db
  kDropouts,        // "dropouts": a noise recording mostly made of digital dropouts (runs of exact zeros)
  kClipped,         // "clipped": speech clipped at the source, skipped with jnd.skip_clipped_speech
  kOverDataCap,     // "over_data_cap": speech left out to keep under synth.max_speech_hours
  kOther,           // "other": any other error while reading the item
};

inline const char* SkipReasonCode(SkipReason reason) {
  switch (reason) {
    case SkipReason::kUnreadable: return "unreadable";
    case SkipReason::kEmpty: return "empty";
    case SkipReason::kTruncated: return "truncated";
    case SkipReason::kNonFinite: return "non_finite";
    case SkipReason::kSilent: return "silent";
    case SkipReason::kTooShort: return "too_short";
    case SkipReason::kChanged: return "changed";
    case SkipReason::kMissingChannel: return "missing_channel";
    case SkipReason::kMissingFile: return "missing_file";
    case SkipReason::kBadPath: return "bad_path";
    case SkipReason::kOutsideRoot: return "outside_root";
    case SkipReason::kBadMos: return "bad_mos";
    case SkipReason::kBadRow: return "bad_row";
    case SkipReason::kNotInLayout: return "not_in_layout";
    case SkipReason::kNoTranscript: return "no_transcript";
    case SkipReason::kDuplicateId: return "duplicate_id";
    case SkipReason::kQuietSpeech: return "quiet_speech";
    case SkipReason::kMostlySilence: return "mostly_silence";
    case SkipReason::kGainTooLarge: return "gain_too_large";
    case SkipReason::kDropouts: return "dropouts";
    case SkipReason::kClipped: return "clipped";
    case SkipReason::kOverDataCap: return "over_data_cap";
    case SkipReason::kOther: return "other";
  }
  return "other";
}

// A jsqa::Error about one input item, with the code its skip is counted
// under. Callers that catch Error still catch it; those that skip items
// read the code instead of parsing the message.
class SkipError : public Error {
 public:
  SkipError(SkipReason reason, const std::string& message) : Error(message), reason_(reason) {}
  SkipReason reason() const { return reason_; }

 private:
  SkipReason reason_;
};

// The code an error carries: a SkipError's own, kOther for any other error.
inline SkipReason SkipReasonOf(const std::exception& error) {
  const auto* skip = dynamic_cast<const SkipError*>(&error);
  return skip ? skip->reason() : SkipReason::kOther;
}

}  // namespace jsqa
