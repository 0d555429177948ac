// The corpus report of a prepare folder: what a researcher checks before
// spending GPU days on a corpus. Per corpus kind (speech, noise, NISQA) and
// per group within it (LibriSpeech subset, noise environment, NISQA
// database, or the folder a plain file came from): files, hours, sample
// rates, channels, durations; with signal.tsv (prepare.check = decode) also
// the P.56 active speech level and activity, clipping, DC offset and
// dropouts, and the quietest and loudest files by name; then the files
// passed over, by reason code.
//
// report.md holds the text; report-<kind>-<quantity>.png/.svg the
// histograms (pipeline/reports/histogram.h) of duration, active speech
// level and activity per group. Same folder, same bytes: nothing in it
// depends on time, threads or the folder's own path.
#pragma once

#include <string>

namespace jsqa {

// The markdown of report.md for folder (which holds <kind>.tsv manifests,
// skipped.tsv and, when measured, signal.tsv). Throws jsqa::Error naming
// the file for a malformed one.
std::string CorpusReportMarkdown(const std::string& folder);

// Writes folder/report.md and the histograms it links to.
void WriteCorpusReport(const std::string& folder);

}  // namespace jsqa
