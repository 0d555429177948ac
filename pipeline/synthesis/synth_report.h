// The report of a complete synthesis folder: DIR/report.md with its
// histograms DIR/report-*.png and .svg beside it. It says what was made
// (pairs, shards, seed, rate, segment, level rule, SNR mode, SVM model),
// per noise environment the draws, acceptance and realised SNR and Δ, the
// draws per pair, the segments lost, and the input files used and skipped.
// Everything in it is a function of the folder's shards and manifest, so it
// is the same bytes for any thread count or split into jobs.
#pragma once

#include <string>

namespace jsqa {

// The text of folder/report.md, computed from folder/manifest.json and the
// shards (their metadata, no audio). Throws jsqa::Error naming the folder
// when it is not complete, or a shard that cannot be read.
std::string SynthReportMarkdown(const std::string& folder);

// Writes the plots, then folder/report.md, each atomically (temporary file,
// then rename). Throws jsqa::Error naming the file that cannot be written.
void WriteSynthReport(const std::string& folder);

}  // namespace jsqa
