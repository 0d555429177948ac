// MOS for whole clips of any length: batched by similar length, zero-padded
// and masked so that a clip's score never depends on its batch (tested).
#pragma once

#include <torch/torch.h>

#include <functional>
#include <string>
#include <vector>

#include "model/jsqa_models.h"
#include "model/predict.h"
#include "pipeline/synthesis/audio_config.h"

namespace jsqa {

class MosPredictor {
 public:
  // batch_size: clips per forward pass; a batch also stops growing at
  // max_batch_samples (padded). Clips longer than long_clip_samples are
  // scored alone, window by window (Encoder::LongClipEmbedding), so memory
  // stays bounded however long a file is; the score is the same.
  MosPredictor(MosModel model, const torch::Device& device, int batch_size,
               int64_t max_batch_samples = 8 * 30 * 16000, int64_t long_clip_samples = 60 * 16000);

  // One score per clip (mono samples at the model's rate), in input order.
  std::vector<double> Predict(const std::vector<std::vector<float>>& clips);

 private:
  MosModel model_;
  torch::Device device_;
  int batch_size_;
  int64_t max_batch_samples_;
  int64_t long_clip_samples_;
};

// Scores files in chunks (decoded in parallel, then predicted), so memory
// stays bounded for any number of files; an unreadable file gets an error
// and NaN, the others go on. progress(done) is called after each chunk.
std::vector<FileScore> ScoreFiles(MosPredictor& predictor, const std::vector<std::string>& paths,
                                  const AudioConfig& audio, const std::function<void(int64_t)>& progress = {});

}  // namespace jsqa
