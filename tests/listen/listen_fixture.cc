#include "tests/listen/listen_fixture.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "pipeline/base/config.h"
#include "tests/test_support.h"

namespace jsqa::testing {

ListenConfig ShortListenConfig() {
  ListenConfig config;
  const std::vector<std::string> speech = LibrivoxClips();
  config.speech = speech[0] + "," + speech[1] + "," + speech[2];
  config.noise = AlsaNoise() + "," + AlsaVoiceClips().front();
  config.stimulus_seconds = 1.0;
  config.headphone_trials = 2;
  config.headphone_min_correct = 2;
  config.start_delta = 6;
  config.steps = "2";
  config.reversals = 3;
  config.reversals_to_average = 2;
  config.max_trials = 6;
  config.catch_every = 4;
  config.threads = 8;
  return config;
}

ListenServerFixture::ListenServerFixture(const ListenConfig& config, const std::string& db_path)
    : service_(std::make_unique<ListeningService>(config, db_path, config.ToString())) {
  server_ = std::make_unique<ListeningServer>(*service_, ListeningServerArgs{"127.0.0.1", 0, ""});
  std::mutex mutex;
  std::condition_variable ready;
  thread_ = std::thread([&] {
    server_->Run([&](int port) {
      std::lock_guard<std::mutex> lock(mutex);
      port_ = port;
      ready.notify_one();
    });
  });
  std::unique_lock<std::mutex> lock(mutex);
  if (!ready.wait_for(lock, std::chrono::seconds(10), [&] { return port_ != 0; }))
    ADD_FAILURE() << "the listening server did not start";
}

ListenServerFixture::~ListenServerFixture() {
  server_->Stop();
  thread_.join();
}

ListenerClient::ListenerClient(int port) : client_("127.0.0.1", port) {
  client_.set_connection_timeout(5);
  client_.set_read_timeout(30);
  // One connection per listener, kept alive, as a browser does.
  client_.set_keep_alive(true);
}

namespace {
HttpReply Reply(const httplib::Result& result) {
  if (!result) return {0, httplib::to_string(result.error())};
  return {result->status, result->body};
}
}  // namespace

HttpReply ListenerClient::Get(const std::string& path) {
  httplib::Headers headers;
  if (!cookie_.empty()) headers.emplace("Cookie", cookie_);
  return Reply(client_.Get(path.c_str(), headers));
}

HttpReply ListenerClient::Post(const std::string& path, const std::string& body) {
  httplib::Headers headers;
  if (!cookie_.empty()) headers.emplace("Cookie", cookie_);
  return Reply(client_.Post(path.c_str(), headers, body, "application/json"));
}

HttpReply ListenerClient::Start() {
  httplib::Headers headers;
  if (!cookie_.empty()) headers.emplace("Cookie", cookie_);
  const httplib::Result result = client_.Post("/api/session", headers, R"({"consent": true})", "application/json");
  if (result && result->has_header("Set-Cookie")) {
    const std::string set = result->get_header_value("Set-Cookie");
    cookie_ = set.substr(0, set.find(';'));
  }
  return Reply(result);
}

HttpReply ListenerClient::Answer(int64_t trial, int choice, int64_t response_ms) {
  return Post("/api/answer", nlohmann::json{{"trial", trial}, {"choice", choice}, {"response_ms", response_ms}}.dump());
}

}  // namespace jsqa::testing
