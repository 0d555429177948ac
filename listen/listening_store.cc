#include "listen/listening_store.h"

#include <sqlite3.h>

#include <chrono>
#include <ctime>
#include <filesystem>

#include "pipeline/base/error.h"

namespace jsqa {
namespace {

constexpr int kSchemaVersion = 1;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS listeners(
  id INTEGER PRIMARY KEY,
  token_sha256 TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  level_confirmed INTEGER NOT NULL DEFAULT 0,
  comment TEXT,
  finished_at TEXT);
CREATE TABLE IF NOT EXISTS trials(
  id INTEGER PRIMARY KEY,
  listener_id INTEGER NOT NULL REFERENCES listeners(id),
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK(kind IN ('headphones', 'trial', 'catch')),
  staircase TEXT NOT NULL,
  dimension TEXT NOT NULL,
  chain TEXT NOT NULL,
  clean_path TEXT NOT NULL,
  clean_offset INTEGER NOT NULL,
  noise_path TEXT NOT NULL,
  noise_offset INTEGER NOT NULL,
  base REAL NOT NULL,
  delta REAL NOT NULL,
  layout TEXT NOT NULL,
  correct_choice INTEGER NOT NULL,
  stimulus_key INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE(listener_id, seq));
CREATE TABLE IF NOT EXISTS answers(
  trial_id INTEGER PRIMARY KEY REFERENCES trials(id),
  choice INTEGER NOT NULL,
  correct INTEGER NOT NULL,
  response_ms INTEGER NOT NULL,
  answered_at TEXT NOT NULL);
)sql";

std::string NowUtc() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// One prepared statement; throws jsqa::Error naming the database and
// SQLite's message on failure.
class Statement {
 public:
  Statement(sqlite3* db, const std::string& path, const char* sql) : db_(db), path_(path) {
    if (sqlite3_prepare_v2(db, sql, -1, &statement_, nullptr) != SQLITE_OK) Fail("prepare");
  }
  ~Statement() { sqlite3_finalize(statement_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& Bind(int index, int64_t value) {
    Check(sqlite3_bind_int64(statement_, index, value));
    return *this;
  }
  Statement& Bind(int index, double value) {
    Check(sqlite3_bind_double(statement_, index, value));
    return *this;
  }
  Statement& Bind(int index, const std::string& value) {
    Check(sqlite3_bind_text(statement_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT));
    return *this;
  }
  // True while there is a row.
  bool Step() {
    const int code = sqlite3_step(statement_);
    if (code == SQLITE_ROW) return true;
    if (code == SQLITE_DONE) return false;
    Fail("step");
  }
  int64_t Int(int column) const { return sqlite3_column_int64(statement_, column); }
  double Real(int column) const { return sqlite3_column_double(statement_, column); }
  bool IsNull(int column) const { return sqlite3_column_type(statement_, column) == SQLITE_NULL; }
  std::string Text(int column) const {
    const unsigned char* text = sqlite3_column_text(statement_, column);
    return text ? std::string(reinterpret_cast<const char*>(text), sqlite3_column_bytes(statement_, column)) : "";
  }

 private:
  void Check(int code) {
    if (code != SQLITE_OK) Fail("bind");
  }
  [[noreturn]] void Fail(const char* what) {
    throw Error(path_ + ": SQLite " + what + ": " + sqlite3_errmsg(db_));
  }
  sqlite3* db_;
  const std::string& path_;
  sqlite3_stmt* statement_ = nullptr;
};

void Execute(sqlite3* db, const std::string& path, const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    const std::string reason = message ? message : sqlite3_errmsg(db);
    sqlite3_free(message);
    throw Error(path + ": SQLite: " + reason);
  }
}

constexpr const char* kTrialColumns =
    "t.id, t.listener_id, t.seq, t.kind, t.staircase, t.dimension, t.chain, t.clean_path, t.clean_offset, "
    "t.noise_path, t.noise_offset, t.base, t.delta, t.layout, t.correct_choice, t.stimulus_key, a.choice, "
    "a.correct, a.response_ms FROM trials t LEFT JOIN answers a ON a.trial_id = t.id";

TrialKind KindOf(const std::string& name) {
  if (name == "headphones") return TrialKind::kHeadphones;
  if (name == "catch") return TrialKind::kCatch;
  return TrialKind::kListening;
}

StoredTrial ReadTrial(const Statement& row) {
  StoredTrial trial;
  trial.id = row.Int(0);
  trial.listener_id = row.Int(1);
  trial.seq = static_cast<int>(row.Int(2));
  trial.kind = KindOf(row.Text(3));
  trial.staircase = row.Text(4);
  trial.dimension = row.Text(5);
  trial.chain = row.Text(6);
  trial.clean_path = row.Text(7);
  trial.clean_offset = row.Int(8);
  trial.noise_path = row.Text(9);
  trial.noise_offset = row.Int(10);
  trial.base = row.Real(11);
  trial.delta = row.Real(12);
  trial.layout = row.Text(13);
  trial.correct_choice = static_cast<int>(row.Int(14));
  trial.stimulus_key = static_cast<uint64_t>(row.Int(15));
  if (!row.IsNull(16)) {
    trial.choice = static_cast<int>(row.Int(16));
    trial.correct = row.Int(17) != 0;
    trial.response_ms = row.Int(18);
  }
  return trial;
}

StoredListener ReadListener(const Statement& row) {
  StoredListener listener;
  listener.id = row.Int(0);
  listener.created_at = row.Text(1);
  listener.level_confirmed = row.Int(2) != 0;
  if (!row.IsNull(3)) listener.comment = row.Text(3);
  return listener;
}

const std::string& CheckExists(const std::string& path) {
  if (!std::filesystem::is_regular_file(path)) throw Error(path + ": no such listening-test database");
  return path;
}

}  // namespace

std::string TrialKindName(TrialKind kind) {
  switch (kind) {
    case TrialKind::kHeadphones: return "headphones";
    case TrialKind::kListening: return "trial";
    case TrialKind::kCatch: return "catch";
  }
  return "";
}

ListeningStore::ListeningStore(const std::string& path, const std::string& config_text) : path_(path) {
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    const std::string reason = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw Error(path + ": cannot open the listening-test database: " + reason);
  }
  try {
    // Another process (export, report) may hold a read lock for a moment.
    sqlite3_busy_timeout(db_, 5000);
    Execute(db_, path_, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
    Execute(db_, path_, "BEGIN IMMEDIATE");
    Execute(db_, path_, kSchema);
    Statement version(db_, path_, "SELECT value FROM meta WHERE key = 'schema_version'");
    if (version.Step()) {
      if (version.Text(0) != std::to_string(kSchemaVersion))
        throw Error(path_ + ": listening-test schema version " + version.Text(0) + ", this program reads " +
                    std::to_string(kSchemaVersion));
    } else {
      Statement insert(db_, path_, "INSERT INTO meta(key, value) VALUES ('schema_version', ?1), ('config', ?2)");
      insert.Bind(1, std::to_string(kSchemaVersion)).Bind(2, config_text).Step();
    }
    Execute(db_, path_, "COMMIT");
  } catch (const Error& e) {
    sqlite3_close(db_);
    const std::string reason = e.what();
    // "file is not a database" and the like: say which file.
    throw Error(reason.rfind(path, 0) == 0 ? reason : path + ": " + reason);
  }
}

ListeningStore::ListeningStore(const std::string& path) : ListeningStore((CheckExists(path), path), "") {}

ListeningStore::~ListeningStore() { sqlite3_close(db_); }

std::string ListeningStore::ConfigText() const {
  Statement select(db_, path_, "SELECT value FROM meta WHERE key = 'config'");
  return select.Step() ? select.Text(0) : "";
}

int64_t ListeningStore::AddListener(const std::string& token_sha256) {
  Statement insert(db_, path_, "INSERT INTO listeners(token_sha256, created_at) VALUES (?1, ?2)");
  insert.Bind(1, token_sha256).Bind(2, NowUtc()).Step();
  return sqlite3_last_insert_rowid(db_);
}

std::optional<StoredListener> ListeningStore::FindListener(const std::string& token_sha256) const {
  Statement select(db_, path_,
                   "SELECT id, created_at, level_confirmed, comment FROM listeners WHERE token_sha256 = ?1");
  select.Bind(1, token_sha256);
  if (!select.Step()) return std::nullopt;
  return ReadListener(select);
}

std::optional<StoredListener> ListeningStore::GetListener(int64_t id) const {
  Statement select(db_, path_, "SELECT id, created_at, level_confirmed, comment FROM listeners WHERE id = ?1");
  select.Bind(1, id);
  if (!select.Step()) return std::nullopt;
  return ReadListener(select);
}

std::vector<StoredListener> ListeningStore::Listeners() const {
  Statement select(db_, path_, "SELECT id, created_at, level_confirmed, comment FROM listeners ORDER BY id");
  std::vector<StoredListener> listeners;
  while (select.Step()) listeners.push_back(ReadListener(select));
  return listeners;
}

int64_t ListeningStore::ListenerCount() const {
  Statement select(db_, path_, "SELECT COUNT(*) FROM listeners");
  select.Step();
  return select.Int(0);
}

void ListeningStore::ConfirmLevel(int64_t listener_id) {
  Statement update(db_, path_, "UPDATE listeners SET level_confirmed = 1 WHERE id = ?1");
  update.Bind(1, listener_id).Step();
}

void ListeningStore::SetComment(int64_t listener_id, const std::string& comment) {
  Statement update(db_, path_, "UPDATE listeners SET comment = ?1, finished_at = ?2 WHERE id = ?3");
  update.Bind(1, comment).Bind(2, NowUtc()).Bind(3, listener_id).Step();
}

int64_t ListeningStore::AddTrial(const StoredTrial& trial) {
  Statement insert(db_, path_,
                   "INSERT INTO trials(listener_id, seq, kind, staircase, dimension, chain, clean_path, clean_offset, "
                   "noise_path, noise_offset, base, delta, layout, correct_choice, stimulus_key, created_at) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)");
  insert.Bind(1, trial.listener_id)
      .Bind(2, int64_t{trial.seq})
      .Bind(3, TrialKindName(trial.kind))
      .Bind(4, trial.staircase)
      .Bind(5, trial.dimension)
      .Bind(6, trial.chain)
      .Bind(7, trial.clean_path)
      .Bind(8, trial.clean_offset)
      .Bind(9, trial.noise_path)
      .Bind(10, trial.noise_offset)
      .Bind(11, trial.base)
      .Bind(12, trial.delta)
      .Bind(13, trial.layout)
      .Bind(14, int64_t{trial.correct_choice})
      .Bind(15, static_cast<int64_t>(trial.stimulus_key))
      .Bind(16, NowUtc())
      .Step();
  return sqlite3_last_insert_rowid(db_);
}

bool ListeningStore::AddAnswer(int64_t trial_id, int choice, bool correct, int64_t response_ms) {
  // INSERT OR IGNORE: an answer already there stays as it was. In
  // autocommit mode the statement is its own transaction, durable on
  // return (synchronous=FULL).
  Statement insert(db_, path_,
                   "INSERT OR IGNORE INTO answers(trial_id, choice, correct, response_ms, answered_at) "
                   "VALUES (?1, ?2, ?3, ?4, ?5)");
  insert.Bind(1, trial_id)
      .Bind(2, int64_t{choice})
      .Bind(3, int64_t{correct ? 1 : 0})
      .Bind(4, response_ms)
      .Bind(5, NowUtc())
      .Step();
  return sqlite3_changes(db_) == 1;
}

std::vector<StoredTrial> ListeningStore::Trials(int64_t listener_id) const {
  Statement select(db_, path_, (std::string("SELECT ") + kTrialColumns + " WHERE t.listener_id = ?1 ORDER BY t.seq").c_str());
  select.Bind(1, listener_id);
  std::vector<StoredTrial> trials;
  while (select.Step()) trials.push_back(ReadTrial(select));
  return trials;
}

std::optional<StoredTrial> ListeningStore::GetTrial(int64_t trial_id) const {
  Statement select(db_, path_, (std::string("SELECT ") + kTrialColumns + " WHERE t.id = ?1").c_str());
  select.Bind(1, trial_id);
  if (!select.Step()) return std::nullopt;
  return ReadTrial(select);
}

int64_t ListeningStore::AnswerCount() const {
  Statement select(db_, path_, "SELECT COUNT(*) FROM answers");
  select.Step();
  return select.Int(0);
}

}  // namespace jsqa
