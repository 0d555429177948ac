// `jsqa-pipeline listen`: serve a JND listening test, export its judgments,
// report what they say (README "Collecting your own JND judgments").
#include <pthread.h>

#include <csignal>
#include <filesystem>
#include <iostream>
#include <thread>

#include "listen/judgment_export.h"
#include "listen/listening_report.h"
#include "listen/listening_server.h"
#include "pipeline/base/error.h"
#include "pipeline/base/text_files.h"
#include "tools/cli/cli_options.h"
#include "tools/cli/command.h"

namespace jsqa {
namespace {

constexpr const char* kUsage =
    "usage: jsqa-pipeline listen CONFIG [--set section.key=value ...] [--db FILE] [--port N] [--bind ADDR]\n"
    "       jsqa-pipeline listen export --db FILE --out judgments.csv\n"
    "       jsqa-pipeline listen report --db FILE --out DIR [--svm-model MODEL]";

std::string ListenKeysHelp() {
  Config config;
  config.AddSection<ListenConfig>("listen");
  return config.KeysHelp();
}

int ServeMain(const std::vector<std::string>& args) {
  po::options_description options("listen options");
  options.add_options()
      ("config", po::value<std::string>()->required(), "config file ([listen] and the rest)")
      ("set", po::value<std::vector<std::string>>()->composing(), "override: section.key=value (repeatable)")
      ("db", po::value<std::string>()->default_value("listening-test.sqlite"),
       "SQLite database of listeners and answers (made when missing; a restart resumes it)")
      ("port", po::value<int>()->default_value(8080), "TCP port (0: any free one)")
      ("bind", po::value<std::string>()->default_value("127.0.0.1"),
       "address to listen on (0.0.0.0 opens the test to the network)");
  AddCommonOptions(options);
  po::positional_options_description positional;
  positional.add("config", 1);
  po::variables_map values;
  if (!ParseCommandLine(kUsage + std::string("\n\n[listen] keys:\n") + ListenKeysHelp(), args, options, positional,
                        values))
    return 0;
  const int port = values["port"].as<int>();
  if (port < 0 || port > 65535) throw UsageError("--port " + std::to_string(port) + ": allowed 0..65535");
  // [listen] belongs to this command alone: no stage reads it.
  Config config;
  config.AddSection<ListenConfig>("listen");
  LoadConfig(config, values["config"].as<std::string>(),
             values.count("set") ? values["set"].as<std::vector<std::string>>() : std::vector<std::string>{});
  const ListenConfig& listen = config.Get<ListenConfig>("listen");

  // SIGINT and SIGTERM stop the server from a thread of its own (stopping
  // is not async-signal-safe); blocked before any thread starts so that
  // every thread inherits the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  ListeningService service(listen, values["db"].as<std::string>(), config.SectionsText({"listen"}));
  ListeningServerArgs server_args;
  server_args.bind = values["bind"].as<std::string>();
  server_args.port = port;
  ListeningServer server(service, server_args);
  std::thread stopper([&server, stop_signals] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    server.Stop();
  });
  stopper.detach();
  server.Run([&](int bound) {
    const std::string base = "http://" + server_args.bind + ":" + std::to_string(bound);
    std::cout << "listen: database " << service.db_path() << "\n"
              << "listen: listeners: " << base << "/\n"
              << "listen: admin (keep it private): " << base << "/admin#token=" << server.admin_token() << "\n"
              << std::flush;
  });
  std::cout << "listen: stopped; every answer is in " << service.db_path() << "\n";
  return 0;
}

int ExportMain(const std::vector<std::string>& args) {
  po::options_description options("listen export options");
  options.add_options()
      ("db", po::value<std::string>()->required(), "the listening test's database")
      ("out", po::value<std::string>()->required(), "judgments CSV to write (jnd-svm train --judgments)");
  AddCommonOptions(options);
  po::variables_map values;
  if (!ParseCommandLine(kUsage, args, options, {}, values)) return 0;
  const std::string out = values["out"].as<std::string>();
  const JudgmentExport exported = ExportJudgments(values["db"].as<std::string>());
  WriteFileAtomically(out, exported.csv);
  std::cout << "wrote " << exported.rows << " judgments from " << exported.included << " of " << exported.listeners
            << " listeners to " << out << "\n";
  for (const std::string& line : exported.excluded) std::cout << "excluded " << line << "\n";
  std::cout << "train an SVM on them: jsqa-pipeline jnd-svm train --judgments " << out
            << " --out MODEL --segment-seconds " << FormatDouble(exported.stimulus_seconds) << "\n";
  return 0;
}

int ReportMain(const std::vector<std::string>& args) {
  ListeningReportArgs report_args;
  po::options_description options("listen report options");
  options.add_options()
      ("db", po::value<std::string>()->required(), "the listening test's database")
      ("out", po::value<std::string>()->required(), "folder for report.md, jnd.csv and the plots")
      ("svm-model", po::value<std::string>(&report_args.svm_model)->default_value("configs/jnd-svm.model"),
       "JND SVM to hold against the listeners (empty: none)")
      ("svm-threshold", po::value<double>(&report_args.svm_threshold)->default_value(report_args.svm_threshold),
       "the SVM says 'same' when P(same) >= this")
      ("bootstrap", po::value<int>(&report_args.bootstrap)->default_value(report_args.bootstrap),
       "bootstrap resamples per JND interval")
      ("folds", po::value<int>(&report_args.folds)->default_value(report_args.folds),
       "cross-validation folds of the freshly trained SVM")
      ("seed", po::value<uint64_t>(&report_args.seed)->default_value(report_args.seed), "seed of the resampling");
  AddCommonOptions(options);
  po::variables_map values;
  if (!ParseCommandLine(kUsage, args, options, {}, values)) return 0;
  if (report_args.bootstrap < 10) throw UsageError("--bootstrap must be >= 10");
  if (report_args.folds < 2) throw UsageError("--folds must be >= 2");
  const ListeningReport report = BuildListeningReport(values["db"].as<std::string>(), report_args);
  const std::string out = values["out"].as<std::string>();
  WriteListeningReport(report, out);
  std::cout << ListeningReportText(report) << "\nwritten to " << out << "/\n";
  return 0;
}

}  // namespace

int ListenCommandMain(const std::vector<std::string>& args) {
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    std::cout << kUsage << "\n\n(jsqa-pipeline listen [export|report] --help for the options)\n";
    return 0;
  }
  if (args.empty()) throw UsageError("missing CONFIG, or export / report (see --help)");
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "export") return ExportMain(rest);
  if (args[0] == "report") return ReportMain(rest);
  return ServeMain(args);
}

}  // namespace jsqa
