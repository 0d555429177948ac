#include "stages/prepare_stage.h"

#include <filesystem>
#include <map>

#include "pipeline/base/error.h"
#include "pipeline/corpus/corpus_config.h"
#include "pipeline/corpus/corpus_index.h"
#include "pipeline/corpus/corpus_listing.h"
#include "pipeline/corpus/corpus_report.h"
#include "pipeline/corpus/file_signal.h"
#include "pipeline/corpus/item_manifest.h"
#include "pipeline/base/logging.h"
#include "pipeline/base/progress.h"
#include "pipeline/base/skip_reason.h"

namespace jsqa {
namespace fs = std::filesystem;

void PrepareConfig::Declare(KeyDeclarations& keys) {
  keys.Choice("check", check,
              "header: read file headers only (fast); decode: decode every file, catching truncation and NaN, and measure the levels, clipping and dropouts the corpus report shows",
              {{"header", Check::kHeader}, {"decode", Check::kDecode}});
  keys.Key("min_seconds", min_seconds, "files shorter than this many seconds are skipped").AtLeast(0);
  keys.Threads("threads", threads, "worker threads");
}

IndexArgs PrepareConfig::Index() const {
  return {check == Check::kDecode, min_seconds, ParseThreadCount("prepare.threads", threads)};
}

std::string PrepareStage::Fingerprint(const Config& config) const {
  return CorpusListingDigest(config.Get<CorpusConfig>("corpus"));
}

void PrepareStage::Run(StageContext& context) const {
  const auto& corpus = context.config.Get<CorpusConfig>("corpus");
  const auto& config = context.config.Get<PrepareConfig>("prepare");
  const CorpusKind kinds[] = {CorpusKind::kSpeech, CorpusKind::kNoise, CorpusKind::kNisqa};
  if (std::none_of(std::begin(kinds), std::end(kinds), [&](CorpusKind kind) { return HasSources(kind, corpus); }))
    throw UsageError(
        "prepare: no corpus configured; set corpus.librispeech_root, corpus.chime3_backgrounds, "
        "corpus.nisqa_root, or a corpus.*_folder / corpus.*_list");
  corpus.RequirePathsExist("corpus");

  std::vector<SkippedEntry> all_skipped;
  std::vector<FileSignalRow> signals;  // with check = decode: every indexed file's signal measures
  // Files (or CSV rows) passed over, by SkipReasonCode: the same shape as
  // synth's skipped_by_reason, so scripts read both alike.
  std::map<std::string, int64_t> all_by_reason;
  for (CorpusKind kind : kinds) {
    const std::string name = CorpusKindName(kind);
    CorpusIndex index = IndexCorpus(kind, corpus, config.Index());
    std::map<std::string, int64_t> by_reason;
    for (SkippedEntry& entry : index.skipped) {
      JSQA_LOG(kWarn) << "prepare " << name << ": skipped " << entry.where << ": " << entry.reason;
      ++by_reason[SkipReasonCode(entry.code)];
      ++all_by_reason[SkipReasonCode(entry.code)];
      entry.where = name + ": " + entry.where;
      all_skipped.push_back(std::move(entry));
    }
    WriteItemManifest((fs::path(context.out_dir) / (name + ".tsv")).string(), index.items);
    for (size_t i = 0; i < index.signals.size(); ++i) signals.push_back({name, index.items[i].item.id, index.signals[i]});
    if (HasSources(kind, corpus))
      JSQA_LOG(kInfo) << "prepare " << name << ": " << index.items.size() << " files, "
                      << FormatSeconds(index.seconds) << " of audio, " << index.skipped.size() << " skipped";
    context.summary[name] = {{"files", index.items.size()},
                             {"audio_seconds", index.seconds},
                             {"skipped", index.skipped.size()},
                             {"skipped_by_reason", by_reason}};
  }
  WriteSkippedList((fs::path(context.out_dir) / "skipped.tsv").string(), all_skipped);
  if (config.check == PrepareConfig::Check::kDecode)
    WriteFileSignals((fs::path(context.out_dir) / "signal.tsv").string(), signals);
  WriteCorpusReport(context.out_dir);
  JSQA_LOG(kInfo) << "prepare: corpus report in the stage folder's report.md";
  context.summary["skipped_total"] = all_skipped.size();
  context.summary["skipped_by_reason"] = all_by_reason;
}

std::vector<ManifestItem> CorpusItems(CorpusKind kind, const Config& config, const std::string& manifests_dir,
                                      std::vector<SkippedEntry>* skipped) {
  const std::string name = CorpusKindName(kind);
  if (!manifests_dir.empty()) return ReadItemManifest((fs::path(manifests_dir) / (name + ".tsv")).string());
  const auto& corpus = config.Get<CorpusConfig>("corpus");
  corpus.RequirePathsExist("corpus");
  CorpusIndex index = IndexCorpus(kind, corpus, config.Get<PrepareConfig>("prepare").Index());
  for (const SkippedEntry& entry : index.skipped) {
    JSQA_LOG(kWarn) << name << ": skipped " << entry.where << ": " << entry.reason;
    if (skipped) skipped->push_back({name + ": " + entry.where, entry.code, entry.reason});
  }
  return std::move(index.items);
}

}  // namespace jsqa
