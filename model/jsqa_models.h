// The two networks built from [model]: the pretraining network (encoder +
// contrastive head) and the MOS network (encoder + regression head). Their
// encoders share checkpoint keys ("encoder.conv0.weight", ...), so a
// pretrained encoder loads straight into the MOS network.
//
// Files for users (readable by Python's torch.jit.load, see README):
//   encoder.pt  the pretrained Encoder's parameters and buffers
//   model.pt    the fine-tuned MosModel's
// Both carry the attributes jsqa_channels, jsqa_strides and
// jsqa_kernel_size that rebuild the network (an encoder.pt written by an
// older build has none).
#pragma once

#include <torch/torch.h>

#include <optional>
#include <string>

#include "model/encoder.h"
#include "model/heads.h"
#include "model/training_config.h"

namespace jsqa {

EncoderOptions EncoderOptionsFrom(const ModelConfig& config);

class PretrainModelImpl : public torch::nn::Module {
 public:
  explicit PretrainModelImpl(const ModelConfig& config);
  // [batch, samples] → [batch, contrastive_size]
  torch::Tensor forward(const torch::Tensor& waveform);

  Encoder encoder{nullptr};
  ContrastiveHead head{nullptr};
};
TORCH_MODULE(PretrainModel);

class MosModelImpl : public torch::nn::Module {
 public:
  explicit MosModelImpl(const EncoderOptions& options);
  // [batch, samples] with valid lengths [batch] (undefined: all valid) → [batch] MOS in (1, 5)
  torch::Tensor forward(const torch::Tensor& waveform, const torch::Tensor& lengths = {});

  Encoder encoder{nullptr};
  MosHead head{nullptr};
};
TORCH_MODULE(MosModel);

// encoder.pt: written atomically; Load throws jsqa::Error naming the file
// when it is missing or does not fit the encoder's shape.
void SaveEncoderFile(const std::string& path, Encoder& encoder);
void LoadEncoderFile(const std::string& path, Encoder& encoder);

// The architecture a file's attributes record; nullopt when it has none.
std::optional<EncoderOptions> ReadArchitecture(torch::serialize::InputArchive& archive);

// model.pt with the architecture as attributes; LoadMosModelFile rebuilds
// the network on device, in evaluation mode.
void SaveMosModelFile(const std::string& path, MosModel& model, const EncoderOptions& options);
MosModel LoadMosModelFile(const std::string& path, const torch::Device& device);

}  // namespace jsqa
