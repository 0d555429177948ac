#include "pipeline/corpus/corpus_index.h"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <filesystem>
#include <map>
#include <optional>

#include "augment/audio_io.h"
#include "pipeline/base/error.h"
#include "pipeline/corpus/audio_folder_layout.h"
#include "pipeline/corpus/librispeech_layout.h"
#include "pipeline/base/progress.h"

namespace jsqa {
namespace fs = std::filesystem;
namespace {

// Checks one listed file; returns its manifest entry (and, when decoding,
// fills signal), or fills skip (code and reason).
std::optional<ManifestItem> CheckItem(const CorpusItem& item, const IndexArgs& args, FileSignal& signal,
                                      SkippedEntry& skip) {
  if (item.path.find_first_of("\t\n") != std::string::npos) {
    skip.code = SkipReason::kBadPath;
    skip.reason = "path contains a tab or newline";
    return std::nullopt;
  }
  try {
    const AudioInfo info = ProbeAudio(item.path);
    if (args.decode) signal = MeasureFileSignal(ReadAudio(item.path));
    if (info.DurationSeconds() < args.min_seconds) {
      skip.code = SkipReason::kTooShort;
      skip.reason =
          "shorter than " + FormatDouble(args.min_seconds) + " s (" + FormatDouble(info.DurationSeconds()) + " s)";
      return std::nullopt;
    }
    ManifestItem entry{item, info.sample_rate, info.frames, info.channels};
    entry.item.path = fs::absolute(item.path).lexically_normal().string();
    return entry;
  } catch (const Error& e) {
    skip.code = SkipReasonOf(e);
    skip.reason = e.what();
    return std::nullopt;
  }
}

// Concatenates listings, keeping each listing's order. Ids stay unique: an
// item whose id an earlier source has is skipped (duplicate_id), as a
// layout does within one source.
CorpusListing Combine(std::vector<CorpusListing> listings) {
  CorpusListing all;
  std::map<std::string, std::string> seen;
  for (CorpusListing& listing : listings) {
    for (CorpusItem& item : listing.items) {
      const auto [it, inserted] = seen.emplace(item.id, item.path);
      if (!inserted) {
        all.skipped.push_back({item.path, SkipReason::kDuplicateId, "same item id '" + item.id + "' as " + it->second});
        continue;
      }
      all.items.push_back(std::move(item));
    }
    for (SkippedEntry& entry : listing.skipped) all.skipped.push_back(std::move(entry));
  }
  return all;
}

CorpusListing ListSources(CorpusKind kind, const CorpusConfig& corpus) {
  std::vector<CorpusListing> listings;
  const auto add_plain = [&](const std::string& folder, const std::string& list) {
    if (!folder.empty()) listings.push_back(ListAudioFolder(folder));
    if (!list.empty()) listings.push_back(ListAudioFileList(list));
  };
  switch (kind) {
    case CorpusKind::kSpeech:
      if (!corpus.librispeech_root.empty())
        listings.push_back(ListLibriSpeech(corpus.librispeech_root, corpus.LibriSpeechSubsets()));
      add_plain(corpus.speech_folder, corpus.speech_list);
      break;
    case CorpusKind::kNoise:
      if (!corpus.chime3_backgrounds.empty())
        listings.push_back(ListChime3Backgrounds(corpus.chime3_backgrounds, corpus.Chime3()));
      add_plain(corpus.noise_folder, corpus.noise_list);
      break;
    case CorpusKind::kNisqa:
      if (!corpus.nisqa_root.empty()) listings.push_back(ListNisqa(corpus.nisqa_root, corpus.NisqaDbs(), corpus.Nisqa()));
      break;
  }
  return Combine(std::move(listings));
}

}  // namespace

const char* CorpusKindName(CorpusKind kind) {
  switch (kind) {
    case CorpusKind::kSpeech: return "speech";
    case CorpusKind::kNoise: return "noise";
    case CorpusKind::kNisqa: return "nisqa";
  }
  return "?";
}

bool HasSources(CorpusKind kind, const CorpusConfig& corpus) {
  switch (kind) {
    case CorpusKind::kSpeech:
      return !corpus.librispeech_root.empty() || !corpus.speech_folder.empty() || !corpus.speech_list.empty();
    case CorpusKind::kNoise:
      return !corpus.chime3_backgrounds.empty() || !corpus.noise_folder.empty() || !corpus.noise_list.empty();
    case CorpusKind::kNisqa:
      return !corpus.nisqa_root.empty();
  }
  return false;
}

CorpusIndex IndexCorpus(CorpusKind kind, const CorpusConfig& corpus, const IndexArgs& args) {
  CorpusListing listing = ListSources(kind, corpus);
  const size_t count = listing.items.size();
  std::vector<std::optional<ManifestItem>> checked(count);
  std::vector<SkippedEntry> skips(count);
  std::vector<FileSignal> signals(count);
  {
    Progress progress(std::string("index ") + CorpusKindName(kind), static_cast<int64_t>(count), "files");
    tbb::task_arena arena(std::max(1, args.threads));
    arena.execute([&] {
      tbb::parallel_for(size_t{0}, count, [&](size_t i) {
        checked[i] = CheckItem(listing.items[i], args, signals[i], skips[i]);
        progress.Advance();
      });
    });
  }
  CorpusIndex index;
  index.skipped = std::move(listing.skipped);
  for (size_t i = 0; i < count; ++i) {
    if (checked[i]) {
      index.seconds += checked[i]->DurationSeconds();
      index.items.push_back(std::move(*checked[i]));
      if (args.decode) index.signals.push_back(signals[i]);
    } else {
      skips[i].where = listing.items[i].path;
      index.skipped.push_back(std::move(skips[i]));
    }
  }
  return index;
}

}  // namespace jsqa
