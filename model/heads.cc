#include "model/heads.h"

namespace jsqa {

ContrastiveHeadImpl::ContrastiveHeadImpl(const ContrastiveHeadOptions& options) {
  if (options.projection_head()) {
    layers_ = torch::nn::Sequential(torch::nn::Linear(options.embedding_size(), options.embedding_size()),
                                    torch::nn::ReLU(),
                                    torch::nn::Linear(options.embedding_size(), options.output_size()));
  } else {
    layers_ = torch::nn::Sequential(torch::nn::Linear(options.embedding_size(), options.output_size()));
  }
  register_module("layers", layers_);
}

torch::Tensor ContrastiveHeadImpl::forward(const torch::Tensor& embedding) { return layers_->forward(embedding); }

MosHeadImpl::MosHeadImpl(int64_t embedding_size) {
  layers_ = torch::nn::Sequential(torch::nn::Linear(embedding_size, 256), torch::nn::LeakyReLU(),
                                  torch::nn::Linear(256, 128), torch::nn::LeakyReLU(),
                                  torch::nn::Linear(128, 64), torch::nn::LeakyReLU(), torch::nn::Linear(64, 1));
  register_module("layers", layers_);
}

torch::Tensor MosHeadImpl::forward(const torch::Tensor& embedding) {
  return 1.0 + 4.0 * torch::sigmoid(layers_->forward(embedding).squeeze(1));
}

}  // namespace jsqa
