#include "model/encoder.h"

#include "augment/error.h"

namespace jsqa {

EncoderImpl::EncoderImpl(const EncoderOptions& options) : options_(options) {
  JSQA_CHECK(!options.channels().empty() && options.channels().size() == options.strides().size(),
             "encoder: channels and strides need the same, non-zero number of entries (",
             options.channels().size(), " vs ", options.strides().size(), ")");
  JSQA_CHECK(options.kernel_size() % 2 == 1, "encoder: kernel_size must be odd, got ", options.kernel_size());
  int64_t in_channels = 1;
  for (size_t i = 0; i < options.channels().size(); ++i) {
    const int64_t out_channels = options.channels()[i];
    // No bias: batch norm's shift makes it redundant.
    convs_.push_back(register_module(
        "conv" + std::to_string(i),
        torch::nn::Conv1d(torch::nn::Conv1dOptions(in_channels, out_channels, options.kernel_size())
                              .stride(options.strides()[i])
                              .padding(options.kernel_size() / 2)
                              .bias(false))));
    norms_.push_back(register_module("norm" + std::to_string(i), torch::nn::BatchNorm1d(out_channels)));
    in_channels = out_channels;
  }
}

void EncoderImpl::FreezeLayers(int64_t count) {
  frozen_layers_ = std::min<int64_t>(count, layers());
  for (int64_t i = 0; i < frozen_layers_; ++i) {
    for (auto& parameter : convs_[i]->parameters()) parameter.set_requires_grad(false);
    for (auto& parameter : norms_[i]->parameters()) parameter.set_requires_grad(false);
  }
  train(is_training());
}

void EncoderImpl::train(bool on) {
  torch::nn::Module::train(on);
  for (int64_t i = 0; i < frozen_layers_; ++i) norms_[i]->eval();
}

torch::Tensor EncoderImpl::OutputLengths(const torch::Tensor& lengths) const {
  torch::Tensor out = lengths;
  const int64_t padding = options_.kernel_size() / 2;
  for (int64_t stride : options_.strides())
    out = torch::floor_divide(out + 2 * padding - options_.kernel_size(), stride) + 1;
  return out;
}

torch::Tensor EncoderImpl::forward(const torch::Tensor& waveform, const torch::Tensor& lengths) {
  JSQA_CHECK(waveform.dim() == 2, "encoder input must be [batch, samples], got ", waveform.dim(), " dims");
  torch::Tensor x = waveform.unsqueeze(1);  // [batch, 1, samples]
  if (!lengths.defined()) {  // all valid: no masking to do
    for (size_t i = 0; i < convs_.size(); ++i)
      x = torch::leaky_relu(norms_[i]->forward(convs_[i]->forward(x)), options_.negative_slope());
    return x.mean(2);  // [batch, channels]
  }
  torch::Tensor valid = lengths.to(torch::kLong).to(x.device());
  const int64_t padding = options_.kernel_size() / 2;
  for (size_t i = 0; i < convs_.size(); ++i) {
    x = torch::leaky_relu(norms_[i]->forward(convs_[i]->forward(x)), options_.negative_slope());
    valid = torch::floor_divide(valid + 2 * padding - options_.kernel_size(), options_.strides()[i]) + 1;
    // [batch, 1, frames]: zero past each clip's end, as a lone clip's padding would be.
    const torch::Tensor mask =
        (torch::arange(x.size(2), valid.options()).unsqueeze(0) < valid.unsqueeze(1)).unsqueeze(1).to(x.dtype());
    x = x * mask;
  }
  const torch::Tensor frames = valid.clamp_min(1).to(x.dtype()).unsqueeze(1);  // [batch, 1]
  return x.sum(2) / frames;  // [batch, channels]: mean over valid frames
}

double EncoderImpl::MacsPerSecond(int sample_rate) const {
  double frames = sample_rate;
  double macs = 0.0;
  int64_t in_channels = 1;
  for (size_t i = 0; i < options_.channels().size(); ++i) {
    frames /= static_cast<double>(options_.strides()[i]);
    macs += frames * static_cast<double>(in_channels * options_.channels()[i] * options_.kernel_size());
    in_channels = options_.channels()[i];
  }
  return macs;
}

int64_t CountParameters(const torch::nn::Module& module) {
  int64_t count = 0;
  for (const auto& parameter : module.parameters()) count += parameter.numel();
  return count;
}

}  // namespace jsqa
