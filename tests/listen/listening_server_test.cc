// The listening test over loopback HTTP: the whole protocol, many listeners
// at once, hostile requests, restarts, and what the export and the stimuli
// hold. The correct answers are read from the database, as an oracle.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "augment/audio_io.h"
#include "listen/judgment_export.h"
#include "listen/listening_store.h"
#include "pipeline/base/csv.h"
#include "tests/listen/listen_fixture.h"
#include "tests/test_support.h"

namespace jsqa {
namespace {

using testing::HttpReply;
using testing::ListenerClient;
using testing::ListenServerFixture;
using testing::ShortListenConfig;

int CorrectChoice(const std::string& db, int64_t trial) { return ListeningStore(db).GetTrial(trial)->correct_choice; }

// Answers every trial until the phase is done (the comment included);
// right answers when `right`, else always the first choice. Returns the
// answers sent and acknowledged.
int TakeWholeTest(ListenerClient& client, const std::string& db, bool right) {
  EXPECT_EQ(client.Post("/api/level", R"({"confirmed": true})").status, 200);
  int answered = 0;
  for (int guard = 0; guard < 100; ++guard) {
    const HttpReply state = client.Get("/api/state");
    EXPECT_EQ(state.status, 200) << state.body;
    const nlohmann::json json = state.Json();
    if (json["phase"] == "comment") {
      EXPECT_EQ(client.Post("/api/comment", R"({"text": "fine"})").status, 200);
      continue;
    }
    if (json["phase"] == "done") return answered;
    const int64_t trial = json["trial"]["id"];
    const int choice = right ? CorrectChoice(db, trial) : 0;
    EXPECT_EQ(client.Answer(trial, choice).status, 200);
    ++answered;
  }
  ADD_FAILURE() << "the test never ended";
  return answered;
}

TEST(ListeningServerTest, AWholeSessionFromConsentToDone) {
  testing::TempDir dir;
  const std::string db = dir / "test.sqlite";
  ListenServerFixture server(ShortListenConfig(), db);
  ListenerClient client(server.port());
  EXPECT_EQ(client.Get("/api/state").status, 401);
  EXPECT_EQ(client.Get("/api/intro").Json()["task"], "2afc");
  const HttpReply started = client.Start();
  ASSERT_EQ(started.status, 201) << started.body;
  EXPECT_EQ(started.Json()["phase"], "level");
  // The level sample and the first headphone trial's three stereo tones.
  EXPECT_GT(client.Get("/api/level-audio").body.size(), 16000u);
  EXPECT_EQ(client.Post("/api/level", R"({"confirmed": true})").Json()["phase"], "headphones");
  const nlohmann::json first = client.Get("/api/state").Json()["trial"];
  ASSERT_EQ(first["audio"].size(), 3u);
  const std::string wav = client.Get(first["audio"][0]).body;
  EXPECT_EQ(wav.substr(0, 4), "RIFF");
  // Resuming with the same cookie returns the same session and trial.
  EXPECT_EQ(client.Start().Json()["trial"]["id"], first["id"]);

  const int answered = TakeWholeTest(client, db, /*right=*/true);
  ListeningStore store(db);
  EXPECT_EQ(store.AnswerCount(), answered);
  const std::vector<StoredTrial> trials = store.Trials(1);
  ASSERT_EQ(static_cast<int>(trials.size()), answered);
  int headphones = 0, catches = 0, listening = 0;
  for (const StoredTrial& trial : trials) {
    EXPECT_TRUE(trial.choice.has_value());
    EXPECT_TRUE(trial.correct);
    headphones += trial.kind == TrialKind::kHeadphones;
    catches += trial.kind == TrialKind::kCatch;
    listening += trial.kind == TrialKind::kListening;
  }
  EXPECT_EQ(headphones, 2);
  // Two environments, each staircase stops at max_trials = 6 when every
  // answer is right (Δ falls to 0 and never turns); every fourth trial
  // after the headphones is a catch trial: the 4th, 8th and 12th of 15.
  EXPECT_EQ(listening, 12);
  EXPECT_EQ(catches, 3);
  EXPECT_EQ(store.GetListener(1)->comment, "fine");
}

TEST(ListeningServerTest, TwentyListenersAtOnceEachAnswerStoredOnce) {
  testing::TempDir dir;
  const std::string db = dir / "test.sqlite";
  ListenServerFixture server(ShortListenConfig(), db);
  constexpr int kListeners = 20;
  std::atomic<int> sent{0}, replays_refused{0};
  std::vector<std::thread> listeners;
  for (int l = 0; l < kListeners; ++l)
    listeners.emplace_back([&, l] {
      ListenerClient client(server.port());
      const HttpReply started = client.Start();
      if (started.status != 201) {
        ADD_FAILURE() << "listener " << l << ": " << started.status << " " << started.body;
        return;
      }
      client.Post("/api/level", R"({"confirmed": true})");
      for (int k = 0; k < 8; ++k) {
        const nlohmann::json state = client.Get("/api/state").Json();
        const int64_t trial = state["trial"]["id"];
        if (client.Answer(trial, (k + l) % 2).status == 200) ++sent;
        // The same answer again: refused, never stored twice.
        if (client.Answer(trial, (k + l) % 2).status == 409) ++replays_refused;
      }
    });
  for (std::thread& listener : listeners) listener.join();
  EXPECT_EQ(sent.load(), kListeners * 8);
  EXPECT_EQ(replays_refused.load(), kListeners * 8);
  ListeningStore store(db);
  EXPECT_EQ(store.ListenerCount(), kListeners);
  EXPECT_EQ(store.AnswerCount(), kListeners * 8);
  for (const StoredListener& listener : store.Listeners()) {
    const std::vector<StoredTrial> trials = store.Trials(listener.id);
    int answered = 0;
    for (size_t i = 0; i < trials.size(); ++i) {
      EXPECT_EQ(trials[i].seq, static_cast<int>(i));
      answered += trials[i].choice.has_value();
    }
    EXPECT_EQ(answered, 8);
  }
}

TEST(ListeningServerTest, HostileRequestsGetA4xxAndWriteNothing) {
  testing::TempDir dir;
  const std::string db = dir / "test.sqlite";
  ListenServerFixture server(ShortListenConfig(), db);
  ListenerClient alice(server.port()), bob(server.port()), stranger(server.port());
  ASSERT_EQ(alice.Start().status, 201);
  ASSERT_EQ(bob.Start().status, 201);
  alice.Post("/api/level", R"({"confirmed": true})");
  bob.Post("/api/level", R"({"confirmed": true})");
  const int64_t alice_trial = alice.Get("/api/state").Json()["trial"]["id"];
  const int64_t bob_trial = bob.Get("/api/state").Json()["trial"]["id"];
  ASSERT_EQ(alice.Answer(alice_trial, 0).status, 200);
  const int64_t alice_next = alice.Get("/api/state").Json()["trial"]["id"];
  const int64_t answers_before = ListeningStore(db).AnswerCount();

  struct Case {
    std::string name;
    HttpReply reply;
    int status;
  };
  const std::string big(8192, 'x');
  stranger.set_cookie("jsqa_listener=" + std::string(64, 'a'));
  const std::vector<Case> cases = {
      {"path traversal in a page", alice.Get("/static/../../../etc/passwd"), 404},
      {"encoded traversal", alice.Get("/static/%2e%2e%2fapp.js"), 404},
      {"a file name as audio", alice.Get("/api/audio/../../README.md"), 404},
      {"oversized body", alice.Post("/api/answer", big), 413},
      {"not JSON", alice.Post("/api/answer", "trial=1&choice=0"), 400},
      {"extra field", alice.Post("/api/answer", R"({"trial": 1, "choice": 0, "response_ms": 1, "x": 1})"), 400},
      {"choice as text", alice.Post("/api/answer", R"({"trial": 1, "choice": "0", "response_ms": 1})"), 400},
      {"choice out of range", alice.Answer(alice_next, 7), 400},
      {"negative response time", alice.Answer(alice_next, 0, -5), 400},
      {"unknown trial", alice.Answer(999999, 0), 404},
      {"another listener's trial", alice.Answer(bob_trial, 0), 404},
      {"another listener's audio", alice.Get("/api/audio/" + std::to_string(bob_trial) + "/0"), 404},
      {"replayed answer", alice.Answer(alice_trial, 1), 409},
      {"script in the comment", alice.Post("/api/comment", R"({"text": "<script>alert(1)</script>"})"), 400},
      {"comment before the trials end", alice.Post("/api/comment", R"({"text": "hello"})"), 409},
      {"forged session", stranger.Get("/api/state"), 401},
      {"no session", ListenerClient(server.port()).Answer(alice_next, 0), 401},
      {"consent refused", ListenerClient(server.port()).Post("/api/session", R"({"consent": false})"), 400},
      {"admin without token", alice.Get("/admin/api/progress"), 401},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(c.reply.status, c.status) << c.name << ": " << c.reply.body;
    const nlohmann::json error = nlohmann::json::parse(c.reply.body, nullptr, false);
    EXPECT_TRUE(error.is_object() && error.contains("error")) << c.name << ": " << c.reply.body;
  }
  ListeningStore store(db);
  EXPECT_EQ(store.AnswerCount(), answers_before);
  EXPECT_EQ(store.ListenerCount(), 2);
  EXPECT_FALSE(store.GetListener(1)->comment.has_value());
  // The admin's own token opens the admin API.
  httplib::Client admin("127.0.0.1", server.port());
  const httplib::Result progress =
      admin.Get("/admin/api/progress", {{"Authorization", "Bearer " + server.admin_token()}});
  ASSERT_TRUE(progress);
  EXPECT_EQ(progress->status, 200);
  EXPECT_EQ(nlohmann::json::parse(progress->body)["answers"], answers_before);
}

TEST(ListeningServerTest, ANewServerOnTheDatabaseResumesEverySession) {
  testing::TempDir dir;
  const std::string db = dir / "test.sqlite";
  std::string cookie;
  int64_t pending = 0;
  {
    ListenServerFixture server(ShortListenConfig(), db);
    ListenerClient client(server.port());
    client.Start();
    client.Post("/api/level", R"({"confirmed": true})");
    for (int k = 0; k < 3; ++k) client.Answer(client.Get("/api/state").Json()["trial"]["id"], 0);
    pending = client.Get("/api/state").Json()["trial"]["id"];
    cookie = client.cookie();
  }
  ListenServerFixture server(ShortListenConfig(), db);
  ListenerClient client(server.port());
  client.set_cookie(cookie);
  const nlohmann::json state = client.Get("/api/state").Json();
  EXPECT_EQ(state["trial"]["id"], pending);
  EXPECT_EQ(state["progress"]["answered"], 3);
}

TEST(ListeningServerTest, ExportLeavesOutScreenedListenersAndLabelsAnswers) {
  testing::TempDir dir;
  const std::string db = dir / "test.sqlite";
  {
    ListenServerFixture server(ShortListenConfig(), db);
    ListenerClient attentive(server.port()), careless(server.port());
    attentive.Start();
    careless.Start();
    TakeWholeTest(attentive, db, /*right=*/true);
    TakeWholeTest(careless, db, /*right=*/false);
  }
  const JudgmentExport exported = ExportJudgments(db);
  EXPECT_EQ(exported.listeners, 2);
  EXPECT_EQ(exported.included, 1);
  ASSERT_EQ(exported.excluded.size(), 1u);
  EXPECT_NE(exported.excluded[0].find("listener 2"), std::string::npos) << exported.excluded[0];
  const std::vector<CsvRow> rows = ParseCsv(exported.csv, "export");
  ASSERT_EQ(rows.size(), 13u);  // header + the attentive listener's 12 staircase trials
  EXPECT_EQ(rows[0].fields[4], "snr_db");
  for (size_t r = 1; r < rows.size(); ++r) {
    EXPECT_EQ(rows[r].fields[6], "0") << "every answer was right: heard different";
    EXPECT_EQ(rows[r].fields[14], "1");
    // The pair is (snr_db, snr_db + delta_db) with the condition at the top.
    EXPECT_DOUBLE_EQ(std::stod(rows[r].fields[4]) + std::stod(rows[r].fields[5]), 10.0);
  }
}

TEST(ListeningServerTest, TheOddIntervalIsTheConditionMovedByDelta) {
  testing::TempDir dir;
  const std::string db = dir / "test.sqlite";
  ListenServerFixture server(ShortListenConfig(), db);
  ListenerClient client(server.port());
  client.Start();
  client.Post("/api/level", R"({"confirmed": true})");
  for (int k = 0; k < 2; ++k) client.Answer(client.Get("/api/state").Json()["trial"]["id"], 0);
  const nlohmann::json trial = client.Get("/api/state").Json()["trial"];
  const StoredTrial stored = *ListeningStore(db).GetTrial(trial["id"]);
  ASSERT_EQ(stored.kind, TrialKind::kListening);
  EXPECT_DOUBLE_EQ(stored.delta, 6.0);
  std::vector<std::vector<float>> intervals;
  for (int i = 0; i < 2; ++i) {
    const std::string path = dir / ("interval" + std::to_string(i) + ".wav");
    testing::WriteBytes(path, client.Get(trial["audio"][i]).body);
    intervals.push_back(ReadAudio(path).samples);
    EXPECT_EQ(intervals.back().size(), 16000u);
  }
  // Same speech, same noise stretch, Δ = 6 dB more noise in the odd one:
  // at the same RMS level, the difference between the intervals is noise.
  double difference = 0.0, level = 0.0;
  for (size_t i = 0; i < intervals[0].size(); ++i) {
    difference += std::pow(intervals[0][i] - intervals[1][i], 2);
    level += std::pow(intervals[0][i], 2);
  }
  EXPECT_GT(difference, 0.01 * level);
  EXPECT_LT(difference, level);
  // Served twice, the same bytes.
  EXPECT_EQ(client.Get(trial["audio"][0]).body, client.Get(trial["audio"][0]).body);
}

}  // namespace
}  // namespace jsqa
