// The heads on top of the encoder's embedding.
#pragma once

#include <torch/torch.h>

namespace jsqa {

// What the contrastive loss sees: a 256-d vector. With projection_head, a
// two-layer MLP (512 → 512 → 256, ReLU) as in SimCLR; without it (the
// default: the paper found the head hurts, PCC 0.710 vs 0.821), one linear
// map 512 → 256, so the loss acts on a linear view of the embedding itself
// and no non-linearity can absorb what the embedding should learn.
struct ContrastiveHeadOptions {
  TORCH_ARG(int64_t, embedding_size) = 512;
  TORCH_ARG(int64_t, output_size) = 256;
  TORCH_ARG(bool, projection_head) = false;
};

class ContrastiveHeadImpl : public torch::nn::Module {
 public:
  explicit ContrastiveHeadImpl(const ContrastiveHeadOptions& options = {});
  // [batch, embedding_size] → [batch, output_size]
  torch::Tensor forward(const torch::Tensor& embedding);

 private:
  torch::nn::Sequential layers_;
};
TORCH_MODULE(ContrastiveHead);

// The MOS regression head: 4 fully connected layers (512 → 256 → 128 → 64
// → 1, LeakyReLU between), output 1 + 4·sigmoid(z), always within (1, 5).
class MosHeadImpl : public torch::nn::Module {
 public:
  explicit MosHeadImpl(int64_t embedding_size = 512);
  // [batch, embedding_size] → [batch] MOS
  torch::Tensor forward(const torch::Tensor& embedding);

 private:
  torch::nn::Sequential layers_;
};
TORCH_MODULE(MosHead);

}  // namespace jsqa
