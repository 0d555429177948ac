#include "model/training_config.h"

#include <cmath>

#include "model/distributed.h"
#include "pipeline/base/error.h"

namespace jsqa {
namespace {

std::vector<int64_t> ParseIntList(const std::string& key, const std::string& text) {
  std::vector<int64_t> values;
  for (const std::string& item : SplitList(text)) {
    size_t used = 0;
    long long value = 0;
    try {
      value = std::stoll(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != item.size() || value < 1) throw UsageError(key + " = '" + text + "': allowed: integers >= 1, comma-separated");
    values.push_back(value);
  }
  if (values.empty()) throw UsageError(key + " = '" + text + "': allowed: a non-empty list of integers >= 1");
  return values;
}

}  // namespace

void RequireDeviceAvailable(const RuntimeConfig& runtime) { ResolveDevice(runtime.device, 0); }

std::string CanonicalDbName(const std::string& db) { return db.rfind("NISQA_", 0) == 0 ? db : "NISQA_" + db; }

void ModelConfig::Declare(KeyDeclarations& keys) {
  keys.Key("channels", channels, "output channels of each Conv1d layer, comma-separated; the last is the embedding size")
      .Check([this](const std::string& key) { ParseIntList(key, channels); });
  keys.Key("strides", strides, "stride of each Conv1d layer (as many as channels)")
      .Check([this](const std::string& key) { ParseIntList(key, strides); });
  keys.Key("kernel_size", kernel_size, "Conv1d kernel size").Check([this](const std::string& key) {
    if (kernel_size < 1 || kernel_size % 2 == 0)
      throw UsageError(key + " = " + std::to_string(kernel_size) + ": allowed: odd, >= 1");
  });
  keys.Key("projection_head", projection_head,
           "pretrain through a 2-layer MLP head (true) or one linear map (false, the paper's best)");
  keys.Key("contrastive_size", contrastive_size, "size of the vector NT-Xent compares").AtLeast(1);
}

void ModelConfig::ValidateTogether(const std::string& prefix) const {
  const std::string p = prefix + ".";
  const auto channel_list = ParseIntList(p + "channels", channels);
  const auto stride_list = ParseIntList(p + "strides", strides);
  if (channel_list.size() != stride_list.size())
    throw UsageError(p + "strides has " + std::to_string(stride_list.size()) + " entries, " + p + "channels " +
                     std::to_string(channel_list.size()) + ": allowed: one stride per layer");
}

std::vector<int64_t> ModelConfig::Channels() const { return ParseIntList("model.channels", channels); }
std::vector<int64_t> ModelConfig::Strides() const { return ParseIntList("model.strides", strides); }

void OptimizerSettings::Declare(KeyDeclarations& keys, int min_batch_size) {
  keys.Key("batch_size", batch_size,
           "examples per step over all ranks together (a multiple of the number of ranks)")
      .AtLeast(min_batch_size);
  keys.Choice("optimizer", optimizer, "adam, adamw or sgd (momentum 0.9)",
              {{"adam", Optimizer::kAdam}, {"adamw", Optimizer::kAdamW}, {"sgd", Optimizer::kSgd}});
  keys.Key("learning_rate", learning_rate, "peak learning rate").Above(0);
  keys.Key("weight_decay", weight_decay, "weight decay").AtLeast(0);
  keys.Choice("schedule", schedule, "learning rate after warm-up (cosine and linear decay to 0 at the last step)",
              {{"constant", Schedule::kConstant}, {"cosine", Schedule::kCosine}, {"linear", Schedule::kLinear}});
  keys.Key("warmup_steps", warmup_steps, "steps of linear warm-up from 0").AtLeast(0);
  keys.Key("seed", seed, "seed of the initial weights and the data order");
  keys.Key("checkpoint_every", checkpoint_every, "steps between checkpoints (training resumes from the latest after a kill)")
      .AtLeast(1);
  keys.Key("log_every", log_every, "steps between metrics.csv rows").AtLeast(1);
}

double OptimizerSettings::LearningRateAt(int64_t step, int64_t total_steps) const {
  if (step < warmup_steps) return learning_rate * double(step + 1) / double(warmup_steps + 1);
  const int64_t decay_steps = std::max<int64_t>(1, total_steps - warmup_steps);
  const double progress = std::min(1.0, double(step - warmup_steps) / double(decay_steps));  // 0 → 1
  switch (schedule) {
    case Schedule::kConstant:
      return learning_rate;
    case Schedule::kCosine:
      return learning_rate * 0.5 * (1.0 + std::cos(M_PI * progress));
    case Schedule::kLinear:
      return learning_rate * (1.0 - progress);
  }
  return learning_rate;
}

void PretrainConfig::Declare(KeyDeclarations& keys) {
  keys.Choice("source", source,
              "shards (read the synth stage's HDF5 shards) or on-the-fly (synthesise pairs while training)",
              {{"shards", Source::kShards}, {"on-the-fly", Source::kOnTheFly}});
  keys.Key("shards", shards, "folder of the shards and manifest.json (under `run`: the graph's synth input)");
  keys.Key("steps", steps, "optimisation steps").AtLeast(1);
  keys.Key("temperature", temperature, "NT-Xent temperature").Above(0);
  keys.Key("gather_negatives", gather_negatives, "with several ranks, use all ranks' pairs as negatives");
  optimization.Declare(keys, 2);  // NT-Xent needs negatives
}

void FinetuneConfig::Declare(KeyDeclarations& keys) {
  keys.Key("pretrained", pretrained,
           "a pretrain folder or its encoder.pt; empty: train from scratch (under `run`: the graph's pretrain input)");
  keys.Choice("init", init,
              "pretrained (start from the pretrained encoder when there is one) or scratch (random weights: the "
              "baseline)",
              {{"pretrained", Init::kPretrained}, {"scratch", Init::kScratch}});
  keys.Key("train_dbs", train_dbs, "NISQA datasets to train on").Check([this](const std::string& key) {
    if (TrainDbs().empty()) throw UsageError(key + " is empty: allowed: one or more NISQA datasets");
  });
  keys.Key("val_dbs", val_dbs, "NISQA datasets to validate on");
  keys.Choice("encoder", encoder,
              "trained (all layers), frozen (head only) or partial (the last trainable_layers conv layers)",
              {{"trained", EncoderTraining::kTrained},
               {"frozen", EncoderTraining::kFrozen},
               {"partial", EncoderTraining::kPartial}});
  keys.Key("trainable_layers", trainable_layers, "with encoder = partial: how many of the last conv layers train")
      .AtLeast(1);
  keys.Key("epochs", epochs, "passes over the training set").AtLeast(1);
  keys.Key("segment_seconds", segment_seconds, "random crop length for training, seconds (validation uses full clips)")
      .Between(0.25, 60);
  keys.Choice("select", select, "model kept: best (lowest validation RMSE, checked each epoch) or last",
              {{"best", Select::kBest}, {"last", Select::kLast}});
  optimization.Declare(keys, 1);
}

void FinetuneConfig::ValidateTogether(const std::string& prefix) const {
  const std::string p = prefix + ".";
  if (select == Select::kBest && ValDbs().empty())
    throw UsageError(p + "select = best needs " + p + "val_dbs; allowed: set val_dbs or select = last");
}

void EvaluateConfig::Declare(KeyDeclarations& keys) {
  keys.Key("model", model, "a finetune folder or its model.pt (under `run`: the graph's finetune input)");
  keys.Key("dbs", dbs, "NISQA datasets to evaluate on, each reported alone").Check([this](const std::string& key) {
    if (Dbs().empty()) throw UsageError(key + " is empty: allowed: one or more NISQA datasets");
  });
  keys.Key("batch_size", batch_size, "clips per forward pass (padded and masked: never changes a score)")
      .AtLeast(1)
      .Execution();
}

void RuntimeConfig::Declare(KeyDeclarations& keys) {
  // A device spec (cuda:N carries a number), parsed by model/distributed.cc.
  keys.Key("device", device, "cpu, cuda or cuda:N")
      .Execution()
      .Check([this](const std::string& key) {
        if (device != "cpu" && device != "cuda" && device.rfind("cuda:", 0) != 0)
          throw UsageError(key + " = '" + device + "': allowed: cpu, cuda, cuda:N");
      });
  keys.Threads("threads", threads, "torch threads per process");
  keys.Choice("mixed_precision", mixed_precision, "off, or bf16 (CUDA autocast to bfloat16)",
              {{"off", MixedPrecision::kOff}, {"bf16", MixedPrecision::kBf16}});
  keys.Key("timeout_seconds", timeout_seconds,
           "how long a rank waits for the others (rendezvous and each collective) before failing")
      .AtLeast(1)
      .Execution();
}

}  // namespace jsqa
