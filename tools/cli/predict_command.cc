// `jsqa-pipeline predict --model MODEL FILES_OR_DIRS... [--out CSV]`: MOS of
// each audio file (any format and rate libsndfile reads; folders searched
// recursively), as CSV rows path,mos,error.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <set>

#include "pipeline/base/error.h"
#include "model/predict.h"
#include "stages/stage_inputs.h"
#include "pipeline/base/csv.h"
#include "pipeline/base/logging.h"
#include "pipeline/base/progress.h"
#include "pipeline/base/text_files.h"
#include "tools/cli/cli_options.h"
#include "tools/cli/command.h"

namespace jsqa {
namespace fs = std::filesystem;
namespace {

bool IsAudioFile(const fs::path& path) {
  static const std::set<std::string> kExtensions = {".wav", ".flac", ".ogg", ".oga", ".opus", ".aif",
                                                    ".aiff", ".au",  ".snd", ".w64", ".caf",  ".mp3"};
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(), ::tolower);
  return kExtensions.count(extension) > 0;
}

// Files as given, and the audio files under each folder (sorted).
std::vector<std::string> ExpandInputs(const std::vector<std::string>& inputs) {
  std::vector<std::string> files;
  for (const std::string& input : inputs) {
    if (fs::is_directory(input)) {
      std::vector<std::string> found;
      for (const auto& entry : fs::recursive_directory_iterator(input, fs::directory_options::skip_permission_denied))
        if (entry.is_regular_file() && IsAudioFile(entry.path())) found.push_back(entry.path().string());
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(input)) {
      files.push_back(input);
    } else {
      throw UsageError(input + ": no such file or folder");
    }
  }
  if (files.empty()) throw UsageError("no audio files among the inputs");
  return files;
}

}  // namespace

int PredictCommandMain(const std::vector<std::string>& args) {
  po::options_description options("predict options");
  PredictArgs predict;
  options.add_options()
      ("model", po::value(&predict.model_path)->required(), "a fine-tuned model: a finetune folder or its model.pt")
      ("inputs", po::value<std::vector<std::string>>()->required(), "audio files or folders (positional)")
      ("out", po::value<std::string>()->default_value(""), "CSV file to write (default: standard output)")
      ("device", po::value(&predict.device)->default_value(predict.device), "cpu, cuda or cuda:N")
      ("threads", po::value<std::string>()->default_value("auto"), "torch threads: auto or a count")
      ("batch-size", po::value(&predict.batch_size)->default_value(predict.batch_size), "clips per forward pass");
  AddCommonOptions(options);
  po::positional_options_description positional;
  positional.add("inputs", -1);
  po::variables_map values;
  if (!ParseCommandLine("usage: jsqa-pipeline predict --model MODEL FILES_OR_DIRS... [--out CSV]", args, options,
                        positional, values))
    return 0;
  predict.model_path = FileInFolder(predict.model_path, "model.pt");
  predict.threads = ParseThreadCount("--threads", values["threads"].as<std::string>());
  if (predict.batch_size < 1) throw UsageError("--batch-size " + std::to_string(predict.batch_size) + ": allowed: >= 1");
  const std::vector<std::string> files = ExpandInputs(values["inputs"].as<std::vector<std::string>>());

  const auto start = std::chrono::steady_clock::now();
  Progress progress("predict", static_cast<int64_t>(files.size()), "files");
  const std::vector<FileScore> scores = PredictFiles(predict, files, [&](int64_t done) { progress.Advance(done); });
  progress.Finish();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::string csv = FormatCsvRow({"path", "mos", "error"});
  double audio_seconds = 0;
  int64_t unreadable = 0;
  for (const FileScore& score : scores) {
    if (!score.error.empty()) {
      JSQA_LOG(kWarn) << "predict: skipped " << score.error;
      ++unreadable;
    }
    audio_seconds += score.seconds;
    csv += FormatCsvRow({score.path, score.error.empty() ? FormatDouble(std::round(score.mos * 1e4) / 1e4) : "",
                         score.error});
  }
  const std::string out = values["out"].as<std::string>();
  if (out.empty())
    std::cout << csv;
  else
    WriteFileAtomically(out, csv);
  std::cerr << "predict: " << scores.size() - unreadable << " files scored, " << unreadable << " unreadable; "
            << FormatDouble(std::round(audio_seconds * 10) / 10) << " s of audio in "
            << FormatDouble(std::round(wall * 100) / 100) << " s: real-time factor "
            << FormatDouble(std::round(wall / std::max(audio_seconds, 1e-9) * 1e4) / 1e4)
            << (out.empty() ? "" : "; written to " + out) << "\n";
  return 0;
}

}  // namespace jsqa
