// Model shapes, the default size, padding invariance, the MOS range and the
// NT-Xent loss against a value computed by hand.
#include <gtest/gtest.h>

#include <cmath>

#include "model/encoder.h"
#include "model/heads.h"
#include "model/nt_xent.h"

namespace jsqa {
namespace {

EncoderOptions SmallEncoder() {
  EncoderOptions options;
  options.channels({8, 8, 16, 16}).strides({2, 2, 1, 1});
  return options;
}

TEST(Encoder, DefaultIsAboutThePapersSizeAndShapesAreRight) {
  Encoder encoder;
  const int64_t parameters = CountParameters(*encoder);
  EXPECT_GT(parameters, 24'000'000);
  EXPECT_LT(parameters, 28'000'000);
  // 16 layers of kernel 15, 256× shorter in time after 8 strides of 2.
  EXPECT_GT(encoder->MacsPerSecond(), 1e9);
  const torch::Tensor lengths = torch::tensor({16000, 12000}, torch::kLong);
  EXPECT_TRUE(torch::equal(encoder->OutputLengths(lengths), torch::tensor({63, 47}, torch::kLong)));
  encoder->eval();
  torch::NoGradGuard no_grad;
  EXPECT_EQ(encoder->forward(torch::randn({2, 16000}), lengths).sizes(), (std::vector<int64_t>{2, 512}));
}

TEST(Encoder, PaddingInABatchNeverChangesAClipsEmbedding) {
  torch::manual_seed(3);
  Encoder encoder(SmallEncoder());
  // Train a step so batch-norm statistics are not the identity.
  encoder->train();
  encoder->forward(torch::randn({4, 3000}));
  encoder->eval();
  torch::NoGradGuard no_grad;
  const torch::Tensor short_clip = torch::randn({1, 1234});
  const torch::Tensor long_clip = torch::randn({1, 3001});
  const torch::Tensor alone = encoder->forward(short_clip);
  torch::Tensor batch = torch::zeros({2, 3001});
  batch.index_put_({0, torch::indexing::Slice(0, 1234)}, short_clip[0]);
  batch[1] = long_clip[0];
  const torch::Tensor together = encoder->forward(batch, torch::tensor({1234, 3001}, torch::kLong));
  EXPECT_TRUE(torch::allclose(together[0], alone[0], 1e-5, 1e-6));
  EXPECT_TRUE(torch::allclose(together[1], encoder->forward(long_clip)[0], 1e-5, 1e-6));
}

TEST(MosHead, OutputStaysWithinOneToFive) {
  MosHead head(16);
  torch::NoGradGuard no_grad;
  const torch::Tensor mos = head->forward(1000 * torch::randn({64, 16}));
  EXPECT_EQ(mos.sizes(), (std::vector<int64_t>{64}));
  EXPECT_GE(mos.min().item<double>(), 1.0);
  EXPECT_LE(mos.max().item<double>(), 5.0);
}

TEST(ContrastiveHead, ProjectsTo256EitherWay) {
  for (bool projection : {false, true}) {
    ContrastiveHead head(ContrastiveHeadOptions().projection_head(projection));
    EXPECT_EQ(head->forward(torch::randn({3, 512})).sizes(), (std::vector<int64_t>{3, 256}));
  }
}

TEST(NtXent, MatchesAHandComputedValue) {
  // Two pairs in 2-D: a = (1,0), (0,1); b = (1,1), (1,-1). After normalising,
  // the four vectors u0 = (1,0), u1 = (0,1), u2 = (1,1)/√2, u3 = (1,-1)/√2.
  const torch::Tensor a = torch::tensor({{1.0, 0.0}, {0.0, 1.0}}, torch::kDouble);
  const torch::Tensor b = torch::tensor({{1.0, 1.0}, {1.0, -1.0}}, torch::kDouble);
  const double t = 0.5;
  const double r = 1.0 / std::sqrt(2.0);
  // Cosine similarities s[i][j], i != j.
  const double s[4][4] = {{0, 0, r, r}, {0, 0, r, -r}, {r, r, 0, 0}, {r, -r, 0, 0}};
  const int positive[4] = {2, 3, 0, 1};
  double expected = 0.0;
  for (int i = 0; i < 4; ++i) {
    double denominator = 0.0;
    for (int j = 0; j < 4; ++j)
      if (j != i) denominator += std::exp(s[i][j] / t);
    expected += -std::log(std::exp(s[i][positive[i]] / t) / denominator);
  }
  expected /= 4;
  EXPECT_NEAR(NtXentLoss(a, b, t).item<double>(), expected, 1e-12);
}

TEST(NtXent, IsLowForMatchingViewsAndGivesGradients) {
  torch::manual_seed(1);
  const torch::Tensor a = torch::randn({8, 32}, torch::requires_grad());
  const torch::Tensor matched = NtXentLoss(a, a.detach() + 0.01 * torch::randn({8, 32}), 0.1);
  const torch::Tensor unmatched = NtXentLoss(a, torch::randn({8, 32}), 0.1);
  EXPECT_LT(matched.item<double>(), unmatched.item<double>());
  matched.backward();
  EXPECT_GT(a.grad().abs().sum().item<double>(), 0.0);
  EXPECT_THROW(NtXentLoss(a, a, 0.0), std::exception);
}

}  // namespace
}  // namespace jsqa
