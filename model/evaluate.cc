#include "model/evaluate.h"

#include <cmath>
#include <filesystem>
#include <sstream>

#include "pipeline/base/error.h"
#include "model/distributed.h"
#include "model/mos_predictor.h"
#include "pipeline/base/csv.h"
#include "pipeline/base/logging.h"
#include "pipeline/reports/mos_metrics.h"
#include "pipeline/reports/plot.h"
#include "pipeline/base/progress.h"
#include "pipeline/base/text_files.h"

namespace jsqa {
namespace fs = std::filesystem;
namespace {

std::string Cell(double value) {
  if (std::isnan(value)) return "nan";
  std::ostringstream out;
  out.setf(std::ios::fixed);
  out.precision(3);
  out << value;
  return out.str();
}

// One row of results in its three forms: results.csv, results.md, and the
// JSON returned for summary.json.
nlohmann::json AddRow(const std::string& csv_name, const std::string& markdown_name, const MosMetrics& m,
                      std::vector<std::vector<std::string>>& table, std::ostringstream& markdown) {
  table.push_back({csv_name, std::to_string(m.count), Cell(m.rmse), Cell(m.mae), Cell(m.pcc), Cell(m.srcc),
                   Cell(m.rmse_map)});
  markdown << "| " << markdown_name << " | " << m.count << " | " << Cell(m.rmse) << " | " << Cell(m.mae) << " | "
           << Cell(m.pcc) << " | " << Cell(m.srcc) << " | " << Cell(m.rmse_map) << " |\n";
  return {{"clips", m.count}, {"rmse", m.rmse}, {"mae", m.mae}, {"pcc", m.pcc}, {"srcc", m.srcc}, {"rmse_map", m.rmse_map}};
}

}  // namespace

nlohmann::json RunEvaluation(const Config& config, const std::string& out_dir, const std::vector<MosClip>& clips,
                             const std::string& model_path) {
  const DistributedEnv env = DistributedEnv::FromEnvironment();
  if (env.rank != 0) {  // evaluation is one process; the others of an srun step have nothing to do
    JSQA_LOG(kInfo) << "evaluate: rank " << env.rank << " leaves the evaluation to rank 0";
    return nlohmann::json::object();
  }
  const auto& settings = config.Get<EvaluateConfig>("evaluate");
  const auto& runtime = config.Get<RuntimeConfig>("runtime");
  const auto& audio = config.Get<AudioConfig>("audio");
  torch::set_num_threads(ParseThreadCount("runtime.threads", runtime.threads));
  const torch::Device device = ResolveDevice(runtime.device, env.local_rank);
  MosPredictor predictor(LoadMosModelFile(model_path, device), device, settings.batch_size);

  std::vector<std::string> paths;
  for (const MosClip& clip : clips) paths.push_back(clip.path);
  Progress progress("evaluate", static_cast<int64_t>(paths.size()), "clips");
  const std::vector<FileScore> scores = ScoreFiles(predictor, paths, audio, [&](int64_t done) { progress.Advance(done); });
  progress.Finish();

  std::vector<std::vector<std::string>> predictions{{"db", "id", "path", "mos", "predicted"}};
  std::vector<std::vector<std::string>> table{{"db", "clips", "rmse", "mae", "pcc", "srcc", "rmse_map"}};
  std::ostringstream markdown;
  markdown << "| dataset | clips | RMSE | MAE | PCC | SRCC | RMSE (mapped) |\n|---|---:|---:|---:|---:|---:|---:|\n";
  nlohmann::json per_db = nlohmann::json::object();
  std::vector<MosMetrics> all;
  int64_t unreadable = 0;
  for (const std::string& db_name : settings.Dbs()) {
    const std::string db = CanonicalDbName(db_name);
    std::vector<double> predicted, target;
    for (size_t i = 0; i < clips.size(); ++i) {
      if (clips[i].db != db) continue;
      if (!scores[i].error.empty()) {
        JSQA_LOG(kWarn) << "evaluate: skipped " << clips[i].path << ": " << scores[i].error;
        ++unreadable;
        continue;
      }
      predicted.push_back(scores[i].mos);
      target.push_back(clips[i].mos);
      predictions.push_back({db, clips[i].id, clips[i].path, FormatDouble(clips[i].mos), FormatDouble(scores[i].mos)});
    }
    if (predicted.empty()) {
      JSQA_LOG(kWarn) << "evaluate: no clips of " << db << " (is it in corpus.nisqa_dbs?)";
      continue;
    }
    const MosMetrics m = ComputeMosMetrics(predicted, target);
    all.push_back(m);
    per_db[db] = AddRow(db, db, m, table, markdown);
    PlotSeries points{db, predicted, target};
    // scatter-<db>.png and .svg; on the dashed y = x line is perfect.
    WriteScatterPlot((fs::path(out_dir) / ("scatter-" + db + ".png")).string(), {points},
                     PlotOptions{db + ": predicted vs subjective MOS", {"predicted MOS"}, {"subjective MOS"}, 640, 560},
                     true);
  }
  JSQA_CHECK(!all.empty(), "evaluate: none of ", settings.dbs, " has clips to score");
  // The mean over datasets weighs each dataset equally, as NISQA reports.
  MosMetrics mean;
  mean.rmse = mean.mae = mean.pcc = mean.srcc = mean.rmse_map = 0.0;
  for (const MosMetrics& m : all) {
    mean.count += m.count;
    mean.rmse += m.rmse / all.size();
    mean.mae += m.mae / all.size();
    mean.pcc += m.pcc / all.size();
    mean.srcc += m.srcc / all.size();
    mean.rmse_map += m.rmse_map / all.size();
  }
  const nlohmann::json mean_json = AddRow("mean", "**mean**", mean, table, markdown);
  WriteCsvFile((fs::path(out_dir) / "results.csv").string(), table);
  WriteCsvFile((fs::path(out_dir) / "predictions.csv").string(), predictions);
  WriteFileAtomically((fs::path(out_dir) / "results.md").string(), markdown.str());
  return {{"model", model_path},
          {"datasets", per_db},
          {"mean", mean_json},
          {"unreadable_clips", unreadable},
          {"table", markdown.str()}};
}

}  // namespace jsqa
