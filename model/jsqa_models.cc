#include "model/jsqa_models.h"

#include <filesystem>

#include "pipeline/base/error.h"
#include "model/archive_files.h"

namespace jsqa {

EncoderOptions EncoderOptionsFrom(const ModelConfig& config) {
  EncoderOptions options;
  options.channels(config.Channels()).strides(config.Strides()).kernel_size(config.kernel_size);
  return options;
}

PretrainModelImpl::PretrainModelImpl(const ModelConfig& config) {
  encoder = register_module("encoder", Encoder(EncoderOptionsFrom(config)));
  head = register_module("head", ContrastiveHead(ContrastiveHeadOptions()
                                                     .embedding_size(encoder->embedding_size())
                                                     .output_size(config.contrastive_size)
                                                     .projection_head(config.projection_head)));
}

torch::Tensor PretrainModelImpl::forward(const torch::Tensor& waveform) { return head(encoder(waveform)); }

MosModelImpl::MosModelImpl(const EncoderOptions& options) {
  encoder = register_module("encoder", Encoder(options));
  head = register_module("head", MosHead(encoder->embedding_size()));
}

torch::Tensor MosModelImpl::forward(const torch::Tensor& waveform, const torch::Tensor& lengths) {
  const torch::Tensor embedding = encoder(waveform, lengths);
  // The head in float32 whatever autocast the caller enabled: 1 + 4·sigmoid
  // in bfloat16 (8 significant bits) rounds scores to steps of 1/64 to 1/32.
  c10::impl::ExcludeDispatchKeyGuard no_autocast(c10::autocast_dispatch_keyset);
  return head(embedding.to(torch::kFloat));
}

namespace {

// The architecture as archive attributes, so a file rebuilds its network
// (and inspect describes it) without the config that trained it.
void WriteArchitecture(torch::serialize::OutputArchive& archive, const EncoderOptions& options) {
  archive.write("jsqa_channels", c10::IValue(c10::List<int64_t>(options.channels())));
  archive.write("jsqa_strides", c10::IValue(c10::List<int64_t>(options.strides())));
  archive.write("jsqa_kernel_size", c10::IValue(options.kernel_size()));
}

}  // namespace

std::optional<EncoderOptions> ReadArchitecture(torch::serialize::InputArchive& archive) {
  c10::IValue channels, strides, kernel_size;
  if (!archive.try_read("jsqa_channels", channels) || !archive.try_read("jsqa_strides", strides) ||
      !archive.try_read("jsqa_kernel_size", kernel_size))
    return std::nullopt;
  EncoderOptions options;
  options.channels(channels.toIntVector()).strides(strides.toIntVector()).kernel_size(kernel_size.toInt());
  return options;
}

void SaveEncoderFile(const std::string& path, Encoder& encoder) {
  torch::serialize::OutputArchive archive;
  encoder->save(archive);
  WriteArchitecture(archive, encoder->options());
  SaveArchive(archive, path);
}

void LoadEncoderFile(const std::string& path, Encoder& encoder) {
  torch::serialize::InputArchive archive;
  LoadArchive(archive, path);
  LoadModule(*encoder, archive, path);
}

void SaveMosModelFile(const std::string& path, MosModel& model, const EncoderOptions& options) {
  torch::serialize::OutputArchive archive;
  model->save(archive);
  WriteArchitecture(archive, options);
  SaveArchive(archive, path);
}

MosModel LoadMosModelFile(const std::string& path, const torch::Device& device) {
  torch::serialize::InputArchive archive;
  LoadArchive(archive, path);
  const std::optional<EncoderOptions> options = ReadArchitecture(archive);
  if (!options)
    throw Error(path + ": not a jsqa model.pt (no jsqa_channels/jsqa_strides/jsqa_kernel_size): use a finetune folder's model.pt");
  MosModel model(*options);
  LoadModule(*model, archive, path);
  model->to(device);
  model->eval();
  return model;
}

}  // namespace jsqa
