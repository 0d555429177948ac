#include "pipeline/corpus/librispeech_layout.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <system_error>

#include "pipeline/base/error.h"

namespace jsqa {
namespace fs = std::filesystem;
namespace {

std::string Trim(const std::string& text) {
  const size_t begin = text.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  const size_t end = text.find_last_not_of(" \t\r");
  return text.substr(begin, end - begin + 1);
}

bool IsDigits(const std::string& text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// SPEAKERS.TXT: "ID | SEX | SUBSET | MINUTES | NAME", ';' starts a comment.
// The name is the rest of the line: in the real file one name itself holds
// '|' (speaker 60, "|CBW|Simon"), so only the first four bars separate.
// A missing file yields no sexes rather than an error: it is metadata only.
std::map<std::string, std::string> ReadSpeakerSexes(const fs::path& path) {
  std::map<std::string, std::string> sexes;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == ';') continue;
    const size_t bar = line.find('|');
    if (bar == std::string::npos) continue;
    const size_t next = line.find('|', bar + 1);
    const std::string id = Trim(line.substr(0, bar));
    const std::string sex = Trim(line.substr(bar + 1, next == std::string::npos ? next : next - bar - 1));
    if (IsDigits(id)) sexes[id] = sex;
  }
  return sexes;
}

// trans.txt: "<utterance id> <TRANSCRIPT>" per line.
std::map<std::string, std::string> ReadTranscripts(const fs::path& path) {
  std::map<std::string, std::string> transcripts;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    line = Trim(line);
    if (line.empty()) continue;
    const size_t space = line.find(' ');
    const std::string id = line.substr(0, space);
    transcripts[id] = space == std::string::npos ? "" : Trim(line.substr(space + 1));
  }
  return transcripts;
}

struct ChapterContext {
  std::string subset, reader, chapter, sex;
  fs::path dir;
};

void ListChapter(const ChapterContext& chapter, CorpusListing& listing) {
  const std::string prefix = chapter.reader + "-" + chapter.chapter;
  const fs::path trans_path = chapter.dir / (prefix + ".trans.txt");
  // Without a trans.txt the chapter has no transcripts at all (tag ""); with
  // one, an utterance it does not list is an inconsistent copy and is skipped.
  // error_code form: reader and chapter names of up to NAME_MAX each can make
  // a trans.txt name the file system rejects; that chapter has none.
  std::error_code error;
  const bool has_trans = fs::is_regular_file(trans_path, error);
  const auto transcripts = has_trans ? ReadTranscripts(trans_path) : std::map<std::string, std::string>{};

  for (const fs::directory_entry& entry : fs::directory_iterator(chapter.dir)) {
    const fs::path& path = entry.path();
    if (path == trans_path) continue;
    if (!entry.is_regular_file()) {
      listing.skipped.push_back({path.string(), SkipReason::kNotInLayout, "not a file"});
      continue;
    }
    if (path.extension() != ".flac") {
      listing.skipped.push_back({path.string(), SkipReason::kNotInLayout, "not a FLAC file"});
      continue;
    }
    const std::string id = path.stem().string();
    if (id.rfind(prefix + "-", 0) != 0 || !IsDigits(id.substr(prefix.size() + 1))) {
      listing.skipped.push_back({path.string(), SkipReason::kNotInLayout,
                                 "name does not match its folders (expected " + prefix + "-NNNN.flac)"});
      continue;
    }
    std::string transcript;
    if (has_trans) {
      const auto found = transcripts.find(id);
      if (found == transcripts.end()) {
        listing.skipped.push_back(
            {path.string(), SkipReason::kNoTranscript, "utterance missing from " + trans_path.string()});
        continue;
      }
      transcript = found->second;
    }
    CorpusItem item;
    item.id = id;
    item.path = path.string();
    item.tags = {{"subset", chapter.subset},
                 {"reader", chapter.reader},
                 {"chapter", chapter.chapter},
                 {"sex", chapter.sex},
                 {"transcript", transcript}};
    listing.items.push_back(std::move(item));
  }
}

void ListSubset(const fs::path& root, const std::string& subset,
                const std::map<std::string, std::string>& sexes, CorpusListing& listing) {
  const fs::path subset_dir = root / subset;
  JSQA_CHECK(fs::is_directory(subset_dir), "LibriSpeech subset folder not found: ", subset_dir.string());
  for (const fs::directory_entry& reader : fs::directory_iterator(subset_dir)) {
    if (!reader.is_directory()) {
      listing.skipped.push_back({reader.path().string(), SkipReason::kNotInLayout, "not a reader folder"});
      continue;
    }
    const std::string reader_id = reader.path().filename().string();
    const auto sex = sexes.find(reader_id);
    for (const fs::directory_entry& chapter : fs::directory_iterator(reader.path())) {
      if (!chapter.is_directory()) {
        listing.skipped.push_back({chapter.path().string(), SkipReason::kNotInLayout, "not a chapter folder"});
        continue;
      }
      ListChapter({subset, reader_id, chapter.path().filename().string(),
                   sex == sexes.end() ? "" : sex->second, chapter.path()},
                  listing);
    }
  }
}

}  // namespace

CorpusListing ListLibriSpeech(const std::string& root, const std::vector<std::string>& subsets) {
  JSQA_CHECK(fs::is_directory(root), "LibriSpeech root folder not found: ", root);
  const auto sexes = ReadSpeakerSexes(fs::path(root) / "SPEAKERS.TXT");
  CorpusListing listing;
  for (size_t i = 0; i < subsets.size(); ++i) {
    // A subset named twice is a config slip, not a copied chapter to skip.
    if (std::find(subsets.begin(), subsets.begin() + i, subsets[i]) != subsets.begin() + i)
      throw UsageError("LibriSpeech subset '" + subsets[i] + "' is listed twice");
    ListSubset(root, subsets[i], sexes, listing);
  }

  // An utterance in two subsets (a chapter copied) is kept once.
  SortByIdSkippingDuplicates(listing);
  std::sort(listing.skipped.begin(), listing.skipped.end(),
            [](const SkippedEntry& a, const SkippedEntry& b) { return a.where < b.where; });
  return listing;
}

}  // namespace jsqa
