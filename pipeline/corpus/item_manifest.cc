#include "pipeline/corpus/item_manifest.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "pipeline/base/error.h"
#include "pipeline/base/text_files.h"

namespace jsqa {
namespace {

constexpr int kFixedColumns = 6;


}  // namespace

void WriteItemManifest(const std::string& path, const std::vector<ManifestItem>& items) {
  // Sources of one kind tag their items differently (LibriSpeech: subset,
  // reader, chapter; a plain folder: env): the columns are every tag name in
  // first-seen order, empty where an item has no such tag.
  std::vector<std::string> tag_names;
  for (const ManifestItem& entry : items)
    for (const auto& [name, unused] : entry.item.tags)
      if (std::find(tag_names.begin(), tag_names.end(), name) == tag_names.end()) tag_names.push_back(name);
  std::ostringstream out;
  out << "id\tpath\tsample_rate\tframes\tchannels\tmos";
  for (const std::string& name : tag_names) out << '\t' << name;
  out << '\n';
  out.precision(17);
  for (const ManifestItem& entry : items) {
    out << entry.item.id << '\t' << entry.item.path << '\t' << entry.sample_rate << '\t'
        << entry.frames << '\t' << entry.channels << '\t' << entry.item.mos;
    for (const std::string& name : tag_names) {
      const std::string* value = entry.item.Tag(name);
      out << '\t' << (value ? *value : "");
    }
    out << '\n';
  }
  WriteFileAtomically(path, out.str());
}

std::vector<ManifestItem> ReadItemManifest(const std::string& path) {
  std::ifstream in(path);
  JSQA_CHECK(in.good(), path, ": cannot read manifest");
  std::string line;
  JSQA_CHECK(std::getline(in, line), path, ": empty manifest (no header)");
  const std::vector<std::string> header = SplitTabs(line);
  JSQA_CHECK(header.size() >= kFixedColumns && header[0] == "id" && header[1] == "path", path,
             ": not an item manifest (header '", line, "')");
  std::vector<ManifestItem> items;
  for (int number = 2; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    const std::vector<std::string> fields = SplitTabs(line);
    JSQA_CHECK(fields.size() == header.size(), path, ":", number, ": expected ", header.size(),
               " fields, found ", fields.size());
    ManifestItem entry;
    entry.item.id = fields[0];
    entry.item.path = fields[1];
    try {
      entry.sample_rate = std::stoi(fields[2]);
      entry.frames = std::stoll(fields[3]);
      entry.channels = std::stoi(fields[4]);
      entry.item.mos = std::stod(fields[5]);
    } catch (const std::exception&) {
      JSQA_CHECK(false, path, ":", number, ": malformed number");
    }
    for (size_t column = kFixedColumns; column < header.size(); ++column)
      if (!fields[column].empty()) entry.item.tags.emplace_back(header[column], fields[column]);
    items.push_back(std::move(entry));
  }
  return items;
}

std::string SkippedListText(const std::vector<SkippedEntry>& skipped) {
  std::ostringstream out;
  out << "where\tcode\treason\n";
  for (const SkippedEntry& entry : skipped)
    out << entry.where << '\t' << SkipReasonCode(entry.code) << '\t' << entry.reason << '\n';
  return out.str();
}

void WriteSkippedList(const std::string& path, const std::vector<SkippedEntry>& skipped) {
  WriteFileAtomically(path, SkippedListText(skipped));
}

}  // namespace jsqa
