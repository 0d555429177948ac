#include "pipeline/synthesis/pair_batches.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "augment/counter_rng.h"
#include "pipeline/base/error.h"
#include "pipeline/base/prefetcher.h"
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

// Reads the pairs of each batch in parallel (threads rows at a time) on a
// background thread, one batch ahead of the consumer.
class ShardBatches : public PairBatchSource {
 public:
  ShardBatches(const std::string& dir, int64_t batch_size, const RankSlice& slice, const ShardOrder& order,
               int threads)
      : batch_size_(batch_size), slice_(slice), arena_(threads > 0 ? threads : tbb::task_arena::automatic) {
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
    readers_.resize(files_.size());
  }

  bool Next(PairBatch& batch) override {
    if (!ahead_) ahead_ = std::make_unique<Prefetcher<PairBatch>>([this] { return Read(); }, kBatchesAhead);
    PairBatch ready = ahead_->Next();
    GiveBack(std::move(batch));
    batch = std::move(ready);
    if (batch.size == 0) return false;
    ++consumed_;
    return true;
  }

  void Skip(int64_t count) override {
    ahead_.reset();  // drops the batches read ahead
    next_batch_ = consumed_ = std::min(batches_, consumed_ + count);
  }

 private:
  // Batches read ahead of the consumer: [kBatchesAhead, B, 2, L] floats
  // (16 MiB per batch of 64 pairs of 4 s at 16 kHz).
  static constexpr size_t kBatchesAhead = 1;

  // The consumer's previous batch, whose buffers the next Read fills: new
  // ones would cost the kernel zeroing 32 MiB of fresh pages per batch.
  void GiveBack(PairBatch&& used) {
    if (used.a.capacity() == 0) return;
    std::lock_guard<std::mutex> lock(spare_mutex_);
    if (spare_.size() < kBatchesAhead + 1) spare_.push_back(std::move(used));
  }

  PairBatch TakeSpare() {
    std::lock_guard<std::mutex> lock(spare_mutex_);
    if (spare_.empty()) return PairBatch();
    PairBatch batch = std::move(spare_.back());
    spare_.pop_back();
    return batch;
  }

  // The next batch on the prefetcher's thread; an empty one past the end.
  PairBatch Read() {
    if (next_batch_ >= batches_) return PairBatch();
    PairBatch batch = TakeSpare();
    const int64_t first = (next_batch_++ * slice_.world + slice_.rank) * batch_size_;
    for (int64_t row = first; row < first + batch_size_; ++row) Open(pairs_[row].first);
    batch.size = batch_size_;
    batch.samples = readers_[pairs_[first].first]->info().segment_samples;
    const size_t samples = static_cast<size_t>(batch.samples);
    batch.a.resize(batch_size_ * samples);
    batch.b.resize(batch_size_ * samples);
    batch.item_index.resize(batch_size_);
    // A failed row is kept, and the first by row is thrown: the same error
    // whatever the threads' timing.
    std::vector<std::exception_ptr> failures(batch_size_);
    arena_.execute([&] {
      tbb::parallel_for(int64_t{0}, batch_size_, [&](int64_t row) {
        try {
          const auto [file, pair] = pairs_[first + row];
          const ShardReader& reader = *readers_[file];
          JSQA_CHECK(reader.info().segment_samples == batch.samples, files_[file], ": pairs of ",
                     reader.info().segment_samples, " samples, the batch's have ", batch.samples);
          reader.ReadMixtures(pair, &batch.a[row * samples], &batch.b[row * samples]);
          batch.item_index[row] = reader.PairMetadata()[pair].item_index;
        } catch (...) {
          failures[row] = std::current_exception();
        }
      });
    });
    for (const std::exception_ptr& failure : failures)
      if (failure) std::rethrow_exception(failure);
    return batch;
  }

  // Opens a shard at its first use (reading its metadata and chunk places);
  // it stays open, holding no file descriptor.
  void Open(int32_t file) {
    if (!readers_[file]) readers_[file] = std::make_unique<ShardReader>(files_[file]);
  }

  const int64_t batch_size_;
  const RankSlice slice_;
  std::vector<std::string> files_;
  std::vector<std::pair<int32_t, int64_t>> pairs_;  // (file, pair in file), in epoch order
  int64_t batches_ = 0;
  int64_t next_batch_ = 0;  // the next to read, on the prefetcher's thread
  int64_t consumed_ = 0;    // handed to the consumer
  std::vector<std::unique_ptr<ShardReader>> readers_;  // [files], opened at first use
  tbb::task_arena arena_;
  std::mutex spare_mutex_;
  std::vector<PairBatch> spare_;  // buffers handed back by the consumer
  std::unique_ptr<Prefetcher<PairBatch>> ahead_;  // last: its thread uses everything above
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
                                                  const RankSlice& slice, const ShardOrder& order, int threads) {
  return std::make_unique<ShardBatches>(dir, batch_size, slice, order, threads);
}

std::unique_ptr<PairBatchSource> OpenOnTheFlyBatches(const Config& config, const std::vector<ManifestItem>& speech,
                                                     const std::vector<ManifestItem>& noise, int64_t batch_size,
                                                     const RankSlice& slice) {
  return std::make_unique<OnTheFlyBatches>(config, speech, noise, batch_size, slice);
}

}  // namespace jsqa
