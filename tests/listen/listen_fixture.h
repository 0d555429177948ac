// A listening test over loopback HTTP for the tests: a [listen] config on
// Debian's recordings (LibriVox speech; alsa-utils' noise and a voice clip
// as two noise environments), a service on a fresh database and its server
// on a free port, and a listener client that keeps its session cookie.
#pragma once

#include <httplib.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "listen/listen_config.h"
#include "listen/listening_server.h"
#include "listen/listening_service.h"

namespace jsqa::testing {

// Short stimuli and short staircases, so that a session takes ~20 answers.
ListenConfig ShortListenConfig();

class ListenServerFixture {
 public:
  ListenServerFixture(const ListenConfig& config, const std::string& db_path);
  ~ListenServerFixture();

  int port() const { return port_; }
  ListeningService& service() { return *service_; }
  const std::string& admin_token() const { return server_->admin_token(); }

 private:
  std::unique_ptr<ListeningService> service_;
  std::unique_ptr<ListeningServer> server_;
  std::thread thread_;
  int port_ = 0;
};

struct HttpReply {
  int status = 0;  // 0: no answer (connection failed)
  std::string body;
  nlohmann::json Json() const { return nlohmann::json::parse(body); }
};

class ListenerClient {
 public:
  explicit ListenerClient(int port);
  HttpReply Get(const std::string& path);
  HttpReply Post(const std::string& path, const std::string& body);
  // POST /api/session with consent; keeps the cookie.
  HttpReply Start();
  HttpReply Answer(int64_t trial, int choice, int64_t response_ms = 500);
  void set_cookie(const std::string& cookie) { cookie_ = cookie; }
  const std::string& cookie() const { return cookie_; }

 private:
  httplib::Client client_;
  std::string cookie_;  // "jsqa_listener=<token>", "" before a session
};

}  // namespace jsqa::testing
