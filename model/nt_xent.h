// NT-Xent (normalised temperature-scaled cross entropy, SimCLR): for a batch
// of N pairs, each of the 2N vectors has its pair's other mixture as the
// positive and the other 2N − 2 vectors as negatives; similarities are
// cosine similarities divided by the temperature; the loss is the mean
// cross entropy over all 2N anchors (both directions).
#pragma once

#include <torch/torch.h>

namespace jsqa {

// a, b: [N, D], row i of a and row i of b from the same pair. Returns a
// scalar. With several processes, pass the negatives gathered from all
// ranks by concatenating them into a and b (the positive of row i stays
// row i of the other view).
torch::Tensor NtXentLoss(const torch::Tensor& a, const torch::Tensor& b, double temperature);

}  // namespace jsqa
