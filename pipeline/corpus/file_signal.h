// What a decoded file's samples say about it, for prepare's corpus report:
// its ITU-T P.56 active speech level and activity, its long-term level and
// peak, DC offset, source clipping and digital dropouts. Measured on the
// mono signal every later stage reads (augment/audio_io.h: the mean of the
// channels), whole file at its own rate.
//
// signal.tsv (in a prepare folder, when prepare.check = decode):
//   kind  id  active_level_dbov  activity  long_term_dbov  peak_dbfs  dc_offset  clipped_runs  longest_zero_run_s
// one line per indexed file, in the manifests' order; levels of silence are
// "-inf".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "augment/audio_io.h"

namespace jsqa {

struct FileSignal {
  double active_level_db = 0;     // P.56 active speech level, dBov; -inf when nothing is active
  double activity = 0;            // P.56 active fraction of the file, [0, 1]
  double long_term_db = 0;        // RMS over the whole file, dBov; -inf for silence
  double peak_db = 0;             // 20·log10(max |x|), dBFS; -inf for silence
  double dc_offset = 0;           // mean sample value, full scale = 1
  int64_t clipped_runs = 0;       // runs of 3+ full-scale samples (augment/sample_defects.h)
  double longest_zero_run_s = 0;  // the longest run of exact zeros, seconds
};

FileSignal MeasureFileSignal(const Audio& audio);

struct FileSignalRow {
  std::string kind;  // "speech" | "noise" | "nisqa" (CorpusKindName)
  std::string id;    // the item's id in <kind>.tsv
  FileSignal signal;
};

// Written atomically; throws jsqa::Error naming path:line for a malformed
// line when reading.
void WriteFileSignals(const std::string& path, const std::vector<FileSignalRow>& rows);
std::vector<FileSignalRow> ReadFileSignals(const std::string& path);

}  // namespace jsqa
