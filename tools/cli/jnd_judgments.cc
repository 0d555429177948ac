#include "tools/cli/jnd_judgments.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <set>

#include "augment/audio_io.h"
#include "augment/degradations/degradation.h"
#include "augment/degradations/heard_pair.h"
#include "pipeline/base/error.h"
#include "augment/jnd_features.h"
#include "augment/resampler.h"
#include "augment/segment.h"
#include "pipeline/base/config_keys.h"
#include "pipeline/base/csv.h"
#include "pipeline/base/logging.h"

namespace jsqa {
namespace fs = std::filesystem;
namespace {

constexpr const char* kRequiredColumns[] = {"clean_path", "noise_path", "snr_db", "delta_db", "label"};

std::string Trimmed(const std::string& text) {
  const size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(" \t") - begin + 1);
}

std::string RequiredList() {
  std::string list;
  for (const char* name : kRequiredColumns) list += (list.empty() ? "" : ", ") + std::string(name);
  return list;
}

// Column name -> field index, from the header row.
class Columns {
 public:
  Columns(const CsvRow& header, const std::string& csv_path) {
    for (size_t i = 0; i < header.fields.size(); ++i) index_.emplace(Trimmed(header.fields[i]), i);
    for (const char* name : kRequiredColumns)
      if (!index_.count(name))
        throw UsageError(csv_path + ": missing column '" + name + "' (required: " + RequiredList() + ")");
  }

  // The trimmed field, or nullopt when the column is absent.
  std::optional<std::string> Get(const CsvRow& row, const std::string& name) const {
    const auto it = index_.find(name);
    if (it == index_.end()) return std::nullopt;
    JSQA_CHECK(it->second < row.fields.size(), "no '", name, "' field (", row.fields.size(),
               " fields, fewer than the header's)");
    return Trimmed(row.fields[it->second]);
  }

  std::string Required(const CsvRow& row, const std::string& name) const { return *Get(row, name); }

 private:
  std::map<std::string, size_t> index_;
};

double ParseNumber(const std::string& text, const std::string& column) {
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  JSQA_CHECK(!text.empty() && end == text.c_str() + text.size() && std::isfinite(value), column,
             " '", text, "' is not a finite number");
  return value;
}

// An optional offset column: absent or empty means the recording's start.
int64_t OffsetSamples(const Columns& columns, const CsvRow& row, const char* column, int sample_rate) {
  const std::optional<std::string> field = columns.Get(row, column);
  if (!field || field->empty()) return 0;
  const double seconds = ParseNumber(*field, column);
  JSQA_CHECK(seconds >= 0.0, column, " must be >= 0, got ", seconds);
  return std::llround(seconds * sample_rate);
}

JudgmentRow ParseRow(const Columns& columns, const CsvRow& row, const fs::path& csv_dir,
                     const JudgmentReadArgs& args) {
  JudgmentRow parsed;
  parsed.line = row.line;
  const std::string label = columns.Required(row, "label");
  JSQA_CHECK(label == "0" || label == "1", "label '", label, "' is not 0 or 1");
  parsed.label = label == "1" ? 1 : 0;
  parsed.snr_db = ParseNumber(columns.Required(row, "snr_db"), "snr_db");
  parsed.delta_db = ParseNumber(columns.Required(row, "delta_db"), "delta_db");
  parsed.clean_offset = OffsetSamples(columns, row, "clean_offset_s", args.sample_rate);
  parsed.noise_offset = OffsetSamples(columns, row, "noise_offset_s", args.sample_rate);
  const auto resolve = [&](const char* column) {
    const std::string field = columns.Required(row, column);
    JSQA_CHECK(!field.empty(), column, " is empty");
    const fs::path path(field);
    return (path.is_relative() ? csv_dir / path : path).string();
  };
  parsed.clean_path = resolve("clean_path");
  parsed.noise_path = resolve("noise_path");
  parsed.dimension = columns.Get(row, "dimension").value_or("");
  if (parsed.dimension.empty()) parsed.dimension = "snr";
  parsed.delta = parsed.delta_db;
  if (parsed.dimension != "snr") parsed.delta = ParseNumber(columns.Get(row, "delta").value_or(""), "delta");
  // "noise>opus(16)": the steps after the noise.
  const auto steps = [&](const std::string& chain) {
    JSQA_CHECK(chain.rfind("noise", 0) == 0, "chain '", chain, "' does not start with noise");
    const size_t first = chain.find('>');
    return ParseChainText(first == std::string::npos ? "" : chain.substr(first + 1));
  };
  const std::string chain = columns.Get(row, "chain").value_or("");
  parsed.steps_a = steps(chain.empty() ? "noise" : chain);
  const std::string chain_b = columns.Get(row, "chain_b").value_or("");
  parsed.steps_b = chain_b.empty() ? parsed.steps_a : steps(chain_b);
  const auto key = [&](const char* column) -> uint64_t {
    const std::string field = columns.Get(row, column).value_or("");
    if (field.empty()) return 0;
    char* end = nullptr;
    const unsigned long long value = std::strtoull(field.c_str(), &end, 10);
    JSQA_CHECK(*end == '\0' && field[0] != '-', column, " '", field, "' is not an unsigned integer");
    return value;
  };
  parsed.chain_seed = key("chain_seed");
  parsed.chain_key = key("chain_key");
  JSQA_CHECK((parsed.steps_a.empty() && parsed.steps_b.empty()) || args.sample_rate == kDegradationRate,
             "a chain of degradations works at ", kDegradationRate, " Hz, not --sample-rate ", args.sample_rate);
  return parsed;
}

std::string RowDimension(const Columns& columns, const CsvRow& row) {
  const std::string dimension = columns.Get(row, "dimension").value_or("");
  return dimension.empty() ? "snr" : dimension;
}

// The one dimension of a file's rows; UsageError when there are several.
std::string OnlyDimension(const Columns& columns, const std::vector<CsvRow>& rows, const std::string& csv_path) {
  std::set<std::string> found;
  for (size_t i = 1; i < rows.size(); ++i) {
    try {
      found.insert(RowDimension(columns, rows[i]));
    } catch (const Error&) {
      // A short row: ParseRow names it when it is read.
    }
  }
  if (found.size() > 1)
    throw UsageError(csv_path + ": judgments of several JND dimensions (" +
                     JoinList(std::vector<std::string>(found.begin(), found.end()), ", ") +
                     "); choose one with --dimension");
  return found.empty() ? "snr" : *found.begin();
}

JndJudgment Judge(const JudgmentRow& row, const JudgmentReadArgs& args, JudgmentAudio& audio) {
  const JudgmentAudio::Segments segments = audio.Get(row);
  HeardPair heard{row.snr_db, row.delta_db, row.steps_a, row.steps_b, row.chain_seed, row.chain_key, std::nullopt};
  if (row.dimension != "snr") heard.dimension_delta = row.delta;
  JndJudgment judgment;
  judgment.features = HeardPairFeatures(segments.clean, segments.noise, heard, args.sample_rate);
  judgment.label = row.label;
  return judgment;
}

}  // namespace

const std::vector<float>& JudgmentAudio::Recording(const std::string& path) {
  const auto it = cache_.find(path);
  if (it != cache_.end()) return it->second;
  const Audio audio = ReadAudio(path);
  return cache_.emplace(path, Resample(audio.samples, audio.sample_rate, args_.sample_rate)).first->second;
}

JudgmentAudio::Segments JudgmentAudio::Get(const JudgmentRow& row) {
  const std::vector<float>& clean = Recording(row.clean_path);
  const std::vector<float>& noise = Recording(row.noise_path);
  const int64_t length = std::llround(args_.segment_seconds * args_.sample_rate);
  const int64_t clean_size = static_cast<int64_t>(clean.size());
  JSQA_CHECK(row.clean_offset < clean_size, "clean_offset_s is past the end of ", row.clean_path);
  JSQA_CHECK(row.noise_offset < static_cast<int64_t>(noise.size()), "noise_offset_s is past the end of ",
             row.noise_path);
  // Short speech is padded with silence (the pair is then mostly noise);
  // short noise is looped, as synthesis does.
  return {PadToLength(Crop(clean, row.clean_offset, std::min(length, clean_size - row.clean_offset)), length),
          LoopToLength(noise, row.noise_offset, length)};
}

JudgmentSet ReadJudgments(const std::string& csv_path, const JudgmentReadArgs& args) {
  const std::vector<CsvRow> rows = ReadCsvFile(csv_path);
  if (rows.empty()) throw UsageError(csv_path + ": empty judgments CSV (no header row)");
  const Columns columns(rows.front(), csv_path);
  const fs::path csv_dir = fs::path(csv_path).parent_path();
  JudgmentAudio audio(args);

  JudgmentSet set;
  set.dimension = args.dimension.empty() ? OnlyDimension(columns, rows, csv_path) : args.dimension;
  for (size_t i = 1; i < rows.size(); ++i) {
    // A listening test's export may hold several JND dimensions; a model
    // judges one.
    if (RowDimension(columns, rows[i]) != set.dimension) {
      ++set.other_dimensions;
      continue;
    }
    try {
      const JudgmentRow row = ParseRow(columns, rows[i], csv_dir, args);
      set.judgments.push_back(Judge(row, args, audio));
      set.rows.push_back(row);
    } catch (const Error& e) {
      JSQA_LOG(kWarn) << "jnd-svm train: skipped " << csv_path << ":" << rows[i].line << ": " << e.what();
      ++set.skipped;
    }
  }
  if (set.other_dimensions > 0)
    JSQA_LOG(kWarn) << csv_path << ": " << set.other_dimensions << " rows of JND dimensions other than "
                    << set.dimension << " left out";
  return set;
}

}  // namespace jsqa
