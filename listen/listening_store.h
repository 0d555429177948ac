// The listening test's database: SQLite (WAL) holding listeners, the trials
// they were given and their answers. One answer is one committed
// transaction, so a server killed at any moment loses no answer it
// acknowledged, and a new server on the same file resumes every session.
//
// Schema (version 1; README "Collecting your own JND judgments"):
//   meta(key TEXT PRIMARY KEY, value TEXT)       schema_version, config
//   listeners(id INTEGER PRIMARY KEY, token_sha256 TEXT UNIQUE, created_at,
//             level_confirmed INTEGER, comment TEXT NULL, finished_at NULL)
//   trials(id INTEGER PRIMARY KEY, listener_id, seq, kind, staircase,
//          dimension, chain, clean_path, clean_offset, noise_path,
//          noise_offset, base, delta, layout, correct_choice, stimulus_key,
//          created_at; UNIQUE(listener_id, seq))
//   answers(trial_id INTEGER PRIMARY KEY REFERENCES trials, choice, correct,
//           response_ms, answered_at)
// A listener's token is never stored, only its SHA-256.
//
// Not thread-safe: the service owns the one connection and serialises
// calls (one writer, as SQLite wants).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace jsqa {

enum class TrialKind { kHeadphones, kListening, kCatch };
std::string TrialKindName(TrialKind kind);  // "headphones", "trial", "catch"

struct StoredTrial {
  int64_t id = 0;
  int64_t listener_id = 0;
  int seq = 0;  // 0, 1, ... per listener
  TrialKind kind = TrialKind::kListening;
  std::string staircase;  // the noise environment of a listening trial; "" otherwise
  std::string dimension;
  std::string chain;
  std::string clean_path;
  int64_t clean_offset = 0;  // samples at 16 kHz
  std::string noise_path;
  int64_t noise_offset = 0;
  double base = 0.0;   // the condition's SNR, dB
  double delta = 0.0;  // in the dimension's unit
  // Per interval, which signal plays: 'a' (condition) or 'b' (moved by
  // Δ); for a headphone trial the tones: 'i' in phase, 'q' quieter, 'x'
  // antiphase.
  std::string layout;
  int correct_choice = 0;
  uint64_t stimulus_key = 0;
  // Filled when answered.
  std::optional<int> choice;
  bool correct = false;
  int64_t response_ms = 0;
};

struct StoredListener {
  int64_t id = 0;
  std::string created_at;
  bool level_confirmed = false;
  std::optional<std::string> comment;
};

class ListeningStore {
 public:
  // Opens or creates path (WAL, synchronous=FULL, foreign keys); a new
  // database records config_text. Throws jsqa::Error naming the path for
  // a file that is not a listening-test database of this schema.
  ListeningStore(const std::string& path, const std::string& config_text);
  // Opens an existing database (export, report); throws jsqa::Error naming
  // the path when there is none.
  explicit ListeningStore(const std::string& path);
  ~ListeningStore();
  ListeningStore(const ListeningStore&) = delete;
  ListeningStore& operator=(const ListeningStore&) = delete;

  const std::string& path() const { return path_; }
  std::string ConfigText() const;

  int64_t AddListener(const std::string& token_sha256);
  std::optional<StoredListener> FindListener(const std::string& token_sha256) const;
  std::optional<StoredListener> GetListener(int64_t id) const;
  std::vector<StoredListener> Listeners() const;
  int64_t ListenerCount() const;
  void ConfirmLevel(int64_t listener_id);
  void SetComment(int64_t listener_id, const std::string& comment);

  // Inserts trial (its id is assigned and returned).
  int64_t AddTrial(const StoredTrial& trial);
  // Records an answer in one transaction; false (nothing written) when the
  // trial already has one.
  bool AddAnswer(int64_t trial_id, int choice, bool correct, int64_t response_ms);
  // A listener's trials in seq order, answered or not.
  std::vector<StoredTrial> Trials(int64_t listener_id) const;
  std::optional<StoredTrial> GetTrial(int64_t trial_id) const;
  int64_t AnswerCount() const;

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
};

}  // namespace jsqa
