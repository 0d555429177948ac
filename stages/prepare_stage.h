// The prepare stage: indexes the configured corpora into item manifests.
//
// Outputs (in the stage folder):
//   speech.tsv  LibriSpeech utterances and other speech (pipeline/corpus/item_manifest.h)
//   noise.tsv   CHiME-3 background files and other noise
//   nisqa.tsv   NISQA files with their MOS
//   skipped.tsv every file or CSV row passed over, with the reason
//   signal.tsv  with check = decode: each file's active speech level, activity,
//               clipping, DC offset, dropouts (pipeline/corpus/file_signal.h)
//   report.md   the corpus report, with report-*.png/.svg histograms
//               (pipeline/corpus/corpus_report.h)
#pragma once

#include "pipeline/base/config.h"
#include "pipeline/corpus/corpus_index.h"
#include "pipeline/corpus/item_manifest.h"
#include "pipeline/run/stage.h"

namespace jsqa {

struct PrepareConfig : ConfigSection {
  // kHeader: read each file's header (fast); kDecode: decode every file
  // fully, catching truncated files and NaN/Inf samples before training
  // does, and measuring the levels the corpus report shows.
  enum class Check { kHeader, kDecode };
  Check check = Check::kHeader;
  double min_seconds = 0.1;  // shorter files are skipped
  std::string threads = "auto";  // "auto" (all cores) or a count >= 1

  void Declare(KeyDeclarations& keys) override;
  IndexArgs Index() const;
};

// Items of one corpus kind: from manifests_dir/<kind>.tsv (a prepare
// folder), or, when manifests_dir is empty, indexed now from [corpus] and
// [prepare] (skipped files logged, and appended to *skipped when given, as
// prepare's skipped.tsv lists them: where = "<kind>: PATH").
std::vector<ManifestItem> CorpusItems(CorpusKind kind, const Config& config, const std::string& manifests_dir,
                                      std::vector<SkippedEntry>* skipped = nullptr);

class PrepareStage : public Stage {
 public:
  std::string Name() const override { return "prepare"; }
  std::string Description() const override {
    return "index LibriSpeech, CHiME-3 and NISQA into manifests (id, path, duration, rate)";
  }
  std::vector<std::string> ConfigSections() const override { return {"corpus", "prepare"}; }
  // The corpora's listing (names, sizes, times): a changed corpus reruns prepare.
  std::string Fingerprint(const Config& config) const override;
  int Version() const override { return 2; }  // 2: signal.tsv and the corpus report
  void Run(StageContext& context) const override;
};

}  // namespace jsqa
