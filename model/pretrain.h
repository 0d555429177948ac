// Contrastive pretraining of the encoder on JND pairs (NT-Xent): each pair's
// two mixtures are positives, the rest of the global batch negatives.
#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "pipeline/base/config.h"
#include "pipeline/synthesis/pair_batches.h"

namespace jsqa {

// Opens this rank's batches (batch_size pairs each) for one pass over the data.
using PairBatchOpener =
    std::function<std::unique_ptr<PairBatchSource>(int64_t epoch, int64_t batch_size, const RankSlice& slice)>;

// Checks this rank's share of the data (e.g. VerifyShards with the slice);
// throws naming what is wrong.
using DataCheck = std::function<void(const RankSlice& slice)>;

// Trains per [model], [pretrain] and [runtime] into out_dir: checkpoints/,
// metrics.csv and loss.png/.svg (rank 0), and encoder.pt at the end. Resumes
// from out_dir's latest checkpoint. Returns the summary (steps, losses,
// throughput, data-wait fraction). check_data, when given, runs once the
// ranks have met (a long check before would hold them apart at the
// rendezvous past its timeout), then the ranks agree on its outcome before
// any batch is read: when a rank's share fails, every rank ends with that
// rank's error (the lowest such rank's).
nlohmann::json RunPretraining(const Config& config, const std::string& out_dir, const PairBatchOpener& open_batches,
                              const DataCheck& check_data = {});

}  // namespace jsqa
