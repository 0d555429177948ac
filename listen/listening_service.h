// The listening test's logic, without HTTP: sessions, what each listener
// hears next (headphone screening, then interleaved staircases with catch
// trials), answers, and the stimuli as WAV bytes. Every listener's state is
// rebuilt from the database on each request, so a restarted server resumes
// every session where it was.
//
// Thread-safe: one mutex serialises the database (one writer); stimuli are
// made outside it.
#pragma once

#include <cstdint>
#include <list>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "listen/listen_config.h"
#include "listen/listening_condition.h"
#include "listen/listening_store.h"
#include "listen/trial_recordings.h"
#include "pipeline/base/error.h"

namespace jsqa {

// A request the service refuses: an HTTP status (4xx) and a one-line reason.
class RequestError : public Error {
 public:
  RequestError(int status, const std::string& reason) : Error(reason), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

// 256 random bits as hex, from OpenSSL's generator: session and admin
// tokens.
std::string RandomHexToken();

// The recordings stimuli are cut from, decoded once at 16 kHz.
struct ListeningMaterial {
  std::vector<std::string> speech;                               // paths
  std::map<std::string, std::vector<std::string>> noise;         // environment -> paths
};

// Expands listen.speech and listen.noise (files, or folders searched for
// audio) and groups the noise by environment, keeping listen.environments
// when set. Throws UsageError naming the key for a missing path, no audio,
// or an environment that has no file.
ListeningMaterial FindListeningMaterial(const ListenConfig& config);

class ListeningService {
 public:
  // Opens (or creates) the database at db_path. config_text: the resolved
  // [listen] section, recorded in a new database. Validates config as
  // loading it does (UsageError naming the key): a Δ that would leave a
  // degradation's domain must not reach a trial.
  ListeningService(const ListenConfig& config, const std::string& db_path, const std::string& config_text);

  nlohmann::json Intro() const;

  struct NewSession {
    std::string token;  // 256 random bits, hex; stored only as its SHA-256
    nlohmann::json state;
  };
  // RequestError 503 past listen.max_listeners.
  NewSession StartSession();
  // The listener a token belongs to; nullopt for an unknown token.
  std::optional<int64_t> ListenerOf(const std::string& token);

  // {"phase", "progress": {"answered", "total"}, "trial": null | {...}},
  // making the next trial when the phase needs one and none is pending.
  nlohmann::json State(int64_t listener);
  nlohmann::json ConfirmLevel(int64_t listener);
  // RequestError: 404 for a trial that is not this listener's, 409 for an
  // answered or not-yet-current one, 400 for a choice out of range.
  nlohmann::json Answer(int64_t listener, int64_t trial_id, int choice, int64_t response_ms);
  // RequestError 400 for a comment too long or holding '<', '>' or control
  // characters, 409 before the comment phase.
  nlohmann::json Comment(int64_t listener, const std::string& text);

  // WAV bytes of one interval of one of the listener's trials; RequestError
  // 404 otherwise.
  std::string TrialAudio(int64_t listener, int64_t trial_id, int interval);
  // A stimulus at the test's level, for the listener to set the volume.
  std::string LevelAudio();

  // Admin: each listener's progress and screening.
  nlohmann::json Progress();
  const ListenConfig& config() const { return config_; }
  const std::string& db_path() const { return db_path_; }

 private:
  enum class Phase { kLevel, kHeadphones, kTrials, kComment, kDone };
  struct ListenerView;  // a listener's trials and staircases, rebuilt from the store

  ListenerView View(int64_t listener) const;
  nlohmann::json StateLocked(int64_t listener);
  StoredTrial MakeTrial(const ListenerView& view, int64_t listener) const;
  nlohmann::json TrialJson(const StoredTrial& trial) const;
  // A recording's length at the stimuli's rate, probed once (under
  // store_mutex_, as MakeTrial runs).
  int64_t Length(const std::string& path) const;
  std::pair<std::vector<float>, std::vector<float>> Stimuli(const StoredTrial& trial);

  ListenConfig config_;
  ListeningCondition condition_;
  ListeningMaterial material_;
  std::vector<std::string> environments_;  // sorted; one staircase each
  std::string db_path_;
  std::mutex store_mutex_;
  ListeningStore store_;
  mutable std::map<std::string, int64_t> lengths_;
  std::mutex audio_mutex_;
  TrialRecordings recordings_;  // guarded by audio_mutex_
  // The last few trials' WAV bytes per interval, newest first.
  std::list<std::pair<int64_t, std::vector<std::string>>> wav_cache_;
};

}  // namespace jsqa
