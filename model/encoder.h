// The JSQA encoder: Conv1d layers on the raw waveform (kernel 15, batch norm,
// LeakyReLU), then average pooling over time to one embedding per clip.
//
// Variable-length batches: clips are zero-padded to the longest and come
// with their lengths. After every layer the positions past a clip's valid
// length are set to zero, which is exactly what the convolution's own zero
// padding gives a clip on its own; pooling averages valid positions only.
// So in evaluation a clip's embedding does not depend on what it is batched
// with (tested).
#pragma once

#include <torch/torch.h>

#include <vector>

namespace jsqa {

struct EncoderOptions {
  // One entry per Conv1d layer. The default (16 layers, strides 2 on the
  // first 8: 256× shorter in time) has about 25.6 M parameters.
  TORCH_ARG(std::vector<int64_t>, channels) = {32,  32,  64,  64,  128, 128, 256, 256,
                                               256, 256, 512, 512, 512, 512, 512, 512};
  TORCH_ARG(std::vector<int64_t>, strides) = {2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1};
  TORCH_ARG(int64_t, kernel_size) = 15;
  TORCH_ARG(double, negative_slope) = 0.01;  // LeakyReLU
};

class EncoderImpl : public torch::nn::Module {
 public:
  explicit EncoderImpl(const EncoderOptions& options = {});

  // waveform: [batch, samples] at 16 kHz; lengths: [batch] int64 valid
  // samples (undefined: all valid). Returns [batch, embedding_size()].
  torch::Tensor forward(const torch::Tensor& waveform, const torch::Tensor& lengths = {});

  const EncoderOptions& options() const { return options_; }
  int64_t embedding_size() const { return options_.channels().back(); }
  int64_t layers() const { return static_cast<int64_t>(convs_.size()); }
  // Fixes the first count layers for fine-tuning: no gradients, and batch
  // norm keeps its pretrained statistics (evaluation mode) even in train().
  void FreezeLayers(int64_t count);
  void train(bool on = true) override;
  // The embedding of one long clip [samples], computed window by window so
  // that memory stays bounded for any length: each window of chunk_samples
  // (rounded to the total stride) gets the encoder's receptive field as
  // context on both sides, so every output frame is the one the whole clip
  // gives, and the mean over frames is the same (to float rounding; tested).
  // Evaluation mode only. Returns [embedding_size()].
  torch::Tensor LongClipEmbedding(const torch::Tensor& clip, int64_t chunk_samples);

  // Valid output frames of the last layer for input lengths [batch].
  torch::Tensor OutputLengths(const torch::Tensor& lengths) const;
  // Multiply-accumulates per second of 16 kHz audio (×2 for FLOPs).
  double MacsPerSecond(int sample_rate = 16000) const;

 private:
  EncoderOptions options_;
  int64_t frozen_layers_ = 0;

  // [batch, channels, frames] of the last layer, zero past each clip's end.
  torch::Tensor MaskedFrames(const torch::Tensor& waveform, const torch::Tensor& lengths);
  std::vector<torch::nn::Conv1d> convs_;
  std::vector<torch::nn::BatchNorm1d> norms_;
};
TORCH_MODULE(Encoder);

int64_t CountParameters(const torch::nn::Module& module);

}  // namespace jsqa
