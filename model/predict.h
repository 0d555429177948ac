// `jsqa-pipeline predict`: MOS for audio files with a fine-tuned model.pt.
// No torch in this header: the command line includes it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "pipeline/synthesis/audio_config.h"

namespace jsqa {

struct PredictArgs {
  std::string model_path;  // a finetune folder's model.pt
  std::string device = "cpu";
  int threads = 1;
  int batch_size = 8;
  AudioConfig audio;  // how files become 16 kHz mono
};

struct FileScore {
  std::string path;
  double mos = 0.0;      // NaN when the file could not be read
  double seconds = 0.0;  // audio duration
  std::string error;     // why it could not be read, one line
};

// Scores files in order; progress(done) after each chunk of files.
std::vector<FileScore> PredictFiles(const PredictArgs& args, const std::vector<std::string>& files,
                                    const std::function<void(int64_t)>& progress);

}  // namespace jsqa
