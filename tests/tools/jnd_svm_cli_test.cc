// `jsqa-pipeline jnd-svm`: judgments from the prior, training on them, and
// what a hand-written judgments CSV may get wrong.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "augment/jnd_svm.h"
#include "tests/test_support.h"

namespace jsqa {
namespace {
namespace fs = std::filesystem;
using testing::JsqaExecutable;
using testing::ReadBytes;
using testing::RunCommand;
using testing::WriteBytes;

int Jsqa(const std::string& args, std::string* output) {
  return RunCommand(JsqaExecutable() + " " + args, output);
}

std::string LittleEndian(uint32_t value, int bytes) {
  std::string out;
  for (int i = 0; i < bytes; ++i) out += static_cast<char>((value >> (8 * i)) & 0xFF);
  return out;
}

// A canonical 16-bit mono PCM WAV of zeros.
std::string SilentWav(uint32_t frames, uint32_t sample_rate) {
  const uint32_t data_bytes = 2 * frames;
  return "RIFF" + LittleEndian(36 + data_bytes, 4) + "WAVEfmt " + LittleEndian(16, 4) + LittleEndian(1, 2) +
         LittleEndian(1, 2) + LittleEndian(sample_rate, 4) + LittleEndian(2 * sample_rate, 4) +
         LittleEndian(2, 2) + LittleEndian(16, 2) + "data" + LittleEndian(data_bytes, 4) +
         std::string(data_bytes, '\0');
}

int CountOf(const std::string& text, const std::string& part) {
  int count = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

// The first line of text that contains part, or "".
std::string LineWith(const std::string& text, const std::string& part) {
  const size_t at = text.find(part);
  if (at == std::string::npos) return "";
  const size_t begin = text.rfind('\n', at) == std::string::npos ? 0 : text.rfind('\n', at) + 1;
  return text.substr(begin, text.find('\n', at) - begin);
}

// The two tables of an acceptance report (jnd_acceptance.h), as rows of
// whitespace-separated cells, header first.
struct AcceptanceTables {
  std::vector<std::vector<std::string>> svm;
  std::vector<std::vector<std::string>> prior;
};

AcceptanceTables ParseAcceptance(const std::string& output) {
  AcceptanceTables tables;
  std::vector<std::vector<std::string>>* table = nullptr;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("JND SVM ", 0) == 0) {
      table = &tables.svm;
    } else if (line.rfind("published-threshold prior", 0) == 0) {
      table = &tables.prior;
    } else if (table && line.rfind("  ", 0) == 0 && line.find('(') == std::string::npos) {
      std::istringstream cells(line);
      std::vector<std::string> row;
      for (std::string cell; cells >> cell;) row.push_back(cell);
      table->push_back(row);
    } else {
      table = nullptr;
    }
  }
  return tables;
}

// Every column's acceptance (%) is non-increasing down the Δ rows.
void ExpectNeverRises(const std::vector<std::vector<std::string>>& table, const std::string& output) {
  ASSERT_GE(table.size(), 2u) << output;
  for (size_t column = 1; column < table[0].size(); ++column)
    for (size_t row = 2; row < table.size(); ++row)
      EXPECT_LE(std::stod(table[row][column]), std::stod(table[row - 1][column]))
          << table[0][column] << " at delta_db " << table[row][0] << "\n"
          << output;
}

class JndSvmCliTest : public ::testing::Test {
 protected:
  // Prior judgments over two LibriVox clips, a voice clip copied next to the
  // CSV (so it is written relative), and Noise.wav.
  int Prior(const std::string& csv, int count, std::string* output) {
    fs::copy_file(testing::AlsaVoiceClips()[0], dir_ / "voice.wav", fs::copy_options::skip_existing);
    const auto librivox = testing::LibrivoxClips();
    return Jsqa("jnd-svm prior --speech " + librivox[0] + " " + librivox[1] + " " + (dir_ / "voice.wav") +
                    " --noise " + testing::AlsaNoise() + " --count " + std::to_string(count) +
                    " --seed 3 --segment-seconds 2 --out " + (dir_ / csv),
                output);
  }

  testing::TempDir dir_;
};

TEST_F(JndSvmCliTest, PriorThenTrainMakesALoadableModel) {
  std::string output;
  ASSERT_EQ(Prior("judgments.csv", 60, &output), 0) << output;
  EXPECT_NE(output.find("wrote 60 judgments"), std::string::npos) << output;
  const std::string csv = ReadBytes(dir_ / "judgments.csv");
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "clean_path,noise_path,clean_offset_s,noise_offset_s,snr_db,delta_db,label");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 61);
  EXPECT_NE(csv.find("\nvoice.wav,"), std::string::npos) << "a file beside the CSV is written relative";
  EXPECT_NE(csv.find("," + testing::AlsaNoise() + ","), std::string::npos) << "others absolute";

  // The same arguments give the same bytes.
  ASSERT_EQ(Prior("again.csv", 60, &output), 0) << output;
  EXPECT_EQ(ReadBytes(dir_ / "again.csv"), csv);

  ASSERT_EQ(Jsqa("jnd-svm train --judgments " + (dir_ / "judgments.csv") + " --out " +
                     (dir_ / "jnd.model") + " --folds 3 --segment-seconds 2 --table-pairs 10",
                 &output),
            0)
      << output;
  EXPECT_NE(output.find("60 judgments, 0 skipped, cross-validated accuracy "), std::string::npos) << output;
  EXPECT_NE(output.find("label 1 (heard as the same): "), std::string::npos) << output;
  EXPECT_NE(output.find("features: snr_db,delta_db,spectral_distance,noise_flatness,noise_fluctuation; "
                        "training ranges: snr_db ["),
            std::string::npos)
      << output;
  EXPECT_NE(ReadBytes(dir_ / "jnd.model").find("svm_type c_svc"), std::string::npos);
  EXPECT_NE(ReadBytes(dir_ / "jnd.model").find("\n#jsqa-jnd-svm range delta_db "), std::string::npos);
  // The report's acceptance-versus-Δ tables, the model's and the prior's,
  // one column per noise (here Noise.wav alone), Δ = 0 to 20 dB.
  const AcceptanceTables tables = ParseAcceptance(output);
  ASSERT_EQ(tables.svm.size(), 22u) << output;
  EXPECT_EQ(tables.svm[0], (std::vector<std::string>{"delta_db", "Noise"})) << output;
  EXPECT_EQ(tables.prior.size(), 22u) << output;
  EXPECT_EQ(tables.prior[1], (std::vector<std::string>{"0.00", "100.0"})) << output;
  EXPECT_EQ(tables.prior[21], (std::vector<std::string>{"20.00", "0.0"})) << output;
  ExpectNeverRises(tables.svm, output);

  // The model loads and says what the prior taught it: a 0.2 dB difference
  // is heard as the same more likely than a 12 dB one.
  const JndSvm svm = JndSvm::Load(dir_ / "jnd.model");
  const double small = svm.Probability({5.0, 0.2, 0.1, -20.0, 3.0});
  const double large = svm.Probability({5.0, 12.0, 6.0, -20.0, 3.0});
  EXPECT_GE(small, 0.0);
  EXPECT_LE(small, 1.0);
  EXPECT_GT(small, large) << "P(same) at 0.2 dB " << small << ", at 12 dB " << large;
}

// The shipped model over the demo corpus's CHiME-3-layout noise (BUS:
// Noise.wav below 2 kHz; CAF, PED: babble; STR: Noise.wav), LibriSpeech-
// layout speech, s ~ U[-5, 20] dB: acceptance at Δ = 0 to 20 dB never
// rises, per environment. (The model it replaced accepted 100 % of BUS
// pairs at every Δ, and 90-96 % of the others again at 10 dB.)
TEST_F(JndSvmCliTest, ShippedModelAcceptanceNeverRisesWithDeltaOnDemoNoise) {
  testing::WriteDemoConfig(dir_.path(), "demo.ini");
  const std::string corpus = dir_ / "corpus";
  std::string output;
  ASSERT_EQ(Jsqa("jnd-svm prior --speech " + corpus + "/LibriSpeech --noise " + corpus +
                     "/CHiME3/data/audio/16kHz/backgrounds --count 240 --seed 5 --snr-min -5 --snr-max 20"
                     " --segment-seconds 2 --out " + (dir_ / "pairs.csv"),
                 &output),
            0)
      << output;
  ASSERT_EQ(Jsqa("jnd-svm acceptance --model " + testing::SourceDir() + "/configs/jnd-svm.model --judgments " +
                     (dir_ / "pairs.csv") + " --segment-seconds 2 --table-pairs 25",
                 &output),
            0)
      << output;
  EXPECT_NE(output.find("pairs per environment: BUS 25, CAF 25, PED 25, STR 25"), std::string::npos) << output;
  EXPECT_EQ(output.find("warning"), std::string::npos) << output;
  EXPECT_EQ(output.find("not measured"), std::string::npos) << "the model covers 0-20 dB\n" << output;
  const AcceptanceTables tables = ParseAcceptance(output);
  ASSERT_EQ(tables.svm.size(), 22u) << output;
  EXPECT_EQ(tables.svm[0], (std::vector<std::string>{"delta_db", "BUS", "CAF", "PED", "STR"})) << output;
  ExpectNeverRises(tables.svm, output);
  ExpectNeverRises(tables.prior, output);
  // A filter, not a wall: nearly everything at 1 dB, nothing at 6 dB or more.
  EXPECT_EQ(tables.svm[2], (std::vector<std::string>{"1.00", "100.0", "100.0", "100.0", "100.0"})) << output;
  for (size_t row = 7; row < tables.svm.size(); ++row)
    EXPECT_EQ(tables.svm[row], (std::vector<std::string>{tables.svm[row][0], "0.0", "0.0", "0.0", "0.0"}))
        << output;
}

// A config that asks a model about Δ far beyond what it was trained on
// stops with a line naming the model and its range, instead of guessing.
TEST_F(JndSvmCliTest, SynthRefusesPairsFarOutsideTheModelsRange) {
  std::string output;
  ASSERT_EQ(Prior("narrow.csv", 80, &output), 0) << output;  // Δ < 24 dB
  // The same rows with Δ scaled into [0, 6) dB: a model that knows Δ < 6.
  std::istringstream rows(ReadBytes(dir_ / "narrow.csv"));
  std::string line;
  std::getline(rows, line);
  std::string csv = line + "\n";
  while (std::getline(rows, line)) {
    std::vector<std::string> fields;
    std::istringstream parts(line);
    for (std::string field; std::getline(parts, field, ',');) fields.push_back(field);
    const double delta = std::stod(fields[5]) / 4.0;
    fields[5] = std::to_string(delta);
    fields[6] = delta < 3.0 ? "1" : "0";
    for (size_t i = 0; i < fields.size(); ++i) csv += (i ? "," : "") + fields[i];
    csv += "\n";
  }
  WriteBytes(dir_ / "narrow.csv", csv);
  ASSERT_EQ(Jsqa("jnd-svm train --judgments " + (dir_ / "narrow.csv") + " --out " + (dir_ / "narrow.model") +
                     " --folds 3 --segment-seconds 2 --table-pairs 5",
                 &output),
            0)
      << output;
  EXPECT_NE(output.find("(not measured, outside the model's training range, where queries are errors: delta_db 7.00, 8.00"),
            std::string::npos)
      << output;
  const std::string config = testing::WriteDemoConfig(dir_.path(), "demo.ini");
  EXPECT_EQ(Jsqa("synth " + config + " --set jnd.svm_model=" + (dir_ / "narrow.model") +
                     " --set jnd.delta_min_db=15 --set jnd.delta_max_db=20 --out " + (dir_ / "pairs"),
                 &output),
            2)
      << output;
  // Refused before any pair: the config's ranges against the model's.
  EXPECT_NE(output.find("jnd.svm_model = '" + (dir_ / "narrow.model") + "' was trained on delta_db"), std::string::npos)
      << output;
  EXPECT_NE(output.find("but the config draws 15 to 20 dB"), std::string::npos) << output;
  EXPECT_FALSE(fs::exists(dir_ / "pairs/manifest.json"));
}

// AMR-NB mode judgments, as a listening test's export gives them: the
// condition amr_nb(7.95) against 1 to 4 modes lower, heard as the same at
// one mode only, over the SNRs the demo config draws.
std::string CodecModeJudgments() {
  const auto librivox = testing::LibrivoxClips();
  const char* lower[] = {"6.7", "5.9", "5.15", "4.75"};
  std::string csv = "clean_path,noise_path,snr_db,delta_db,label,dimension,chain,chain_b,delta,chain_seed,chain_key\n";
  int row = 0;
  for (const int snr : {-6, 0, 5, 10, 15, 21})
    for (int modes = 1; modes <= 4; ++modes, ++row)
      csv += librivox[static_cast<size_t>(row % 2)] + "," + testing::AlsaNoise() + "," + std::to_string(snr) +
             ",0," + (modes == 1 ? "1" : "0") + ",codec_mode,noise>amr_nb(7.95),noise>amr_nb(" + lower[modes - 1] +
             ")," + std::to_string(modes) + ",1," + std::to_string(row) + "\n";
  return csv;
}

TEST_F(JndSvmCliTest, AChainDimensionsJudgmentsTrainItsModelAndSynthesisUsesIt) {
  WriteBytes(dir_ / "codec.csv", CodecModeJudgments());
  std::string output;
  const std::string train = "jnd-svm train --out " + (dir_ / "codec.svm") +
                            " --folds 3 --segment-seconds 2 --features snr_db,delta_db,spectral_distance --judgments ";
  ASSERT_EQ(Jsqa(train + (dir_ / "codec.csv"), &output), 0) << output;
  EXPECT_NE(output.find("24 judgments, 0 skipped"), std::string::npos) << output;
  EXPECT_NE(output.find("dimension: codec_mode (Δ in units of 1; 0 rows of other dimensions left out)"),
            std::string::npos)
      << output;
  EXPECT_EQ(output.find("acceptance vs delta_db"), std::string::npos) << "an SNR table for a codec model\n" << output;
  EXPECT_NE(ReadBytes(dir_ / "codec.svm").find("#jsqa-jnd-svm dimension codec_mode 1\n"), std::string::npos);
  const JndSvm svm = JndSvm::Load(dir_ / "codec.svm");
  EXPECT_EQ(svm.dimension().name, "codec_mode");
  // Δ in modes: the tolerance beyond the training range is a third of one.
  EXPECT_TRUE(svm.Answers(kDelta, 4.3));
  EXPECT_FALSE(svm.Answers(kDelta, 4.4));

  // A file of two dimensions needs --dimension.
  WriteBytes(dir_ / "mixed.csv", ReadBytes(dir_ / "codec.csv") + testing::LibrivoxClips()[0] + "," +
                                     testing::AlsaNoise() + ",5,3,0,snr,noise,,3,,\n");
  EXPECT_EQ(Jsqa("jnd-svm train --judgments " + (dir_ / "mixed.csv") + " --out " + (dir_ / "mixed.svm"), &output),
            2);
  EXPECT_NE(output.find("judgments of several JND dimensions (codec_mode, snr); choose one with --dimension"),
            std::string::npos)
      << output;
  ASSERT_EQ(Jsqa(train + (dir_ / "mixed.csv") + " --dimension codec_mode", &output), 0) << output;
  EXPECT_NE(output.find("1 rows of other dimensions left out"), std::string::npos) << output;

  // Synthesis judges AMR-NB mode pairs with it: none is left unjudged.
  const std::string config = testing::WriteDemoConfig(dir_.path(), "demo.ini");
  const std::string codec_pairs = " --set 'jnd.chains=noise>amr_nb' --set jnd.dimensions=codec_mode --set jnd.svm_model="
                                  " --set synth.max_speech_hours=0.002 --set synth.segment_seconds=2";
  ASSERT_EQ(Jsqa("synth " + config + codec_pairs + " --set jnd.svm_models=codec_mode:" + (dir_ / "codec.svm") +
                     " --out " + (dir_ / "pairs"),
                 &output),
            0)
      << output;
  const nlohmann::json manifest = nlohmann::json::parse(ReadBytes(dir_ / "pairs/manifest.json"));
  const nlohmann::json& codec_mode = manifest["totals"]["by_dimension"]["codec_mode"];
  EXPECT_GT(codec_mode["accepted"].get<int>(), 0) << codec_mode;
  EXPECT_EQ(codec_mode["unjudged"].get<int>(), 0) << codec_mode;
  // A model of another dimension is refused, naming the key, before any pair.
  EXPECT_EQ(Jsqa("synth " + config + codec_pairs + " --set jnd.svm_models=codec_mode:" + testing::SourceDir() +
                     "/configs/jnd-svm.model --out " + (dir_ / "wrong"),
                 &output),
            2);
  EXPECT_NE(output.find("jnd.svm_models: codec_mode:"), std::string::npos) << output;
  EXPECT_NE(output.find("the model judges snr pairs"), std::string::npos) << output;
}

TEST_F(JndSvmCliTest, MissingColumnIsAUsageError) {
  WriteBytes(dir_ / "no-label.csv", "clean_path,noise_path,snr_db,delta_db\na.wav,b.wav,0,3\n");
  std::string output;
  EXPECT_EQ(Jsqa("jnd-svm train --judgments " + (dir_ / "no-label.csv") + " --out " + (dir_ / "m.model"),
                 &output),
            2);
  EXPECT_NE(output.find("missing column 'label'"), std::string::npos) << output;
  EXPECT_FALSE(fs::exists(dir_ / "m.model"));
}

TEST_F(JndSvmCliTest, BadRowsAreSkippedAndCounted) {
  std::string output;
  ASSERT_EQ(Prior("good.csv", 30, &output), 0) << output;
  WriteBytes(dir_ / "silent.wav", SilentWav(48000, 16000));
  // Columns in another order, and the bad rows after the good ones, at
  // known lines (the header is line 1, the good rows lines 2-31).
  std::istringstream good(ReadBytes(dir_ / "good.csv"));
  std::string line;
  std::getline(good, line);
  std::string csv = "label,snr_db,delta_db,noise_path,clean_path,clean_offset_s,noise_offset_s\n";
  while (std::getline(good, line)) {
    std::vector<std::string> fields;
    std::istringstream parts(line);
    for (std::string field; std::getline(parts, field, ',');) fields.push_back(field);
    csv += fields[6] + "," + fields[4] + "," + fields[5] + "," + fields[1] + "," + fields[0] + "," +
           fields[2] + "," + fields[3] + "\n";
  }
  const std::string noise = testing::AlsaNoise();
  csv += "1,5,2," + noise + ",missing.wav,0,0\n";       // line 32
  csv += "1,loud,2," + noise + ",voice.wav,0,0\n";      // line 33
  csv += "2,5,2," + noise + ",voice.wav,0,0\n";         // line 34
  csv += "0,5,2," + noise + ",silent.wav,0,0\n";        // line 35
  csv += "0,5,2," + noise + ",voice.wav,99,0\n";        // line 36
  WriteBytes(dir_ / "mixed.csv", csv);

  ASSERT_EQ(Jsqa("jnd-svm train --judgments " + (dir_ / "mixed.csv") + " --out " + (dir_ / "m.model") +
                     " --folds 3 --segment-seconds 2",
                 &output),
            0)
      << output;
  EXPECT_NE(output.find("30 judgments, 5 skipped"), std::string::npos) << output;
  EXPECT_EQ(CountOf(output, "skipped " + (dir_ / "mixed.csv") + ":"), 5) << output;
  const std::string where = dir_ / "mixed.csv:";
  EXPECT_NE(LineWith(output, where + "32: ").find("missing.wav"), std::string::npos) << output;
  EXPECT_NE(LineWith(output, where + "33: snr_db 'loud' is not a finite number"), "") << output;
  EXPECT_NE(LineWith(output, where + "34: label '2' is not 0 or 1"), "") << output;
  EXPECT_NE(LineWith(output, where + "35: ").find("is silent"), std::string::npos) << output;
  EXPECT_NE(LineWith(output, where + "36: clean_offset_s is past the end"), "") << output;
}

TEST_F(JndSvmCliTest, UsageErrorsExitTwo) {
  std::string output;
  EXPECT_EQ(Jsqa("jnd-svm", &output), 2);
  EXPECT_EQ(Jsqa("jnd-svm frobnicate", &output), 2);
  EXPECT_NE(output.find("allowed: train, prior, acceptance"), std::string::npos) << output;
  EXPECT_EQ(Jsqa("jnd-svm train --judgments x.csv --out x.model --features snr_db,loudness", &output), 2);
  EXPECT_NE(output.find("unknown JND feature 'loudness'"), std::string::npos) << output;
  EXPECT_EQ(Jsqa("jnd-svm train --out x.model", &output), 2);
  EXPECT_EQ(Jsqa("jnd-svm prior --speech " + (dir_ / "nowhere") + " --noise " + testing::AlsaNoise() +
                     " --out " + (dir_ / "p.csv"),
                 &output),
            2);
  EXPECT_NE(output.find("nowhere"), std::string::npos) << output;
  EXPECT_EQ(Jsqa("jnd-svm prior --help", &output), 0);
  EXPECT_NE(output.find("--delta-max"), std::string::npos) << output;
  EXPECT_EQ(Jsqa("--help", &output), 0);
  EXPECT_NE(output.find("jnd-svm"), std::string::npos) << output;
}

}  // namespace
}  // namespace jsqa
