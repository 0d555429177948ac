// The speech and noise files a synthesis folder was given, accounted for:
// each input file is used or skipped, with its stable code
// (pipeline/base/skip_reason.h), so that input files = used + skipped, by
// reason, per kind and in all.
//
// Skipped files are those the corpus index passed over (only when synth
// indexed [corpus] itself: items read from a prepare folder come after
// prepare's own index, whose skipped.tsv and summary.json count what it
// passed over), the utterances that yield no segment (too short under
// synth.short_policy = skip), and the noise recordings the noise bank left
// out (unreadable, truncated, silent, ...). Segments lost inside a used file
// (a silent stretch, a file truncated after its header) are counted in
// segments by SynthCounts, not here.
//
// Every job of a SLURM array indexes the whole corpus and so sees the same
// files: the folder holds one list (skipped.tsv) and one count
// (manifest.json's "sources"), whichever job writes them, never one per job.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "pipeline/corpus/item_manifest.h"

namespace jsqa {

// Where a synthesis run's items came from, as its caller knows it.
struct SynthInputs {
  // "synth": indexed from [corpus] by the synth command itself (each job of
  // an array alike); "prepare": read from a prepare folder's speech.tsv and
  // noise.tsv (under `run`: summary.json's inputs.prepare names it), which
  // counts the files its index passed over; "" (null in JSON): handed over
  // by code that did not say.
  std::string indexed_by;
  // The files the index passed over, where = "speech: PATH" or "noise: PATH"
  // (prepare's skipped.tsv form); other kinds are ignored.
  std::vector<SkippedEntry> skipped;
};

// The name of the list in the synthesis folder (prepare's columns).
inline constexpr const char kSkippedListName[] = "skipped.tsv";

class SourceLedger {
 public:
  // plan_skipped: speech items the plan gives no segment (where = path).
  SourceLedger(const SynthInputs& inputs, const std::vector<ManifestItem>& speech,
               const std::vector<ManifestItem>& noise, const std::vector<SkippedEntry>& plan_skipped);

  // SHA-256 over the speech and noise items (id, path, header facts, tags):
  // what the shards are made from. Every shard of a folder must come from
  // the same items; sidecars record it so that the manifest can check.
  const std::string& items_sha256() const { return items_sha256_; }
  // Noise recordings the noise bank left out (where = path). A recording
  // already listed (another job's bank, recorded in a sidecar) is not
  // counted again.
  void AddNoiseSkipped(const std::vector<SkippedEntry>& entries);

  // Every skipped file, speech first, where prefixed by its kind.
  std::vector<SkippedEntry> Skipped() const;
  // {"indexed_by", "items_sha256", "skipped_list", "input_files", "used",
  //  "skipped", "skipped_by_reason", "speech": {...}, "noise": {...}}: the
  // per-kind objects hold the same four counts.
  nlohmann::json ToJson() const;
  // Writes dir/skipped.tsv atomically under a name of this process's own
  // (several jobs may write it at once, with the same bytes).
  void WriteSkippedList(const std::string& dir) const;

 private:
  std::string indexed_by_;
  std::string items_sha256_;
  int64_t speech_items_ = 0, noise_items_ = 0;
  // Skipped files of each kind; the last *_dropped_ of them are listed
  // items (plan, noise bank), not used, the rest were never listed.
  std::vector<SkippedEntry> speech_skipped_, noise_skipped_;
  int64_t speech_dropped_ = 0, noise_dropped_ = 0;
};

}  // namespace jsqa
