#include "model/model_file_info.h"

#include "model/archive_files.h"
#include "model/jsqa_models.h"
#include "pipeline/base/error.h"

namespace jsqa {
namespace {

// An encoder.pt written before the architecture was recorded: the layers'
// channels and kernel size are the shapes of convN.weight [out, in, kernel];
// strides leave no trace in the tensors.
EncoderOptions ArchitectureFromShapes(torch::serialize::InputArchive& archive, const std::string& path) {
  EncoderOptions options;
  std::vector<int64_t> channels;
  for (int64_t layer = 0;; ++layer) {
    torch::serialize::InputArchive conv;
    torch::Tensor weight;
    if (!archive.try_read("conv" + std::to_string(layer), conv) || !conv.try_read("weight", weight)) break;
    channels.push_back(weight.size(0));
    options.kernel_size(weight.size(2));
  }
  if (channels.empty()) throw Error(path + ": not a jsqa encoder.pt or model.pt (no conv0.weight, no jsqa_channels)");
  options.channels(channels).strides(std::vector<int64_t>(channels.size(), 1));
  return options;
}

}  // namespace

ModelFileInfo ReadModelFileInfo(const std::string& path) {
  torch::serialize::InputArchive archive;
  LoadArchive(archive, path);
  torch::serialize::InputArchive head;
  ModelFileInfo info;
  const bool has_head = archive.try_read("head", head);
  std::optional<EncoderOptions> recorded = ReadArchitecture(archive);
  info.architecture_recorded = recorded.has_value();
  const EncoderOptions options = recorded ? *recorded : ArchitectureFromShapes(archive, path);
  info.channels = options.channels();
  info.kernel_size = options.kernel_size();
  if (info.architecture_recorded) info.strides = options.strides();

  if (has_head) {
    info.kind = "MOS model";
    MosModel model(options);
    LoadModule(*model, archive, path);
    info.parameters = CountParameters(*model);
    info.encoder_parameters = CountParameters(*model->encoder);
  } else {
    info.kind = "encoder";
    Encoder encoder(options);
    LoadModule(*encoder, archive, path);
    info.parameters = info.encoder_parameters = CountParameters(*encoder);
  }
  if (info.architecture_recorded) info.gflops_per_audio_second = 2e-9 * Encoder(options)->MacsPerSecond();
  return info;
}

}  // namespace jsqa
