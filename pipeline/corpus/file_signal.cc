#include "pipeline/corpus/file_signal.h"

#include <cmath>
#include <sstream>

#include "augment/active_speech_level.h"
#include "augment/mix.h"
#include "augment/sample_defects.h"
#include "pipeline/base/error.h"
#include "pipeline/base/text_files.h"

namespace jsqa {
namespace {

constexpr const char* kHeader =
    "kind\tid\tactive_level_dbov\tactivity\tlong_term_dbov\tpeak_dbfs\tdc_offset\tclipped_runs\tlongest_zero_run_s";
constexpr size_t kColumns = 9;

}  // namespace

FileSignal MeasureFileSignal(const Audio& audio) {
  FileSignal signal;
  const ActiveSpeechLevel level = MeasureActiveSpeechLevel(audio.samples, audio.sample_rate);
  signal.active_level_db = level.level_db;
  signal.activity = level.activity;
  signal.long_term_db = level.long_term_db;
  signal.peak_db = 20.0 * std::log10(Peak(audio.samples));
  double sum = 0.0;
  for (const float x : audio.samples) sum += x;
  signal.dc_offset = audio.samples.empty() ? 0.0 : sum / static_cast<double>(audio.samples.size());
  signal.clipped_runs = ClippedRuns(audio.samples);
  signal.longest_zero_run_s =
      audio.sample_rate > 0 ? static_cast<double>(LongestZeroRun(audio.samples)) / audio.sample_rate : 0.0;
  return signal;
}

void WriteFileSignals(const std::string& path, const std::vector<FileSignalRow>& rows) {
  std::ostringstream out;
  out << kHeader << '\n';
  for (const FileSignalRow& row : rows) {
    const FileSignal& s = row.signal;
    out << row.kind << '\t' << row.id << '\t' << FormatFixed(s.active_level_db, 2) << '\t' << FormatFixed(s.activity, 4) << '\t'
        << FormatFixed(s.long_term_db, 2) << '\t' << FormatFixed(s.peak_db, 2) << '\t' << FormatFixed(s.dc_offset, 6) << '\t'
        << s.clipped_runs << '\t' << FormatFixed(s.longest_zero_run_s, 4) << '\n';
  }
  WriteFileAtomically(path, out.str());
}

std::vector<FileSignalRow> ReadFileSignals(const std::string& path) {
  std::istringstream in(ReadTextFile(path));
  std::string line;
  JSQA_CHECK(std::getline(in, line) && line == kHeader, path, ": not a signal.tsv (header '", line, "')");
  std::vector<FileSignalRow> rows;
  for (int number = 2; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    const std::vector<std::string> fields = SplitTabs(line);
    JSQA_CHECK(fields.size() == kColumns, path, ":", number, ": expected ", kColumns, " fields, found ",
               fields.size());
    FileSignalRow row{fields[0], fields[1], {}};
    try {
      FileSignal& s = row.signal;
      s.active_level_db = std::stod(fields[2]);
      s.activity = std::stod(fields[3]);
      s.long_term_db = std::stod(fields[4]);
      s.peak_db = std::stod(fields[5]);
      s.dc_offset = std::stod(fields[6]);
      s.clipped_runs = std::stoll(fields[7]);
      s.longest_zero_run_s = std::stod(fields[8]);
    } catch (const std::exception&) {
      JSQA_CHECK(false, path, ":", number, ": malformed number");
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace jsqa
