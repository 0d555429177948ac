// The listening server under load, over loopback HTTP: how long a trial's
// audio takes to come (the page preloads every interval before Play, so
// this is what a listener waits between trials) and how many answers per
// second the server commits (one SQLite transaction each, synchronous=FULL)
// with 1 and with 20 listeners answering at once. Stimuli: 2 s of LibriVox
// speech in alsa-utils' Noise.wav, the snr condition and an AMR-WB one.
//
//   build/tools/bench/listen_bench [--answers N]
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "listen/listening_server.h"
#include "tools/bench/bench_support.h"

namespace jsqa {
namespace {

struct Run {
  double answers_per_second = 0.0;
  std::vector<double> audio_ms;  // per trial: every interval fetched
};

double Percentile(std::vector<double> values, double q) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  return values[static_cast<size_t>(q * (values.size() - 1))];
}

// listeners sessions answer `answers` trials each as fast as they can,
// fetching every interval of each trial first, as the page does.
Run Load(const ListenConfig& config, int listeners, int answers) {
  const std::filesystem::path db = std::filesystem::temp_directory_path() / "listen_bench.sqlite";
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db.string() + suffix);
  ListeningService service(config, db.string(), config.ToString());
  ListeningServer server(service, ListeningServerArgs{"127.0.0.1", 0, ""});
  std::atomic<int> port{0};
  std::thread serving([&] { server.Run([&](int bound) { port = bound; }); });
  while (port == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));

  Run run;
  std::mutex mutex;
  const double start = bench::WallSeconds();
  std::vector<std::thread> clients;
  for (int l = 0; l < listeners; ++l)
    clients.emplace_back([&] {
      httplib::Client client("127.0.0.1", port);
      client.set_keep_alive(true);
      const httplib::Result session = client.Post("/api/session", R"({"consent": true})", "application/json");
      if (!session) return;
      const std::string set = session->get_header_value("Set-Cookie");
      const httplib::Headers cookie = {{"Cookie", set.substr(0, set.find(';'))}};
      client.Post("/api/level", cookie, R"({"confirmed": true})", "application/json");
      for (int k = 0; k < answers; ++k) {
        const httplib::Result state = client.Get("/api/state", cookie);
        if (!state) return;
        const nlohmann::json trial = nlohmann::json::parse(state->body)["trial"];
        if (trial.is_null()) return;
        const double fetch = bench::WallSeconds();
        for (const auto& path : trial["audio"]) client.Get(path.get<std::string>().c_str(), cookie);
        const double waited_ms = 1000.0 * (bench::WallSeconds() - fetch);
        const nlohmann::json answer = {{"trial", trial["id"]}, {"choice", 0}, {"response_ms", 1}};
        client.Post("/api/answer", cookie, answer.dump(), "application/json");
        std::lock_guard<std::mutex> lock(mutex);
        run.audio_ms.push_back(waited_ms);
      }
    });
  for (std::thread& client : clients) client.join();
  const double seconds = bench::WallSeconds() - start;
  run.answers_per_second = static_cast<double>(run.audio_ms.size()) / seconds;
  server.Stop();
  serving.join();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db.string() + suffix);
  return run;
}

ListenConfig BenchConfig() {
  ListenConfig config;
  config.speech = std::string(bench::kLibrivoxClips[0]) + "," + bench::kLibrivoxClips[1];
  config.noise = "/usr/share/sounds/alsa/Noise.wav";
  config.headphone_check = false;
  config.max_trials = 1000;
  config.reversals = 1000;
  config.threads = 8;
  return config;
}

}  // namespace
}  // namespace jsqa

int main(int argc, char** argv) {
  int answers = 40;
  for (int i = 1; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], "--answers") == 0) answers = std::max(1, std::atoi(argv[i + 1]));
  jsqa::ListenConfig snr = jsqa::BenchConfig();
  jsqa::ListenConfig codec = jsqa::BenchConfig();
  codec.dimension = "codec_mode";
  codec.chain = "noise>amr_wb(12.65)";
  codec.start_delta = 2;
  codec.steps = "1";
  codec.min_delta = 1;
  codec.max_delta = 2;  // two modes below 12.65 kbit/s: 8.85, 6.6
  codec.catch_delta = 2;
  std::printf("listen_bench: 2 s stimuli, 2-AFC, %d answers per listener, 8 server threads\n", answers);
  std::printf("%-22s %10s %12s %14s %14s\n", "condition", "listeners", "answers/s", "audio p50 ms", "audio p95 ms");
  for (const auto& [name, config] : {std::pair<const char*, const jsqa::ListenConfig&>{"noise (snr)", snr},
                                     {"noise>amr_wb(12.65)", codec}})
    for (const int listeners : {1, 20}) {
      const jsqa::Run run = jsqa::Load(config, listeners, answers);
      std::printf("%-22s %10d %12.1f %14.1f %14.1f\n", name, listeners, run.answers_per_second,
                  jsqa::Percentile(run.audio_ms, 0.5), jsqa::Percentile(run.audio_ms, 0.95));
    }
  return 0;
}
