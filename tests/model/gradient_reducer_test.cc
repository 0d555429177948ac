// The bucketed gradient all-reduce with two real ranks: two threads of this
// process, each with its own Gloo process group over loopback.
#include <gtest/gtest.h>

#include <thread>

#include "model/distributed.h"
#include "model/gradient_reducer.h"
#include "model/jsqa_models.h"
#include "tests/test_support.h"

namespace jsqa {
namespace {

EncoderOptions TinyEncoder() {
  EncoderOptions options;
  options.channels({4, 8, 8}).strides({2, 2, 2});
  return options;
}

// This rank's batch: each rank sees different clips.
torch::Tensor Input(int rank) {
  torch::manual_seed(100 + rank);
  return torch::randn({3, 800});
}

torch::Tensor Loss(MosModel& model, const torch::Tensor& input) {
  return torch::mse_loss(model(input), torch::tensor({2.0f, 3.0f, 4.0f}));
}

std::vector<torch::Tensor> Gradients(MosModel& model) {
  std::vector<torch::Tensor> gradients;
  for (const auto& parameter : model->parameters()) gradients.push_back(parameter.grad().clone());
  return gradients;
}

struct RankResult {
  std::vector<torch::Tensor> gradients;
  int64_t started_before_backward_ended = -1;  // all-reduces started when the last gradient was computed
  int64_t buckets = 0;
  std::string error;
};

TEST(GradientReducer, TwoRanksGetTheMeanGradientAllReducedDuringBackward) {
  const int port = testing::FreePort();
  // Made here, not in the rank threads: torch's random generator is one
  // per process. The same weights on both ranks; each its own batch.
  std::vector<MosModel> models;
  std::vector<torch::Tensor> inputs;
  for (int rank = 0; rank < 2; ++rank) {
    torch::manual_seed(1);
    models.emplace_back(TinyEncoder());
    inputs.push_back(Input(rank));
  }
  RankResult results[2];
  std::vector<std::thread> ranks;
  for (int rank = 0; rank < 2; ++rank)
    ranks.emplace_back([&, rank] {
      try {
        DistributedEnv env;
        env.rank = rank;
        env.world = 2;
        env.master_port = port;
        Distributed distributed(env, torch::kCPU, std::chrono::seconds(30));
        MosModel& model = models[rank];
        const std::vector<torch::Tensor> parameters = model->parameters();
        // One byte per bucket: every parameter its own bucket, started as
        // soon as its gradient exists.
        GradientReducer reducer(distributed, parameters, /*bucket_bytes=*/1);
        results[rank].buckets = reducer.buckets();
        // The first parameter's gradient comes last in backward (the
        // encoder's first layer): count what had started by then.
        parameters.front().register_hook([&](torch::Tensor gradient) {
          results[rank].started_before_backward_ended = distributed.all_reduces_started();
          return gradient;
        });
        reducer.Prepare();
        Loss(model, inputs[rank]).backward();
        reducer.Finish();
        results[rank].gradients = Gradients(model);
      } catch (const std::exception& error) {
        results[rank].error = error.what();
      }
    });
  for (auto& rank : ranks) rank.join();
  ASSERT_EQ(results[0].error, "");
  ASSERT_EQ(results[1].error, "");

  // What one process computes for each rank's batch, averaged.
  torch::manual_seed(1);
  MosModel single(TinyEncoder());
  std::vector<torch::Tensor> mean;
  for (int rank = 0; rank < 2; ++rank) {
    single->zero_grad();
    Loss(single, inputs[rank]).backward();
    const auto gradients = Gradients(single);
    if (mean.empty()) mean = gradients;
    else
      for (size_t i = 0; i < mean.size(); ++i) mean[i] = (mean[i] + gradients[i]) / 2;
  }
  const size_t parameters = mean.size();
  EXPECT_EQ(results[0].buckets, static_cast<int64_t>(parameters));
  for (int rank = 0; rank < 2; ++rank) {
    ASSERT_EQ(results[rank].gradients.size(), parameters);
    for (size_t i = 0; i < parameters; ++i)
      EXPECT_TRUE(torch::allclose(results[rank].gradients[i], mean[i], 1e-5, 1e-6)) << "rank " << rank << " tensor " << i;
    // Backward reaches the first layer last: by then the buckets of (nearly)
    // every later parameter had started, each as its gradient appeared.
    EXPECT_GE(results[rank].started_before_backward_ended, static_cast<int64_t>(parameters) - 2) << "rank " << rank;
  }
  for (size_t i = 0; i < parameters; ++i) EXPECT_TRUE(torch::equal(results[0].gradients[i], results[1].gradients[i]));
}

}  // namespace
}  // namespace jsqa
