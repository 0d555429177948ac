#include "stages/prepare_stage.h"

#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include <filesystem>
#include <optional>

#include "augment/audio_io.h"
#include "augment/error.h"
#include "pipeline/corpus_config.h"
#include "pipeline/item_manifest.h"
#include "pipeline/librispeech_layout.h"
#include "pipeline/logging.h"
#include "pipeline/progress.h"
#include "pipeline/run_config.h"

namespace jsqa {
namespace fs = std::filesystem;
namespace {

// Checks one listed file; returns its manifest entry, or fills `reason`.
std::optional<ManifestItem> CheckItem(const CorpusItem& item, const PrepareConfig& config,
                                      std::string& reason) {
  if (item.path.find_first_of("\t\n") != std::string::npos) {
    reason = "path contains a tab or newline";
    return std::nullopt;
  }
  try {
    const AudioInfo info = ProbeAudio(item.path);
    if (config.check == "decode") ReadAudio(item.path);
    if (info.DurationSeconds() < config.min_seconds) {
      reason = "shorter than prepare.min_seconds (" + FormatDouble(info.DurationSeconds()) + " s)";
      return std::nullopt;
    }
    ManifestItem entry{item, info.sample_rate, info.frames, info.channels};
    entry.item.path = fs::absolute(item.path).lexically_normal().string();
    return entry;
  } catch (const Error& e) {
    reason = e.what();
    return std::nullopt;
  }
}

// Probes every listed file in parallel; the manifest keeps the listing's
// order, so it is identical for any thread count.
void IndexCorpus(const std::string& name, CorpusListing listing, const PrepareConfig& config,
                 StageContext& context, std::vector<SkippedEntry>& all_skipped) {
  const size_t count = listing.items.size();
  std::vector<std::optional<ManifestItem>> checked(count);
  std::vector<std::string> reasons(count);
  {
    Progress progress("prepare " + name, static_cast<int64_t>(count), "files");
    tbb::parallel_for(size_t{0}, count, [&](size_t i) {
      checked[i] = CheckItem(listing.items[i], config, reasons[i]);
      progress.Advance();
    });
  }
  std::vector<ManifestItem> items;
  double seconds = 0.0;
  for (size_t i = 0; i < count; ++i) {
    if (checked[i]) {
      seconds += checked[i]->DurationSeconds();
      items.push_back(std::move(*checked[i]));
    } else {
      listing.skipped.push_back({listing.items[i].path, reasons[i]});
    }
  }
  for (const SkippedEntry& entry : listing.skipped)
    JSQA_LOG(kWarn) << "prepare " << name << ": skipped " << entry.where << ": " << entry.reason;
  WriteItemManifest((fs::path(context.out_dir) / (name + ".tsv")).string(), items);
  JSQA_LOG(kInfo) << "prepare " << name << ": " << items.size() << " files, "
                  << FormatDouble(seconds / 3600.0) << " h, " << listing.skipped.size() << " skipped";
  context.summary[name] = {{"files", items.size()},
                           {"hours", seconds / 3600.0},
                           {"skipped", listing.skipped.size()}};
  for (SkippedEntry& entry : listing.skipped) {
    entry.where = name + ": " + entry.where;
    all_skipped.push_back(std::move(entry));
  }
}

}  // namespace

void PrepareConfig::Register(po::options_description& options, const std::string& prefix) {
  const std::string p = prefix + ".";
  options.add_options()
      ((p + "check").c_str(), po::value(&check)->default_value(check),
       "header: read file headers only (fast); decode: decode every file, catching truncation and NaN")
      ((p + "min_seconds").c_str(), po::value(&min_seconds)->default_value(min_seconds),
       "files shorter than this many seconds are skipped");
}

void PrepareConfig::Validate(const std::string& prefix) const {
  RequireOneOf(prefix + ".check", check, {"header", "decode"});
  if (!(min_seconds >= 0.0))
    throw UsageError(prefix + ".min_seconds = " + FormatDouble(min_seconds) + ": allowed: >= 0");
}

std::string PrepareConfig::ToString() const {
  return KeyValueText().Add("check", check).Add("min_seconds", min_seconds).str();
}

void PrepareStage::Run(StageContext& context) const {
  const auto& corpus = context.config.Get<CorpusConfig>("corpus");
  const auto& config = context.config.Get<PrepareConfig>("prepare");
  if (corpus.librispeech_root.empty() && corpus.chime3_backgrounds.empty() && corpus.nisqa_root.empty())
    throw UsageError(
        "prepare: no corpus configured; set corpus.librispeech_root, corpus.chime3_backgrounds "
        "or corpus.nisqa_root");
  tbb::global_control threads(tbb::global_control::max_allowed_parallelism,
                              context.config.Get<RunConfig>("run").Threads());

  std::vector<SkippedEntry> skipped;
  const auto index = [&](const std::string& name, const std::string& root, auto list) {
    if (root.empty()) {
      WriteItemManifest((fs::path(context.out_dir) / (name + ".tsv")).string(), {});
      return;
    }
    IndexCorpus(name, list(), config, context, skipped);
  };
  index("speech", corpus.librispeech_root,
        [&] { return ListLibriSpeech(corpus.librispeech_root, corpus.LibriSpeechSubsets()); });
  index("noise", corpus.chime3_backgrounds,
        [&] { return ListChime3Backgrounds(corpus.chime3_backgrounds, corpus.Chime3()); });
  index("nisqa", corpus.nisqa_root,
        [&] { return ListNisqa(corpus.nisqa_root, corpus.NisqaDbs(), corpus.Nisqa()); });
  WriteSkippedList((fs::path(context.out_dir) / "skipped.tsv").string(), skipped);
  context.summary["skipped_total"] = skipped.size();
}

}  // namespace jsqa
