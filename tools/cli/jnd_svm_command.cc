#include <iomanip>
#include <iostream>
#include <optional>

#include "pipeline/base/error.h"
#include "augment/degradations/jnd_dimension.h"
#include "augment/jnd_svm.h"
#include "pipeline/base/config_keys.h"
#include "tools/cli/cli_options.h"
#include "tools/cli/command.h"
#include "tools/cli/jnd_acceptance.h"
#include "tools/cli/jnd_judgments.h"
#include "tools/cli/jnd_prior_judgments.h"

namespace jsqa {
namespace {

constexpr const char* kUsage =
    "usage: jsqa-pipeline jnd-svm train --judgments CSV --out MODEL [--dimension D --c C --gamma G --folds K --seed N]\n"
    "       jsqa-pipeline jnd-svm prior --speech FILES_OR_DIRS... --noise FILES_OR_DIRS... --out CSV\n"
    "                                   [--count N --seed N --snr-min DB --snr-max DB --delta-max DB]\n"
    "       jsqa-pipeline jnd-svm acceptance --model MODEL --judgments CSV\n"
    "                                        [--table-delta-max DB --table-delta-step DB --table-pairs N]";

// How the judgments' pairs are rebuilt from their rows (train and acceptance).
void AddPairReadOptions(po::options_description& options, JudgmentReadArgs& read) {
  options.add_options()
      ("sample-rate", po::value<int>(&read.sample_rate)->default_value(read.sample_rate),
       "Hz the pairs are built and measured at")
      ("segment-seconds", po::value<double>(&read.segment_seconds)->default_value(read.segment_seconds),
       "pair length in seconds (speech padded, noise looped)");
}

void CheckPairReadArgs(const JudgmentReadArgs& read) {
  if (read.sample_rate <= 0) throw UsageError("--sample-rate must be > 0");
  if (!(read.segment_seconds > 0.0)) throw UsageError("--segment-seconds must be > 0");
}

// The acceptance-versus-Δ table's options, shared by train and acceptance.
void AddAcceptanceOptions(po::options_description& options, AcceptanceArgs& args) {
  options.add_options()
      ("table-delta-max", po::value<double>(&args.delta_max_db)->default_value(args.delta_max_db),
       "acceptance table: largest Δ, dB")
      ("table-delta-step", po::value<double>(&args.delta_step_db)->default_value(args.delta_step_db),
       "acceptance table: Δ step, dB")
      ("table-pairs", po::value<int>(&args.pairs_per_environment)->default_value(args.pairs_per_environment),
       "acceptance table: pairs per noise environment, the first in the CSV (0: all)")
      ("threshold", po::value<double>(&args.threshold)->default_value(args.threshold),
       "acceptance table: accept when P(same) >= this (as jnd.svm_threshold)");
}

// Prints the table, and a warning line per environment whose acceptance
// rises with Δ somewhere (a JND filter must not).
void ReportAcceptance(const JndSvm& svm, const JudgmentSet& set, const JudgmentReadArgs& read,
                      const AcceptanceArgs& args, const std::string& model_name) {
  const AcceptanceTable table = MeasureAcceptance(svm, set.rows, read, args);
  PrintAcceptance(std::cout, table, model_name);
  for (size_t e = 0; e < table.environments.size(); ++e)
    if (const std::optional<double> delta = FirstRiseDb(table, e))
      std::cout << "warning: acceptance rises with delta_db in " << table.environments[e] << " (at " << *delta
                << " dB)\n";
}

int TrainMain(const std::vector<std::string>& args) {
  JndSvmTrainArgs train;
  JudgmentReadArgs read;
  AcceptanceArgs acceptance;
  po::options_description options("jnd-svm train options");
  options.add_options()
      ("judgments", po::value<std::string>()->required(),
       "CSV of judgments: clean_path, noise_path, snr_db, delta_db, label [, clean_offset_s, noise_offset_s]")
      ("out", po::value<std::string>()->required(), "libsvm model file to write")
      ("dimension", po::value<std::string>(&read.dimension)->default_value(""),
       "the JND dimension to learn (the CSV's dimension column); empty: the file's only one, snr without "
       "the column")
      ("c", po::value<double>(&train.c)->default_value(train.c), "C-SVC cost")
      ("gamma", po::value<double>(&train.gamma)->default_value(train.gamma), "RBF gamma, on scaled features")
      ("folds", po::value<int>(&train.folds)->default_value(train.folds),
       "cross-validation folds for the reported accuracy")
      ("seed", po::value<uint64_t>(&train.seed)->default_value(train.seed),
       "seed of libsvm's shuffles (same seed, same model)")
      ("features", po::value<std::string>()->default_value(JndFeatureList(kAllJndFeatures)),
       "features the model uses, comma-separated (must include delta_db); leave out what the labels "
       "cannot depend on: judgments from `jnd-svm prior` depend on snr_db and delta_db alone");
  AddPairReadOptions(options, read);
  AddAcceptanceOptions(options, acceptance);
  AddCommonOptions(options);
  po::variables_map values;
  if (!ParseCommandLine(kUsage, args, options, {}, values)) return 0;
  CheckPairReadArgs(read);
  if (!(train.c > 0.0) || !(train.gamma > 0.0)) throw UsageError("--c and --gamma must be > 0");
  if (train.folds < 2) throw UsageError("--folds must be >= 2");
  train.features = ParseJndFeatureList(values["features"].as<std::string>());

  const JudgmentSet set = ReadJudgments(values["judgments"].as<std::string>(), read);
  try {
    train.dimension = {set.dimension, FindJndDimension(set.dimension).default_delta};
  } catch (const Error& e) {
    throw UsageError("--dimension: " + std::string(e.what()));
  }
  if (set.judgments.empty())
    throw UsageError(values["judgments"].as<std::string>() + ": no usable judgments of dimension " + set.dimension);
  double accuracy = 0.0;
  const JndSvm svm = JndSvm::Train(set.judgments, train, &accuracy);
  const std::string out = values["out"].as<std::string>();
  svm.Save(out);

  int same = 0;
  for (const JndJudgment& judgment : set.judgments) same += judgment.label;
  std::cout << set.judgments.size() << " judgments, " << set.skipped << " skipped, cross-validated accuracy "
            << std::fixed << std::setprecision(1) << 100.0 * accuracy << " %\n"
            << "label 1 (heard as the same): " << same << ", label 0 (heard as different): "
            << set.judgments.size() - same << "\n"
            << "dimension: " << train.dimension.name << " (Δ in units of " << FormatDouble(train.dimension.delta_scale)
            << "; " << set.other_dimensions << " rows of other dimensions left out)\n"
            << "features: " << JndFeatureList(train.features) << "; training ranges:" << std::setprecision(2);
  for (int f = 0; f < kJndFeatureCount; ++f)
    std::cout << (f ? ", " : " ") << JndFeatureNames()[f] << " [" << svm.training_ranges()[f].min << ", "
              << svm.training_ranges()[f].max << "]";
  std::cout << "\nmodel written to " << out << "\n";
  // The acceptance table re-mixes rows at growing SNR differences.
  if (set.dimension == "snr") ReportAcceptance(svm, set, read, acceptance, out);
  return 0;
}

int AcceptanceMain(const std::vector<std::string>& args) {
  JudgmentReadArgs read;
  AcceptanceArgs acceptance;
  po::options_description options("jnd-svm acceptance options");
  options.add_options()
      ("model", po::value<std::string>()->required(), "JND SVM model file")
      ("judgments", po::value<std::string>()->required(),
       "judgments CSV whose rows give the pairs (speech, noise, s); labels are not used");
  AddPairReadOptions(options, read);
  AddAcceptanceOptions(options, acceptance);
  AddCommonOptions(options);
  po::variables_map values;
  if (!ParseCommandLine(kUsage, args, options, {}, values)) return 0;
  CheckPairReadArgs(read);

  const std::string model = values["model"].as<std::string>();
  const JndSvm svm = JndSvm::Load(model);
  if (svm.dimension().name != "snr")
    throw UsageError(model + " judges " + svm.dimension().name + " pairs; the acceptance table is for snr models");
  read.dimension = "snr";
  const JudgmentSet set = ReadJudgments(values["judgments"].as<std::string>(), read);
  std::cout << set.rows.size() << " rows, " << set.skipped << " skipped\n";
  ReportAcceptance(svm, set, read, acceptance, model);
  return 0;
}

int PriorMain(const std::vector<std::string>& args) {
  PriorJudgmentArgs prior;
  po::options_description options("jnd-svm prior options");
  options.add_options()
      ("speech", po::value<std::vector<std::string>>(&prior.speech)->multitoken()->composing()->required(),
       "speech files, or folders searched for .wav/.flac/.ogg")
      ("noise", po::value<std::vector<std::string>>(&prior.noise)->multitoken()->composing()->required(),
       "noise files or folders (speech clips serve as babble)")
      ("out", po::value<std::string>()->required(), "judgments CSV to write")
      ("count", po::value<int>(&prior.count)->default_value(prior.count), "rows (pairs) to draw")
      ("seed", po::value<uint64_t>(&prior.seed)->default_value(prior.seed),
       "seed of every draw (same seed, same file)")
      ("snr-min", po::value<double>(&prior.snr_min_db)->default_value(prior.snr_min_db),
       "lowest SNR s of a pair, dB")
      ("snr-max", po::value<double>(&prior.snr_max_db)->default_value(prior.snr_max_db),
       "highest SNR s of a pair, dB")
      ("delta-max", po::value<double>(&prior.delta_max_db)->default_value(prior.delta_max_db),
       "largest SNR difference Δ, dB (Δ ~ uniform on [0, delta-max))")
      ("segment-seconds", po::value<double>(&prior.segment_seconds)->default_value(prior.segment_seconds),
       "pair length the offsets leave room for, seconds");
  AddCommonOptions(options);
  po::variables_map values;
  if (!ParseCommandLine(kUsage, args, options, {}, values)) return 0;

  const std::string out = values["out"].as<std::string>();
  const PriorJudgmentSummary summary = WritePriorJudgments(out, prior);
  std::cout << "wrote " << summary.rows << " judgments to " << out << " (" << summary.same
            << " heard as the same) from " << summary.speech_files << " speech and " << summary.noise_files
            << " noise files\n";
  return 0;
}

}  // namespace

int JndSvmCommandMain(const std::vector<std::string>& args) {
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    std::cout << kUsage << "\n\n(jsqa-pipeline jnd-svm ACTION --help for each action's options)\n";
    return 0;
  }
  if (args.empty()) throw UsageError("missing action: train, prior or acceptance (see --help)");
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "train") return TrainMain(rest);
  if (args[0] == "prior") return PriorMain(rest);
  if (args[0] == "acceptance") return AcceptanceMain(rest);
  throw UsageError("unknown action '" + args[0] + "': allowed: train, prior, acceptance");
}

}  // namespace jsqa
