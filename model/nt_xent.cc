#include "model/nt_xent.h"

#include "pipeline/base/error.h"

namespace jsqa {

torch::Tensor NtXentLoss(const torch::Tensor& a, const torch::Tensor& b, double temperature) {
  JSQA_CHECK(a.dim() == 2 && a.sizes() == b.sizes() && a.size(0) >= 2, "NT-Xent needs two [N >= 2, D] views");
  JSQA_CHECK(temperature > 0, "NT-Xent temperature must be > 0, got ", temperature);
  const int64_t n = a.size(0);
  const torch::Tensor z = torch::nn::functional::normalize(
      torch::cat({a, b}, 0), torch::nn::functional::NormalizeFuncOptions().dim(1));  // [2N, D]
  torch::Tensor logits = torch::matmul(z, z.t()) / temperature;                     // [2N, 2N]
  // An anchor is never its own negative.
  logits = logits.masked_fill(torch::eye(2 * n, torch::dtype(torch::kBool).device(z.device())),
                              -std::numeric_limits<double>::infinity());
  // Row i's positive is i + N (and i + N's is i).
  const torch::Tensor index = torch::arange(n, torch::dtype(torch::kLong).device(z.device()));
  const torch::Tensor targets = torch::cat({index + n, index});
  return torch::nn::functional::cross_entropy(logits, targets);
}

}  // namespace jsqa
