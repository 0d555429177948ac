// Fine-tuning encoder + MOS head on NISQA: MSE on random crops, validation
// on full clips each epoch, the best (or last) model kept as model.pt.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "pipeline/base/config.h"

namespace jsqa {

struct MosClip {
  std::string id;  // "<db>/<file stem>"
  std::string path;
  std::string db;
  double mos = 0.0;
};

// Trains per [model], [finetune], [audio] and [runtime] into out_dir:
// model.pt, checkpoints/, metrics.csv and curves.png/.svg (rank 0). pretrained:
// an encoder.pt, or "" for the scratch baseline. Resumes from out_dir's
// latest checkpoint. Returns the summary (steps, losses, validation metrics).
nlohmann::json RunFinetuning(const Config& config, const std::string& out_dir, const std::vector<MosClip>& train,
                             const std::vector<MosClip>& validation, const std::string& pretrained);

}  // namespace jsqa
