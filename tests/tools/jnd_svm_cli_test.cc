// `jsqa-pipeline jnd-svm`: judgments from the prior, training on them, and
// what a hand-written judgments CSV may get wrong.
#include <gtest/gtest.h>

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
                     (dir_ / "jnd.model") + " --folds 3 --segment-seconds 2",
                 &output),
            0)
      << output;
  EXPECT_NE(output.find("60 judgments, 0 skipped, cross-validated accuracy "), std::string::npos) << output;
  EXPECT_NE(output.find("label 1 (heard as the same): "), std::string::npos) << output;
  EXPECT_NE(ReadBytes(dir_ / "jnd.model").find("svm_type c_svc"), std::string::npos);

  // The model loads and says what the prior taught it: a 0.2 dB difference
  // is heard as the same more likely than a 12 dB one.
  const JndSvm svm = JndSvm::Load(dir_ / "jnd.model");
  const double small = svm.Probability({5.0, 0.2, 0.1, -20.0, 3.0});
  const double large = svm.Probability({5.0, 12.0, 6.0, -20.0, 3.0});
  EXPECT_GE(small, 0.0);
  EXPECT_LE(small, 1.0);
  EXPECT_GT(small, large) << "P(same) at 0.2 dB " << small << ", at 12 dB " << large;
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
  EXPECT_NE(output.find("allowed: train, prior"), std::string::npos) << output;
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
