#include "pipeline/synthesis/pair_batches.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <list>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "augment/counter_rng.h"
#include "pipeline/base/error.h"
#include "pipeline/shards/shard_io.h"
#include "pipeline/synthesis/synth_graph.h"
#include "pipeline/synthesis/synthesis.h"
#include "pipeline/base/text_files.h"

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
  ShardBatches(const std::string& dir, int64_t batch_size, const RankSlice& slice, const ShardOrder& order)
      : batch_size_(batch_size), slice_(slice) {
    JSQA_CHECK(batch_size >= 1, "batch size ", batch_size, ": need >= 1");
    const std::string manifest_path = (fs::path(dir) / "manifest.json").string();
    if (!fs::exists(manifest_path))
      throw Error(manifest_path + ": missing: the shards in " + dir + " are not all complete");
    const nlohmann::json manifest = ReadJsonFile(manifest_path);
    for (const auto& shard : manifest.at("shards")) {
      const int32_t file = static_cast<int32_t>(files_.size());
      files_.push_back((fs::path(dir) / shard.at("file").get<std::string>()).string());
      for (int64_t pair = 0; pair < shard.at("pairs").get<int64_t>(); ++pair) pairs_.push_back({file, pair});
    }
    if (order.shuffle) {  // Fisher-Yates from a counter-based stream: the same on every rank
      CounterRng rng(order.seed, MixKeys(StableHash64("shard-order"), static_cast<uint64_t>(order.epoch)));
      for (size_t i = pairs_.size(); i > 1; --i) std::swap(pairs_[i - 1], pairs_[rng.UniformInt(i)]);
    }
    batches_ = static_cast<int64_t>(pairs_.size()) / (batch_size_ * slice_.world);
  }

  bool Next(PairBatch& batch) override {
    batch = PairBatch();
    if (next_batch_ >= batches_) return false;
    const int64_t first = (next_batch_++ * slice_.world + slice_.rank) * batch_size_;
    for (int64_t row = first; row < first + batch_size_; ++row) {
      const auto [file, pair] = pairs_[row];
      AddPair(batch, Reader(file).Read(pair));
    }
    return true;
  }

  void Skip(int64_t count) override { next_batch_ = std::min(batches_, next_batch_ + count); }

 private:
  static constexpr size_t kOpenReaders = 8;  // bounds open HDF5 files and their chunk caches

  const ShardReader& Reader(int32_t file) {
    for (auto it = readers_.begin(); it != readers_.end(); ++it)
      if (it->first == file) {
        readers_.splice(readers_.begin(), readers_, it);  // most recently used first
        return readers_.front().second;
      }
    if (readers_.size() == kOpenReaders) readers_.pop_back();
    readers_.emplace_front(file, ShardReader(files_[file]));
    return readers_.front().second;
  }

  const int64_t batch_size_;
  const RankSlice slice_;
  std::vector<std::string> files_;
  std::vector<std::pair<int32_t, int64_t>> pairs_;  // (file, pair in file), in epoch order
  int64_t batches_ = 0;
  int64_t next_batch_ = 0;
  std::list<std::pair<int32_t, ShardReader>> readers_;
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

void PairBatchSource::Skip(int64_t count) {
  PairBatch batch;
  for (int64_t i = 0; i < count && Next(batch); ++i) {
  }
}

std::unique_ptr<PairBatchSource> OpenShardBatches(const std::string& dir, int64_t batch_size,
                                                  const RankSlice& slice, const ShardOrder& order) {
  return std::make_unique<ShardBatches>(dir, batch_size, slice, order);
}

std::unique_ptr<PairBatchSource> OpenOnTheFlyBatches(const Config& config, const std::vector<ManifestItem>& speech,
                                                     const std::vector<ManifestItem>& noise, int64_t batch_size,
                                                     const RankSlice& slice) {
  return std::make_unique<OnTheFlyBatches>(config, speech, noise, batch_size, slice);
}

}  // namespace jsqa
