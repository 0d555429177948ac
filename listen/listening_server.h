// The listening test over HTTP (cpp-httplib): the page, the listener's
// JSON API and the admin API, each request validated before it reaches the
// service (listen/listening_service.h). README "Collecting your own JND
// judgments" documents the protocol.
//
// Listeners are known by an unguessable cookie (jsqa_listener, HttpOnly,
// SameSite=Strict); the admin by a separate token sent as
// "Authorization: Bearer TOKEN". The client never names a file: audio is
// served by trial id, pages from the binary. Bodies are bounded
// (listen.max_body_bytes: 413) and so are the requests served at once
// (listen.threads); a refused request gets a 4xx with {"error": reason}.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "listen/listening_service.h"

namespace httplib {
class Server;
}

namespace jsqa {

struct ListeningServerArgs {
  std::string bind = "127.0.0.1";
  int port = 8080;           // 0: any free port
  std::string admin_token;   // empty: a random one
};

class ListeningServer {
 public:
  ListeningServer(ListeningService& service, ListeningServerArgs args);
  ~ListeningServer();

  // Binds (throws jsqa::Error naming the address when it cannot), then
  // calls on_ready(port) and serves until Stop().
  void Run(const std::function<void(int port)>& on_ready);
  void Stop();
  const std::string& admin_token() const { return args_.admin_token; }

 private:
  void Route();

  ListeningService& service_;
  ListeningServerArgs args_;
  std::unique_ptr<httplib::Server> server_;
  int listening_socket_ = -1;
};

}  // namespace jsqa
