#include "model/predict.h"

#include "model/distributed.h"
#include "model/jsqa_models.h"
#include "model/mos_predictor.h"

namespace jsqa {

std::vector<FileScore> PredictFiles(const PredictArgs& args, const std::vector<std::string>& files,
                                    const std::function<void(int64_t)>& progress) {
  torch::set_num_threads(args.threads);
  const torch::Device device = ResolveDevice(args.device, 0);
  MosPredictor predictor(LoadMosModelFile(args.model_path, device), device, args.batch_size);
  return ScoreFiles(predictor, files, args.audio, progress);
}

}  // namespace jsqa
