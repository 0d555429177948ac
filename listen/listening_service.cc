#include "listen/listening_service.h"

#include <openssl/rand.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "augment/audio_io.h"
#include "augment/counter_rng.h"
#include "augment/degradations/degradation.h"
#include "augment/resampler.h"
#include "augment/segment.h"
#include "listen/headphone_check.h"
#include "listen/listener_answers.h"
#include "listen/screening.h"
#include "listen/staircase.h"
#include "pipeline/base/logging.h"
#include "pipeline/base/sha256.h"
#include "pipeline/corpus/audio_folder_layout.h"
#include "pipeline/corpus/chime3_layout.h"

namespace jsqa {
namespace fs = std::filesystem;
namespace {

constexpr int kRate = kDegradationRate;  // Hz of every stimulus
constexpr int64_t kMaxResponseMs = 3600 * 1000;
constexpr size_t kWavCacheTrials = 64;

// FindAudioFiles of a comma-separated key, made absolute: the database's
// trials are read again (export, report) from other working folders.
std::vector<std::string> AudioFiles(const std::string& list, const std::string& key) {
  std::vector<std::string> files = FindAudioFiles(SplitList(list), key);
  for (std::string& file : files) file = fs::absolute(file).lexically_normal().string();
  return files;
}

}  // namespace

std::string RandomHexToken() {
  unsigned char bytes[32];
  JSQA_CHECK(RAND_bytes(bytes, sizeof(bytes)) == 1, "the system's random generator failed");
  static const char kHex[] = "0123456789abcdef";
  std::string token;
  for (unsigned char byte : bytes) {
    token += kHex[byte >> 4];
    token += kHex[byte & 15];
  }
  return token;
}

namespace {

std::string TokenHash(const std::string& token) {
  Sha256 hash;
  hash.Update(token.data(), token.size());
  return hash.HexDigest();
}

const char* PhaseName(int phase) {
  static const char* const kNames[] = {"level", "headphones", "trials", "comment", "done"};
  return kNames[phase];
}

// Code points of UTF-8 text (the JSON parser has checked it is UTF-8).
size_t CodePoints(const std::string& text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

}  // namespace

ListeningMaterial FindListeningMaterial(const ListenConfig& config) {
  ListeningMaterial material;
  material.speech = AudioFiles(config.speech, "listen.speech");
  for (const std::string& path : AudioFiles(config.noise, "listen.noise"))
    material.noise[NoiseEnvironmentOfFile(path)].push_back(path);
  const std::vector<std::string> wanted = SplitList(config.environments);
  if (!wanted.empty()) {
    std::map<std::string, std::vector<std::string>> kept;
    for (const std::string& environment : wanted) {
      const auto found = material.noise.find(environment);
      if (found == material.noise.end()) {
        std::vector<std::string> known;
        for (const auto& [name, files] : material.noise) known.push_back(name);
        throw UsageError("listen.environments: no noise file of environment " + environment + " in " + config.noise +
                         " (found: " + JoinList(known, ", ") + ")");
      }
      kept.insert(*found);
    }
    material.noise = std::move(kept);
  }
  return material;
}

struct ListeningService::ListenerView {
  StoredListener listener;
  std::vector<StoredTrial> trials;
  std::map<std::string, Staircase> staircases;  // by environment
  int headphone_trials = 0;     // made
  int listening_trials = 0;     // listening and catch trials made
  int answered = 0;
  ScreeningCounts screening;    // answered headphone and catch trials
  const StoredTrial* pending = nullptr;
  Phase phase = Phase::kLevel;
  int remaining = 0;  // trials still to come, at most
};

ListeningService::ListeningService(const ListenConfig& config, const std::string& db_path,
                                   const std::string& config_text)
    : config_((config.Validate("listen"), config)),
      condition_(ParseListeningCondition(config.chain, config.dimension, config.snr_db, "listen")),
      material_(FindListeningMaterial(config)),
      db_path_(db_path),
      store_(db_path, config_text),
      recordings_(config.stimulus_seconds) {
  for (const auto& [environment, files] : material_.noise) environments_.push_back(environment);
}

nlohmann::json ListeningService::Intro() const {
  return {{"title", config_.title},
          {"consent", config_.consent},
          {"instructions", config_.instructions},
          {"task", TaskName(config_.task)},
          {"question", config_.question}};
}

ListeningService::NewSession ListeningService::StartSession() {
  const std::string token = RandomHexToken();
  std::lock_guard<std::mutex> lock(store_mutex_);
  if (store_.ListenerCount() >= config_.max_listeners)
    throw RequestError(503, "this test has its " + std::to_string(config_.max_listeners) + " listeners already");
  const int64_t listener = store_.AddListener(TokenHash(token));
  return {token, StateLocked(listener)};
}

std::optional<int64_t> ListeningService::ListenerOf(const std::string& token) {
  if (token.size() != 64) return std::nullopt;
  std::lock_guard<std::mutex> lock(store_mutex_);
  const std::optional<StoredListener> listener = store_.FindListener(TokenHash(token));
  if (!listener) return std::nullopt;
  return listener->id;
}

ListeningService::ListenerView ListeningService::View(int64_t listener) const {
  ListenerView view;
  view.listener = *store_.GetListener(listener);
  view.trials = store_.Trials(listener);
  const StaircaseRule rule = config_.Staircase();
  for (const std::string& environment : environments_) view.staircases.emplace(environment, Staircase(rule));
  view.screening = CountScreening(view.trials);
  for (const StoredTrial& trial : view.trials) {
    if (trial.kind == TrialKind::kHeadphones) ++view.headphone_trials;
    else ++view.listening_trials;
    if (!trial.choice) {
      view.pending = &trial;
      continue;
    }
    ++view.answered;
    if (trial.kind != TrialKind::kListening) continue;
    const auto staircase = view.staircases.find(trial.staircase);
    if (staircase != view.staircases.end() && !staircase->second.Finished()) staircase->second.Record(trial.correct);
  }
  const int headphone_trials = config_.headphone_check ? config_.headphone_trials : 0;
  int staircase_trials_left = 0;
  for (const auto& [environment, staircase] : view.staircases)
    if (!staircase.Finished()) staircase_trials_left += config_.max_trials - staircase.trials();
  const int catch_left = config_.catch_every > 1 ? staircase_trials_left / (config_.catch_every - 1) : 0;
  view.remaining = std::max(0, headphone_trials - view.screening.headphone_answered) + staircase_trials_left + catch_left;
  if (!view.listener.level_confirmed) view.phase = Phase::kLevel;
  else if (view.screening.headphone_answered < headphone_trials) view.phase = Phase::kHeadphones;
  else if (staircase_trials_left > 0) view.phase = Phase::kTrials;
  else if (!view.listener.comment) view.phase = Phase::kComment;
  else view.phase = Phase::kDone;
  return view;
}

int64_t ListeningService::Length(const std::string& path) const {
  const auto found = lengths_.find(path);
  if (found != lengths_.end()) return found->second;
  const AudioInfo info = ProbeAudio(path);
  return lengths_[path] = ResampledLength(info.frames, info.sample_rate, kRate);
}

StoredTrial ListeningService::MakeTrial(const ListenerView& view, int64_t listener) const {
  StoredTrial trial;
  trial.listener_id = listener;
  trial.seq = static_cast<int>(view.trials.size());
  CounterRng rng(config_.seed, MixKeys(static_cast<uint64_t>(listener), static_cast<uint64_t>(trial.seq)));
  if (view.phase == Phase::kHeadphones) {
    trial.kind = TrialKind::kHeadphones;
    const std::array<HeadphoneTone, 3> order =
        HeadphoneTrialOrder(config_.seed, static_cast<uint64_t>(listener), view.headphone_trials);
    for (HeadphoneTone tone : order)
      trial.layout += tone == HeadphoneTone::kInPhase ? 'i' : tone == HeadphoneTone::kQuieter ? 'q' : 'x';
    trial.correct_choice = HeadphoneCorrectChoice(order);
    return trial;
  }
  // A listening trial: from a staircase still running, picked at random so
  // that environments interleave; every catch_every-th is a catch trial.
  std::vector<std::string> running;
  for (const auto& [environment, staircase] : view.staircases)
    if (!staircase.Finished()) running.push_back(environment);
  trial.staircase = running[rng.UniformInt(running.size())];
  const int number = view.listening_trials + 1;
  const bool is_catch = config_.catch_every > 0 && number % config_.catch_every == 0;
  trial.kind = is_catch ? TrialKind::kCatch : TrialKind::kListening;
  const bool same_different = config_.task == ListenTask::kSameDifferent;
  // Same/different catch trials alternate: identical, then a huge Δ.
  const bool identical = is_catch && same_different && (number / config_.catch_every) % 2 == 1;
  trial.delta = !is_catch ? view.staircases.at(trial.staircase).NextDelta() : identical ? 0.0 : config_.catch_delta;
  trial.dimension = condition_.dimension;
  trial.chain = condition_.chain_text;
  trial.base = condition_.snr_db;
  const int64_t segment = std::llround(config_.stimulus_seconds * kRate);
  trial.clean_path = material_.speech[rng.UniformInt(material_.speech.size())];
  const std::vector<std::string>& noise = material_.noise.at(trial.staircase);
  trial.noise_path = noise[rng.UniformInt(noise.size())];
  const int64_t clean_length = Length(trial.clean_path);
  // Short speech starts at 0 and is padded; longer speech is cropped.
  trial.clean_offset = clean_length > segment ? PickOffset(rng, clean_length, segment) : 0;
  trial.noise_offset = PickOffset(rng, Length(trial.noise_path), segment);
  if (same_different) {
    if (identical) {
      trial.layout = "aa";
      trial.correct_choice = 0;
    } else {
      trial.layout = rng.UniformInt(2) == 0 ? "ab" : "ba";
      trial.correct_choice = 1;
    }
  } else {
    const int intervals = config_.Intervals();
    const int odd = static_cast<int>(rng.UniformInt(static_cast<uint64_t>(intervals)));
    trial.layout.assign(static_cast<size_t>(intervals), 'a');
    trial.layout[static_cast<size_t>(odd)] = 'b';
    trial.correct_choice = odd;
  }
  trial.stimulus_key = rng.NextU64();
  return trial;
}

nlohmann::json ListeningService::TrialJson(const StoredTrial& trial) const {
  const bool headphones = trial.kind == TrialKind::kHeadphones;
  nlohmann::json audio = nlohmann::json::array();
  for (size_t i = 0; i < trial.layout.size(); ++i)
    audio.push_back("/api/audio/" + std::to_string(trial.id) + "/" + std::to_string(i));
  // A catch trial looks like any other to the listener.
  return {{"id", trial.id},
          {"kind", headphones ? "headphones" : "trial"},
          {"intervals", trial.layout.size()},
          {"question", headphones ? "Which tone is the softest?" : config_.question},
          {"choices", headphones ? std::vector<std::string>{"First", "Second", "Third"} : config_.Choices()},
          {"audio", audio}};
}

nlohmann::json ListeningService::StateLocked(int64_t listener) {
  ListenerView view = View(listener);
  nlohmann::json trial = nullptr;
  if (view.phase == Phase::kHeadphones || view.phase == Phase::kTrials) {
    if (view.pending) {
      trial = TrialJson(*view.pending);
    } else {
      StoredTrial made = MakeTrial(view, listener);
      made.id = store_.AddTrial(made);
      trial = TrialJson(made);
    }
  }
  return {{"phase", PhaseName(static_cast<int>(view.phase))},
          {"progress", {{"answered", view.answered}, {"total", view.answered + view.remaining}}},
          {"trial", trial}};
}

nlohmann::json ListeningService::State(int64_t listener) {
  std::lock_guard<std::mutex> lock(store_mutex_);
  return StateLocked(listener);
}

nlohmann::json ListeningService::ConfirmLevel(int64_t listener) {
  std::lock_guard<std::mutex> lock(store_mutex_);
  store_.ConfirmLevel(listener);
  return StateLocked(listener);
}

nlohmann::json ListeningService::Answer(int64_t listener, int64_t trial_id, int choice, int64_t response_ms) {
  std::lock_guard<std::mutex> lock(store_mutex_);
  const std::optional<StoredTrial> trial = store_.GetTrial(trial_id);
  if (!trial || trial->listener_id != listener)
    throw RequestError(404, "no trial " + std::to_string(trial_id) + " in this session");
  // A listener's next trial is made only when none is pending, so an
  // unanswered trial of theirs is the current one.
  if (trial->choice) throw RequestError(409, "trial " + std::to_string(trial_id) + " is already answered");
  const int choices = static_cast<int>(trial->kind == TrialKind::kHeadphones ? 3 : config_.Choices().size());
  if (choice < 0 || choice >= choices)
    throw RequestError(400, "choice " + std::to_string(choice) + ": allowed 0.." + std::to_string(choices - 1));
  if (response_ms < 0 || response_ms > kMaxResponseMs)
    throw RequestError(400, "response_ms " + std::to_string(response_ms) + ": allowed 0.." +
                                std::to_string(kMaxResponseMs));
  if (!store_.AddAnswer(trial_id, choice, choice == trial->correct_choice, response_ms))
    throw RequestError(409, "trial " + std::to_string(trial_id) + " is already answered");
  return StateLocked(listener);
}

nlohmann::json ListeningService::Comment(int64_t listener, const std::string& text) {
  if (CodePoints(text) > static_cast<size_t>(config_.max_comment_chars))
    throw RequestError(400, "comment: longer than " + std::to_string(config_.max_comment_chars) + " characters");
  for (char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (c == '<' || c == '>' || u < 0x20 || u == 0x7f)
      throw RequestError(400, "comment: the characters < > and control characters are not allowed");
  }
  std::lock_guard<std::mutex> lock(store_mutex_);
  if (View(listener).phase != Phase::kComment) throw RequestError(409, "no comment is asked for now");
  store_.SetComment(listener, text);
  return StateLocked(listener);
}

std::pair<std::vector<float>, std::vector<float>> ListeningService::Stimuli(const StoredTrial& trial) {
  TrialRecordings::Segments segments;
  {
    std::lock_guard<std::mutex> lock(audio_mutex_);
    segments = recordings_.Get(trial);
  }
  StimulusArgs args;
  args.level_dbfs = config_.level_dbfs;
  args.seed = config_.seed;
  args.key = trial.stimulus_key;
  StimulusPair pair = MakeStimulusPair(segments.clean, segments.noise, condition_, trial.delta,
                                       config_.direction == DegradeDirection::kUp, args);
  return {std::move(pair.a), std::move(pair.b)};
}

std::string ListeningService::TrialAudio(int64_t listener, int64_t trial_id, int interval) {
  std::optional<StoredTrial> trial;
  {
    std::lock_guard<std::mutex> lock(store_mutex_);
    trial = store_.GetTrial(trial_id);
  }
  if (!trial || trial->listener_id != listener)
    throw RequestError(404, "no trial " + std::to_string(trial_id) + " in this session");
  if (interval < 0 || interval >= static_cast<int>(trial->layout.size()))
    throw RequestError(404, "trial " + std::to_string(trial_id) + " has no interval " + std::to_string(interval));
  {
    std::lock_guard<std::mutex> lock(audio_mutex_);
    for (const auto& [id, wavs] : wav_cache_)
      if (id == trial_id) return wavs[static_cast<size_t>(interval)];
  }
  std::vector<std::string> wavs;
  if (trial->kind == TrialKind::kHeadphones) {
    for (char tone : trial->layout)
      wavs.push_back(EncodeWav(HeadphoneCheckTone(tone == 'i'   ? HeadphoneTone::kInPhase
                                                  : tone == 'q' ? HeadphoneTone::kQuieter
                                                                : HeadphoneTone::kAntiphase,
                                                  kRate),
                               2, kRate));
  } else {
    const auto [a, b] = Stimuli(*trial);
    const std::string wav_a = EncodeWav(a, 1, kRate);
    const std::string wav_b = EncodeWav(b, 1, kRate);
    for (char signal : trial->layout) wavs.push_back(signal == 'a' ? wav_a : wav_b);
  }
  std::lock_guard<std::mutex> lock(audio_mutex_);
  wav_cache_.emplace_front(trial_id, wavs);
  if (wav_cache_.size() > kWavCacheTrials) wav_cache_.pop_back();
  return wavs[static_cast<size_t>(interval)];
}

std::string ListeningService::LevelAudio() {
  StoredTrial trial;
  trial.clean_path = material_.speech.front();
  trial.noise_path = material_.noise.begin()->second.front();
  trial.delta = 0.0;
  return EncodeWav(Stimuli(trial).first, 1, kRate);
}

nlohmann::json ListeningService::Progress() {
  std::lock_guard<std::mutex> lock(store_mutex_);
  const ScreeningRule rule = config_.Screening();
  nlohmann::json listeners = nlohmann::json::array();
  for (const StoredListener& listener : store_.Listeners()) {
    const ListenerView view = View(listener.id);
    const ScreeningResult screening = Screen(view.screening, rule);
    listeners.push_back(
        {{"id", listener.id},
         {"phase", PhaseName(static_cast<int>(view.phase))},
         {"answered", view.answered},
         {"total", view.answered + view.remaining},
         {"headphones", std::to_string(view.screening.headphone_correct) + "/" +
                            std::to_string(view.screening.headphone_answered)},
         {"catch", std::to_string(view.screening.catch_correct) + "/" + std::to_string(view.screening.catch_answered)},
         {"included", screening.included()},
         {"reason", screening.reason}});
  }
  return {{"listeners", listeners}, {"answers", store_.AnswerCount()}};
}

}  // namespace jsqa
