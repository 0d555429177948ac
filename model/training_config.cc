#include "model/training_config.h"

#include <cmath>

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

void RequirePositive(const std::string& key, double value) {
  if (!(value > 0)) throw UsageError(key + " = " + FormatDouble(value) + ": allowed: > 0");
}

void RequireAtLeast(const std::string& key, int64_t value, int64_t minimum) {
  if (value < minimum) throw UsageError(key + " = " + std::to_string(value) + ": allowed: >= " + std::to_string(minimum));
}

}  // namespace

std::string CanonicalDbName(const std::string& db) { return db.rfind("NISQA_", 0) == 0 ? db : "NISQA_" + db; }

void ModelConfig::Register(po::options_description& options, const std::string& prefix) {
  const std::string p = prefix + ".";
  options.add_options()
      ((p + "channels").c_str(), po::value(&channels)->default_value(channels),
       "output channels of each Conv1d layer, comma-separated; the last is the embedding size")
      ((p + "strides").c_str(), po::value(&strides)->default_value(strides),
       "stride of each Conv1d layer (as many as channels)")
      ((p + "kernel_size").c_str(), po::value(&kernel_size)->default_value(kernel_size), "Conv1d kernel size (odd)")
      ((p + "projection_head").c_str(), po::value(&projection_head)->default_value(projection_head),
       "pretrain through a 2-layer MLP head (true) or one linear map (false, the paper's best)")
      ((p + "contrastive_size").c_str(), po::value(&contrastive_size)->default_value(contrastive_size),
       "size of the vector NT-Xent compares");
}

void ModelConfig::Validate(const std::string& prefix) const {
  const std::string p = prefix + ".";
  const auto channel_list = ParseIntList(p + "channels", channels);
  const auto stride_list = ParseIntList(p + "strides", strides);
  if (channel_list.size() != stride_list.size())
    throw UsageError(p + "strides has " + std::to_string(stride_list.size()) + " entries, " + p + "channels " +
                     std::to_string(channel_list.size()) + ": allowed: one stride per layer");
  if (kernel_size < 1 || kernel_size % 2 == 0)
    throw UsageError(p + "kernel_size = " + std::to_string(kernel_size) + ": allowed: odd, >= 1");
  RequireAtLeast(p + "contrastive_size", contrastive_size, 1);
}

std::string ModelConfig::ToString() const {
  return KeyValueText()
      .Add("channels", channels)
      .Add("strides", strides)
      .Add("kernel_size", kernel_size)
      .Add("projection_head", projection_head)
      .Add("contrastive_size", contrastive_size)
      .str();
}

std::vector<int64_t> ModelConfig::Channels() const { return ParseIntList("model.channels", channels); }
std::vector<int64_t> ModelConfig::Strides() const { return ParseIntList("model.strides", strides); }

void OptimizerSettings::Register(po::options_description& options, const std::string& prefix) {
  const std::string p = prefix + ".";
  options.add_options()
      ((p + "batch_size").c_str(), po::value(&batch_size)->default_value(batch_size),
       "examples per step over all ranks together (a multiple of the number of ranks)")
      ((p + "optimizer").c_str(), po::value(&optimizer)->default_value(optimizer), "adam, adamw or sgd (momentum 0.9)")
      ((p + "learning_rate").c_str(), po::value(&learning_rate)->default_value(learning_rate), "peak learning rate")
      ((p + "weight_decay").c_str(), po::value(&weight_decay)->default_value(weight_decay), "weight decay (>= 0)")
      ((p + "schedule").c_str(), po::value(&schedule)->default_value(schedule),
       "learning rate after warm-up: constant, cosine or linear (both decay to 0 at the last step)")
      ((p + "warmup_steps").c_str(), po::value(&warmup_steps)->default_value(warmup_steps),
       "steps of linear warm-up from 0")
      ((p + "seed").c_str(), po::value(&seed)->default_value(seed), "seed of the initial weights and the data order")
      ((p + "checkpoint_every").c_str(), po::value(&checkpoint_every)->default_value(checkpoint_every),
       "steps between checkpoints (training resumes from the latest after a kill)")
      ((p + "log_every").c_str(), po::value(&log_every)->default_value(log_every), "steps between metrics.csv rows");
}

void OptimizerSettings::Validate(const std::string& prefix) const {
  const std::string p = prefix + ".";
  RequireAtLeast(p + "batch_size", batch_size, 1);
  RequireOneOf(p + "optimizer", optimizer, {"adam", "adamw", "sgd"});
  RequirePositive(p + "learning_rate", learning_rate);
  if (!(weight_decay >= 0)) throw UsageError(p + "weight_decay = " + FormatDouble(weight_decay) + ": allowed: >= 0");
  RequireOneOf(p + "schedule", schedule, {"constant", "cosine", "linear"});
  RequireAtLeast(p + "warmup_steps", warmup_steps, 0);
  RequireAtLeast(p + "checkpoint_every", checkpoint_every, 1);
  RequireAtLeast(p + "log_every", log_every, 1);
}

void OptimizerSettings::AddTo(KeyValueText& text) const {
  text.Add("batch_size", batch_size)
      .Add("optimizer", optimizer)
      .Add("learning_rate", learning_rate)
      .Add("weight_decay", weight_decay)
      .Add("schedule", schedule)
      .Add("warmup_steps", warmup_steps)
      .Add("seed", seed)
      .Add("checkpoint_every", checkpoint_every)
      .Add("log_every", log_every);
}

double OptimizerSettings::LearningRateAt(int64_t step, int64_t total_steps) const {
  if (step < warmup_steps) return learning_rate * double(step + 1) / double(warmup_steps + 1);
  const int64_t decay_steps = std::max<int64_t>(1, total_steps - warmup_steps);
  const double progress = std::min(1.0, double(step - warmup_steps) / double(decay_steps));  // 0 → 1
  if (schedule == "cosine") return learning_rate * 0.5 * (1.0 + std::cos(M_PI * progress));
  if (schedule == "linear") return learning_rate * (1.0 - progress);
  return learning_rate;
}

void PretrainConfig::Register(po::options_description& options, const std::string& prefix) {
  const std::string p = prefix + ".";
  options.add_options()
      ((p + "source").c_str(), po::value(&source)->default_value(source),
       "shards (read the synth stage's HDF5 shards) or on-the-fly (synthesise pairs while training)")
      ((p + "shards").c_str(), po::value(&shards)->default_value(shards),
       "folder of the shards and manifest.json (under `run`: the graph's synth input)")
      ((p + "steps").c_str(), po::value(&steps)->default_value(steps), "optimisation steps")
      ((p + "temperature").c_str(), po::value(&temperature)->default_value(temperature), "NT-Xent temperature")
      ((p + "gather_negatives").c_str(), po::value(&gather_negatives)->default_value(gather_negatives),
       "with several ranks, use all ranks' pairs as negatives");
  optimization.Register(options, prefix);
}

void PretrainConfig::Validate(const std::string& prefix) const {
  const std::string p = prefix + ".";
  RequireOneOf(p + "source", source, {"shards", "on-the-fly"});
  RequireAtLeast(p + "steps", steps, 1);
  RequirePositive(p + "temperature", temperature);
  optimization.Validate(prefix);
  RequireAtLeast(p + "batch_size", optimization.batch_size, 2);  // NT-Xent needs negatives
}

std::string PretrainConfig::ToString() const {
  KeyValueText text;
  text.Add("source", source).Add("shards", shards).Add("steps", steps).Add("temperature", temperature);
  text.Add("gather_negatives", gather_negatives);
  optimization.AddTo(text);
  return text.str();
}

void FinetuneConfig::Register(po::options_description& options, const std::string& prefix) {
  const std::string p = prefix + ".";
  options.add_options()
      ((p + "pretrained").c_str(), po::value(&pretrained)->default_value(pretrained),
       "a pretrain folder or its encoder.pt; empty: train from scratch (under `run`: the graph's pretrain input)")
      ((p + "init").c_str(), po::value(&init)->default_value(init),
       "pretrained (start from the pretrained encoder when there is one) or scratch (random weights: the baseline)")
      ((p + "train_dbs").c_str(), po::value(&train_dbs)->default_value(train_dbs), "NISQA datasets to train on")
      ((p + "val_dbs").c_str(), po::value(&val_dbs)->default_value(val_dbs), "NISQA datasets to validate on")
      ((p + "encoder").c_str(), po::value(&encoder)->default_value(encoder),
       "trained (all layers), frozen (head only) or partial (the last trainable_layers conv layers)")
      ((p + "trainable_layers").c_str(), po::value(&trainable_layers)->default_value(trainable_layers),
       "with encoder = partial: how many of the last conv layers train")
      ((p + "epochs").c_str(), po::value(&epochs)->default_value(epochs), "passes over the training set")
      ((p + "segment_seconds").c_str(), po::value(&segment_seconds)->default_value(segment_seconds),
       "random crop length for training, seconds (validation uses full clips)")
      ((p + "select").c_str(), po::value(&select)->default_value(select),
       "model kept: best (lowest validation RMSE, checked each epoch) or last");
  optimization.Register(options, prefix);
}

void FinetuneConfig::Validate(const std::string& prefix) const {
  const std::string p = prefix + ".";
  if (TrainDbs().empty()) throw UsageError(p + "train_dbs is empty: allowed: one or more NISQA datasets");
  RequireOneOf(p + "init", init, {"pretrained", "scratch"});
  RequireOneOf(p + "encoder", encoder, {"trained", "frozen", "partial"});
  RequireAtLeast(p + "trainable_layers", trainable_layers, 1);
  RequireAtLeast(p + "epochs", epochs, 1);
  if (!(segment_seconds >= 0.25 && segment_seconds <= 60))
    throw UsageError(p + "segment_seconds = " + FormatDouble(segment_seconds) + ": allowed: 0.25..60");
  RequireOneOf(p + "select", select, {"best", "last"});
  if (select == "best" && ValDbs().empty())
    throw UsageError(p + "select = best needs " + p + "val_dbs; allowed: set val_dbs or select = last");
  optimization.Validate(prefix);
}

std::string FinetuneConfig::ToString() const {
  KeyValueText text;
  text.Add("pretrained", pretrained).Add("init", init).Add("train_dbs", train_dbs).Add("val_dbs", val_dbs).Add("encoder", encoder);
  text.Add("trainable_layers", trainable_layers).Add("epochs", epochs).Add("segment_seconds", segment_seconds);
  text.Add("select", select);
  optimization.AddTo(text);
  return text.str();
}

void EvaluateConfig::Register(po::options_description& options, const std::string& prefix) {
  const std::string p = prefix + ".";
  options.add_options()
      ((p + "model").c_str(), po::value(&model)->default_value(model),
       "a finetune folder or its model.pt (under `run`: the graph's finetune input)")
      ((p + "dbs").c_str(), po::value(&dbs)->default_value(dbs), "NISQA datasets to evaluate on, each reported alone")
      ((p + "batch_size").c_str(), po::value(&batch_size)->default_value(batch_size),
       "clips per forward pass (padded and masked: never changes a score)");
}

void EvaluateConfig::Validate(const std::string& prefix) const {
  const std::string p = prefix + ".";
  if (Dbs().empty()) throw UsageError(p + "dbs is empty: allowed: one or more NISQA datasets");
  RequireAtLeast(p + "batch_size", batch_size, 1);
}

std::string EvaluateConfig::ToString() const {
  return KeyValueText().Add("model", model).Add("dbs", dbs).Add("batch_size", batch_size).str();
}

void RuntimeConfig::Register(po::options_description& options, const std::string& prefix) {
  const std::string p = prefix + ".";
  options.add_options()
      ((p + "device").c_str(), po::value(&device)->default_value(device), "cpu, cuda or cuda:N")
      ((p + "threads").c_str(), po::value(&threads)->default_value(threads),
       "torch threads per process: auto (all cores) or a count >= 1")
      ((p + "mixed_precision").c_str(), po::value(&mixed_precision)->default_value(mixed_precision),
       "off, or bf16 (CUDA autocast to bfloat16)")
      ((p + "timeout_seconds").c_str(), po::value(&timeout_seconds)->default_value(timeout_seconds),
       "how long a rank waits for the others (rendezvous and each collective) before failing");
}

void RuntimeConfig::Validate(const std::string& prefix) const {
  const std::string p = prefix + ".";
  if (device != "cpu" && device != "cuda" && device.rfind("cuda:", 0) != 0)
    throw UsageError(p + "device = '" + device + "': allowed: cpu, cuda, cuda:N");
  ParseThreadCount(p + "threads", threads);
  RequireOneOf(p + "mixed_precision", mixed_precision, {"off", "bf16"});
  RequireAtLeast(p + "timeout_seconds", timeout_seconds, 1);
}

std::string RuntimeConfig::ToString() const {
  return KeyValueText()
      .Add("device", device)
      .Add("threads", threads)
      .Add("mixed_precision", mixed_precision)
      .Add("timeout_seconds", timeout_seconds)
      .str();
}

}  // namespace jsqa
