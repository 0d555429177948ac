// Evaluation of a fine-tuned model.pt on NISQA test sets: per dataset and
// averaged over them, RMSE, MAE, PCC, SRCC and rmse_map (P.1401 first-order
// mapping), as results.csv and results.md, predictions.csv, and a scatter
// plot per dataset (scatter-<db>.png and .svg, predicted vs subjective MOS).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/finetune.h"
#include "pipeline/base/config.h"

namespace jsqa {

// clips: the test clips of all datasets (MosClip::db groups them, in the
// order of evaluate.dbs). Returns the summary; the Markdown table is also
// in summary["table"].
nlohmann::json RunEvaluation(const Config& config, const std::string& out_dir, const std::vector<MosClip>& clips,
                             const std::string& model_path);

}  // namespace jsqa
