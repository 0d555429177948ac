#include "pipeline/pair_batches.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "augment/error.h"
#include "pipeline/shard_io.h"
#include "pipeline/synth_graph.h"
#include "pipeline/synthesis.h"
#include "pipeline/text_files.h"

namespace jsqa {
namespace fs = std::filesystem;
namespace {

// Appends one pair to a batch being filled.
void AddPair(PairBatch& batch, const JndPair& pair) {
  if (batch.size == 0) batch.samples = static_cast<int64_t>(pair.a.size());
  JSQA_CHECK(static_cast<int64_t>(pair.a.size()) == batch.samples && pair.b.size() == pair.a.size(),
             "pair ", pair.item_index, " has ", pair.a.size(), " samples, the batch ", batch.samples);
  batch.a.insert(batch.a.end(), pair.a.begin(), pair.a.end());
  batch.b.insert(batch.b.end(), pair.b.begin(), pair.b.end());
  batch.item_index.push_back(pair.item_index);
  ++batch.size;
}

class ShardBatches : public PairBatchSource {
 public:
  ShardBatches(const std::string& dir, int64_t batch_size, const RankSlice& slice) : batch_size_(batch_size) {
    JSQA_CHECK(batch_size >= 1, "batch size ", batch_size, ": need >= 1");
    const std::string manifest_path = (fs::path(dir) / "manifest.json").string();
    if (!fs::exists(manifest_path))
      throw Error(manifest_path + ": missing: the shards in " + dir + " are not all complete");
    const nlohmann::json manifest = ReadJsonFile(manifest_path);
    const auto& shards = manifest.at("shards");
    for (size_t j = slice.rank; j < shards.size(); j += slice.world)
      files_.push_back((fs::path(dir) / shards[j].at("file").get<std::string>()).string());
  }

  bool Next(PairBatch& batch) override {
    batch = PairBatch();
    while (batch.size < batch_size_) {
      if (!reader_ || next_pair_ >= reader_->pairs()) {
        if (next_file_ >= files_.size()) break;
        reader_ = std::make_unique<ShardReader>(files_[next_file_++]);
        next_pair_ = 0;
        continue;
      }
      AddPair(batch, reader_->Read(next_pair_++));
    }
    return batch.size > 0;
  }

 private:
  const int64_t batch_size_;
  std::vector<std::string> files_;
  size_t next_file_ = 0;
  std::unique_ptr<ShardReader> reader_;
  int64_t next_pair_ = 0;
};

// Collects the ordered pairs of the graph into batches on a bounded queue.
class OnTheFlyBatches : public PairBatchSource, private PairSink {
 public:
  OnTheFlyBatches(const Config& config, std::vector<ManifestItem> speech, std::vector<ManifestItem> noise,
                  int64_t batch_size, const RankSlice& slice)
      : speech_(std::move(speech)), noise_(std::move(noise)), batch_size_(batch_size) {
    JSQA_CHECK(batch_size >= 1, "batch size ", batch_size, ": need >= 1");
    setup_ = std::make_unique<SynthSetup>(config, speech_, noise_);
    units_ = setup_->plan().Units(setup_->plan().ShardsOfJob(slice.rank, slice.world));
    worker_ = std::thread([this] { Produce(); });
  }

  ~OnTheFlyBatches() override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    changed_.notify_all();
    worker_.join();
  }

  bool Next(PairBatch& batch) override {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return !queue_.empty() || finished_; });
    if (error_) std::rethrow_exception(error_);
    if (queue_.empty()) return false;
    batch = std::move(queue_.front());
    queue_.pop_front();
    changed_.notify_all();
    return true;
  }

 private:
  static constexpr size_t kQueuedBatches = 4;  // bounds memory: batches ready ahead of training

  void Produce() {
    try {
      SynthGraphArgs args;
      args.threads = setup_->threads();
      args.stop = &stop_;
      RunSynthGraph(units_, setup_->maker(), *this, args);
      if (filling_.size > 0) Push(std::move(filling_));
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex_);
      error_ = std::current_exception();
    }
    std::lock_guard<std::mutex> lock(mutex_);
    finished_ = true;
    changed_.notify_all();
  }

  void Consume(UnitResult& result) override {
    for (const JndPair& pair : result.pairs) {
      AddPair(filling_, pair);
      if (filling_.size == batch_size_) {
        Push(std::move(filling_));
        filling_ = PairBatch();
      }
    }
  }

  void Push(PairBatch&& batch) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return queue_.size() < kQueuedBatches || stop_; });
    if (stop_) return;
    queue_.push_back(std::move(batch));
    changed_.notify_all();
  }

  const std::vector<ManifestItem> speech_, noise_;
  const int64_t batch_size_;
  std::unique_ptr<SynthSetup> setup_;
  std::vector<SynthUnit> units_;
  PairBatch filling_;  // touched only by the graph's serial sink
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<PairBatch> queue_;
  std::atomic<bool> stop_{false};
  bool finished_ = false;
  std::exception_ptr error_;
  std::thread worker_;
};

}  // namespace

std::unique_ptr<PairBatchSource> OpenShardBatches(const std::string& dir, int64_t batch_size,
                                                  const RankSlice& slice) {
  return std::make_unique<ShardBatches>(dir, batch_size, slice);
}

std::unique_ptr<PairBatchSource> OpenOnTheFlyBatches(const Config& config, const std::vector<ManifestItem>& speech,
                                                     const std::vector<ManifestItem>& noise, int64_t batch_size,
                                                     const RankSlice& slice) {
  return std::make_unique<OnTheFlyBatches>(config, speech, noise, batch_size, slice);
}

}  // namespace jsqa
