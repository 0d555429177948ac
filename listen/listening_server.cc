#include "listen/listening_server.h"

#include <httplib.h>
#include <openssl/crypto.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "listen/judgment_export.h"
#include "listen/listening_requests.h"
#include "listen/listening_report.h"
#include "listen/web_assets.h"
#include "pipeline/base/logging.h"

namespace jsqa {
namespace {

void SendJson(httplib::Response& response, int status, const nlohmann::json& body) {
  response.status = status;
  response.set_content(body.dump(), "application/json");
}

void SendError(httplib::Response& response, int status, const std::string& reason) {
  SendJson(response, status, {{"error", reason}});
}

// A page compiled into the binary (listen/web_assets.h), or 404.
void SendAsset(httplib::Response& response, const std::string& name) {
  const WebAsset* found = FindWebAsset(name);
  if (!found) return SendError(response, 404, "no such page");
  response.set_content(reinterpret_cast<const char*>(found->bytes), found->size, found->content_type);
}

std::string SessionToken(const httplib::Request& request) {
  return SessionTokenOf(request.get_header_value("Cookie"));
}

void SetSecurityHeaders(httplib::Response& response) {
  response.set_header("Content-Security-Policy",
                      "default-src 'self'; media-src 'self' blob:; img-src 'self' data:; object-src 'none'; "
                      "base-uri 'none'; frame-ancestors 'none'");
  response.set_header("X-Content-Type-Options", "nosniff");
  response.set_header("Referrer-Policy", "no-referrer");
  response.set_header("Cache-Control", "no-store");
}

}  // namespace

ListeningServer::ListeningServer(ListeningService& service, ListeningServerArgs args)
    : service_(service), args_(std::move(args)), server_(std::make_unique<httplib::Server>()) {
  if (args_.admin_token.empty()) args_.admin_token = RandomHexToken();
  const ListenConfig& config = service_.config();
  const size_t threads = static_cast<size_t>(config.threads);
  server_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server_->set_payload_max_length(static_cast<size_t>(config.max_body_bytes));
  server_->set_read_timeout(10, 0);
  server_->set_write_timeout(10, 0);
  server_->set_keep_alive_max_count(100);
  server_->set_keep_alive_timeout(5);
  // cpp-httplib listens with a backlog of 5: a burst of listeners opening
  // the page at once overflows it, and Linux then drops handshakes that
  // the clients see as failed reads. The listening socket is remembered
  // here and listen() is called again on it with the system's maximum.
  // TCP_NODELAY too (accepted sockets inherit it on Linux): cpp-httplib
  // writes a response's headers and body separately, and Nagle's algorithm
  // then holds the body until the client's delayed ACK, 40 ms a response.
  server_->set_socket_options([this](int socket) {
    httplib::default_socket_options(socket);
    const int on = 1;
    setsockopt(socket, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
    listening_socket_ = socket;
  });
  Route();
}

ListeningServer::~ListeningServer() = default;

void ListeningServer::Route() {
  httplib::Server& server = *server_;
  const std::string admin_token = args_.admin_token;

  // Every handler: the listener (when the route needs one), then the work;
  // RequestError becomes its status and reason, anything else a 500
  // whose reason is logged, not sent.
  using Handler = std::function<void(const httplib::Request&, httplib::Response&, int64_t listener)>;
  const auto listener_route = [this](Handler handler) {
    return [this, handler](const httplib::Request& request, httplib::Response& response) {
      try {
        const std::string token = SessionToken(request);
        const std::optional<int64_t> listener = token.empty() ? std::nullopt : service_.ListenerOf(token);
        if (!listener) throw RequestError(401, "no session: start the test first");
        handler(request, response, *listener);
      } catch (const RequestError& e) {
        SendError(response, e.status(), e.what());
      }
    };
  };
  const auto admin_route = [admin_token](std::function<void(const httplib::Request&, httplib::Response&)> handler) {
    return [admin_token, handler](const httplib::Request& request, httplib::Response& response) {
      const std::string header = request.get_header_value("Authorization");
      const std::string expected = "Bearer " + admin_token;
      if (header.size() != expected.size() || CRYPTO_memcmp(header.data(), expected.data(), expected.size()) != 0) {
        SendError(response, 401, "admin token missing or wrong");
        return;
      }
      try {
        handler(request, response);
      } catch (const RequestError& e) {
        SendError(response, e.status(), e.what());
      }
    };
  };
  const auto asset = [](const std::string& name) {
    return [name](const httplib::Request&, httplib::Response& response) { SendAsset(response, name); };
  };

  server.set_post_routing_handler([](const httplib::Request&, httplib::Response& response) {
    SetSecurityHeaders(response);
  });
  server.set_error_handler([](const httplib::Request&, httplib::Response& response) {
    if (!response.body.empty()) return;
    const std::string reason = response.status == 413 ? "request body too large"
                               : response.status == 404 ? "no such resource"
                                                        : "bad request";
    SendError(response, response.status, reason);
  });
  server.set_exception_handler([](const httplib::Request& request, httplib::Response& response, std::exception_ptr error) {
    std::string what = "unknown error";
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    JSQA_LOG(kError) << "listen: " << request.method << " " << request.path << ": " << what;
    SendError(response, 500, "internal error (logged by the server)");
  });

  server.Get("/", asset("index.html"));
  server.Get("/admin", asset("admin.html"));
  server.Get(R"(/static/([a-z]+\.(?:js|css)))", [](const httplib::Request& request, httplib::Response& response) {
    SendAsset(response, request.matches[1]);
  });

  server.Get("/api/intro", [this](const httplib::Request&, httplib::Response& response) {
    SendJson(response, 200, service_.Intro());
  });
  server.Post("/api/session", [this](const httplib::Request& request, httplib::Response& response) {
    try {
      const nlohmann::json body = JsonObjectBody(request.body, {"consent"});
      if (body.at("consent") != true) throw RequestError(400, "consent must be true to start");
      const std::string token = SessionToken(request);
      if (const std::optional<int64_t> listener = token.empty() ? std::nullopt : service_.ListenerOf(token))
        return SendJson(response, 200, service_.State(*listener));
      ListeningService::NewSession session = service_.StartSession();
      response.set_header("Set-Cookie", std::string(kSessionCookie) + "=" + session.token +
                                            "; Path=/; HttpOnly; SameSite=Strict; Max-Age=2592000");
      SendJson(response, 201, session.state);
    } catch (const RequestError& e) {
      SendError(response, e.status(), e.what());
    }
  });
  server.Get("/api/state", listener_route([this](const httplib::Request&, httplib::Response& response,
                                                      int64_t listener) {
               SendJson(response, 200, service_.State(listener));
             }));
  server.Get("/api/level-audio", listener_route([this](const httplib::Request&, httplib::Response& response,
                                                            int64_t) {
               const std::string wav = service_.LevelAudio();
               response.set_content(wav.data(), wav.size(), "audio/wav");
             }));
  server.Post("/api/level", listener_route([this](const httplib::Request& request, httplib::Response& response,
                                                      int64_t listener) {
                const nlohmann::json body = JsonObjectBody(request.body, {"confirmed"});
                if (body.at("confirmed") != true) throw RequestError(400, "confirmed must be true");
                SendJson(response, 200, service_.ConfirmLevel(listener));
              }));
  server.Get(R"(/api/audio/(\d{1,12})/(\d))", listener_route([this](const httplib::Request& request,
                                                                         httplib::Response& response,
                                                                         int64_t listener) {
               const std::string wav = service_.TrialAudio(listener, std::stoll(request.matches[1]),
                                                          std::stoi(request.matches[2]));
               response.set_content(wav.data(), wav.size(), "audio/wav");
             }));
  server.Post("/api/answer", listener_route([this](const httplib::Request& request, httplib::Response& response,
                                                       int64_t listener) {
                const nlohmann::json body = JsonObjectBody(request.body, {"trial", "choice", "response_ms"});
                const int64_t choice = IntegerField(body, "choice");
                if (choice < 0 || choice > 9) throw RequestError(400, "choice " + std::to_string(choice) + " is out of range");
                SendJson(response, 200,
                         service_.Answer(listener, IntegerField(body, "trial"), static_cast<int>(choice),
                                        IntegerField(body, "response_ms")));
              }));
  server.Post("/api/comment", listener_route([this](const httplib::Request& request, httplib::Response& response,
                                                        int64_t listener) {
                const nlohmann::json body = JsonObjectBody(request.body, {"text"});
                if (!body.at("text").is_string()) throw RequestError(400, "field 'text' is not a string");
                SendJson(response, 200, service_.Comment(listener, body.at("text").get<std::string>()));
              }));

  server.Get("/admin/api/progress", admin_route([this](const httplib::Request&, httplib::Response& response) {
               SendJson(response, 200, service_.Progress());
             }));
  server.Get("/admin/export.csv", admin_route([this](const httplib::Request&, httplib::Response& response) {
               const JudgmentExport exported = ExportJudgments(service_.db_path());
               response.set_content(exported.csv, "text/csv; charset=utf-8");
             }));
  server.Get("/admin/report.md", admin_route([this](const httplib::Request&, httplib::Response& response) {
               response.set_content(ListeningReportMarkdown(service_.db_path()),
                                    "text/markdown; charset=utf-8");
             }));
}

void ListeningServer::Run(const std::function<void(int port)>& on_ready) {
  int port = args_.port;
  if (port == 0) {
    port = server_->bind_to_any_port(args_.bind);
    if (port < 0) throw Error("listen: cannot bind " + args_.bind + " to any port");
  } else if (!server_->bind_to_port(args_.bind, port)) {
    throw Error("listen: cannot bind " + args_.bind + ":" + std::to_string(port) + " (in use, or not this host's)");
  }
  if (listening_socket_ >= 0) ::listen(listening_socket_, SOMAXCONN);
  on_ready(port);
  server_->listen_after_bind();
}

void ListeningServer::Stop() { server_->stop(); }

}  // namespace jsqa
