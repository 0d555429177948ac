// `jsqa-pipeline listen` as a user runs it: a server process killed with
// SIGKILL in the middle of answers and restarted on the same database, and
// a whole session taken in headless Chromium whose answers then train a
// JND SVM through `listen export` and `jnd-svm train`.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "listen/listening_store.h"
#include "pipeline/base/text_files.h"
#include "tests/listen/listen_fixture.h"
#include "tests/test_support.h"

namespace jsqa {
namespace {

using testing::HttpReply;
using testing::ListenerClient;

// The server as a background process; its log holds the URLs.
class ServerProcess {
 public:
  ServerProcess(const std::string& config, const std::string& db, const std::string& log) {
    port_ = testing::FreePort();
    const std::string pid_file = log + ".pid";
    EXPECT_EQ(testing::RunCommand(testing::JsqaExecutable() + " listen " + config + " --db " + db + " --port " +
                                  std::to_string(port_) + " > " + log + " 2>&1 & echo $! > " + pid_file),
              0);
    pid_ = std::stoi(ReadTextFile(pid_file));
    for (int wait = 0; wait < 200; ++wait) {
      if (ReadTextFile(log).find("admin") != std::string::npos) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "the server did not start: " << ReadTextFile(log);
  }
  ~ServerProcess() { Kill(SIGTERM); }
  void Kill(int signal) {
    if (pid_ > 0) ::kill(pid_, signal);
    if (pid_ > 0) testing::RunCommand("while kill -0 " + std::to_string(pid_) + " 2>/dev/null; do sleep 0.05; done");
    pid_ = 0;
  }
  int port() const { return port_; }

 private:
  int pid_ = 0;
  int port_ = 0;
};

std::string WriteListenIni(const std::filesystem::path& dir, const ListenConfig& config) {
  const std::string path = (dir / "listen.ini").string();
  WriteFileAtomically(path, "[listen]\n" + config.ToString());
  return path;
}

TEST(ListenCliTest, SigkillDuringAnswersLosesNoAcknowledgedAnswerAndSessionsResume) {
  testing::TempDir dir;
  ListenConfig config = testing::ShortListenConfig();
  config.max_trials = 40;  // long enough to be killed in the middle
  config.reversals = 20;
  const std::string ini = WriteListenIni(dir.path(), config);
  const std::string db = dir / "test.sqlite";
  constexpr int kListeners = 4;
  std::mutex mutex;
  std::map<int64_t, int> acknowledged;  // trial -> choice, answered with 200
  std::vector<std::string> cookies(kListeners);
  std::vector<int> acknowledged_by(kListeners, 0);
  {
    ServerProcess server(ini, db, dir / "first.log");
    std::atomic<int> total{0};
    std::vector<std::thread> listeners;
    for (int l = 0; l < kListeners; ++l)
      listeners.emplace_back([&, l] {
        ListenerClient client(server.port());
        if (client.Start().status != 201) return;
        cookies[l] = client.cookie();
        client.Post("/api/level", R"({"confirmed": true})");
        for (int k = 0; k < 200; ++k) {
          const HttpReply state = client.Get("/api/state");
          if (state.status != 200) return;  // the server is gone
          const int64_t trial = state.Json()["trial"]["id"];
          const int choice = (k + l) % 2;
          if (client.Answer(trial, choice).status != 200) return;
          std::lock_guard<std::mutex> lock(mutex);
          acknowledged[trial] = choice;
          ++acknowledged_by[l];
          ++total;
        }
      });
    while (total < 40) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    server.Kill(SIGKILL);
    for (std::thread& listener : listeners) listener.join();
  }
  ASSERT_GE(acknowledged.size(), 40u);
  {
    ListeningStore store(db);
    for (const auto& [trial, choice] : acknowledged) {
      const std::optional<StoredTrial> stored = store.GetTrial(trial);
      ASSERT_TRUE(stored && stored->choice) << "trial " << trial << " was acknowledged and is lost";
      EXPECT_EQ(*stored->choice, choice);
    }
  }
  // Restarted on the same database, every session goes on where it was: at
  // most one answer more than acknowledged (committed as the kill came).
  ServerProcess server(ini, db, dir / "second.log");
  for (int l = 0; l < kListeners; ++l) {
    ListenerClient client(server.port());
    client.set_cookie(cookies[l]);
    const HttpReply state = client.Get("/api/state");
    ASSERT_EQ(state.status, 200) << state.body;
    const int answered = state.Json()["progress"]["answered"];
    EXPECT_GE(answered, acknowledged_by[l]);
    EXPECT_LE(answered, acknowledged_by[l] + 1);
    EXPECT_EQ(client.Answer(state.Json()["trial"]["id"], 0).status, 200);
  }
}

TEST(ListenCliTest, ChromiumTakesAWholeSessionAndItsAnswersTrainAnSvm) {
  testing::TempDir dir;
  ListenConfig config = testing::ShortListenConfig();
  config.noise = testing::AlsaNoise();  // one environment: one staircase
  config.start_delta = 4;
  config.max_delta = 8;
  config.max_trials = 8;
  config.reversals = 8;
  config.catch_every = 0;
  const std::string ini = WriteListenIni(dir.path(), config);
  const std::string db = dir / "test.sqlite";
  ServerProcess server(ini, db, dir / "server.log");
  std::string output;
  const int status = testing::RunCommand("/usr/bin/python3 " + testing::SourceDir() +
                                             "/tests/listen/browser_session.py --url http://127.0.0.1:" +
                                             std::to_string(server.port()) + " --out " + (dir / "browser") +
                                             " 2>" + (dir / "browser.err"),
                                         &output);
  if (WEXITSTATUS(status) == 77) GTEST_SKIP() << "Chromium cannot run here: " << ReadTextFile(dir / "browser.err");
  ASSERT_EQ(status, 0) << output << ReadTextFile(dir / "browser.err");
  const nlohmann::json result = nlohmann::json::parse(output.substr(output.rfind("{\"answers\"")));
  EXPECT_EQ(result["phase"], "done");
  // The database holds exactly the answers the browser gave, in order.
  ListeningStore store(db);
  ASSERT_EQ(store.ListenerCount(), 1);
  const std::vector<StoredTrial> trials = store.Trials(1);
  ASSERT_EQ(trials.size(), result["answers"].size());
  for (size_t i = 0; i < trials.size(); ++i) {
    EXPECT_EQ(trials[i].id, result["answers"][i]["trial"]);
    ASSERT_TRUE(trials[i].choice);
    EXPECT_EQ(*trials[i].choice, result["answers"][i]["choice"]);
  }
  EXPECT_EQ(store.GetListener(1)->comment, "The instructions were clear, thank you.");
  // The trial page as the browser showed it, kept with the test output.
  std::filesystem::copy_file(result["screenshot"].get<std::string>(), "listen-trial-page.png",
                             std::filesystem::copy_options::overwrite_existing);

  const std::string csv = dir / "judgments.csv";
  ASSERT_EQ(testing::RunCommand(testing::JsqaExecutable() + " listen export --db " + db + " --out " + csv, &output), 0)
      << output;
  EXPECT_NE(output.find("from 1 of 1 listeners"), std::string::npos) << output;
  const std::string model = dir / "listeners.svm";
  ASSERT_EQ(testing::RunCommand(testing::JsqaExecutable() + " jnd-svm train --judgments " + csv + " --out " + model +
                                    " --segment-seconds 1 --features snr_db,delta_db --folds 2 --table-pairs 2",
                                &output),
            0)
      << output;
  EXPECT_TRUE(std::filesystem::exists(model)) << output;
}

// A test of AMR-NB modes around amr_nb(7.95): its export holds each pair's
// chains and draws, and trains a codec_mode model.
TEST(ListenCliTest, ACodecModeTestsJudgmentsTrainACodecModeModel) {
  testing::TempDir dir;
  ListenConfig config = testing::ShortListenConfig();
  config.dimension = "codec_mode";
  config.chain = "noise>amr_nb(7.95)";
  config.start_delta = 3;
  config.steps = "1";
  config.min_delta = 1;
  config.max_delta = 5;
  config.catch_delta = 5;
  config.headphone_check = false;
  const std::string ini = WriteListenIni(dir.path(), config);
  const std::string db = dir / "test.sqlite";
  {
    ServerProcess server(ini, db, dir / "server.log");
    ListenerClient client(server.port());
    ASSERT_EQ(client.Start().status, 201);
    client.Post("/api/level", R"({"confirmed": true})");
    for (int k = 0; k < 100; ++k) {
      const nlohmann::json state = client.Get("/api/state").Json();
      if (state["phase"] != "trials") break;
      const int64_t trial = state["trial"]["id"];
      const int right = ListeningStore(db).GetTrial(trial)->correct_choice;
      // Right at 2 modes and more, a guess at one.
      const double delta = ListeningStore(db).GetTrial(trial)->delta;
      ASSERT_EQ(client.Answer(trial, delta >= 2 ? right : k % 2).status, 200);
    }
  }
  const std::string csv = dir / "judgments.csv";
  std::string output;
  ASSERT_EQ(testing::RunCommand(testing::JsqaExecutable() + " listen export --db " + db + " --out " + csv, &output), 0)
      << output;
  EXPECT_NE(ReadTextFile(csv).find(",codec_mode,noise>amr_nb(7.95),noise>amr_nb(6.7),2,1,"), std::string::npos)
      << ReadTextFile(csv);
  ASSERT_EQ(testing::RunCommand(testing::JsqaExecutable() + " jnd-svm train --judgments " + csv + " --out " +
                                    (dir / "codec.svm") + " --segment-seconds 1 --folds 2",
                                &output),
            0)
      << output;
  EXPECT_NE(output.find("dimension: codec_mode"), std::string::npos) << output;
  // The report fits the modes and cross-validates a codec_mode SVM; the
  // shipped SNR model is not held against codec pairs.
  ASSERT_EQ(testing::RunCommand(testing::JsqaExecutable() + " listen report --db " + db + " --out " +
                                    (dir / "report") + " --bootstrap 50 --folds 2 --svm-model " +
                                    testing::SourceDir() + "/configs/jnd-svm.model",
                                &output),
            0)
      << output;
  EXPECT_NE(output.find("codec_mode JND around noise>amr_nb(7.95)"), std::string::npos) << output;
  EXPECT_NE(output.find("2-fold cross-validated SVM trained on these judgments: accuracy"), std::string::npos)
      << output;
  EXPECT_NE(output.find("judges snr pairs, not codec_mode"), std::string::npos) << output;
  EXPECT_TRUE(std::filesystem::exists(dir / "report/jnd.csv"));
}

}  // namespace
}  // namespace jsqa
