#include "tools/demo_corpus/demo_corpus.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>

#include "augment/audio_io.h"
#include "pipeline/base/error.h"
#include "augment/mix.h"
#include "pipeline/corpus/chime3_layout.h"
#include "pipeline/base/csv.h"
#include "pipeline/corpus/librispeech_layout.h"
#include "pipeline/corpus/nisqa_layout.h"
#include "tests/test_support.h"

namespace jsqa {
namespace {
namespace fs = std::filesystem;

// Every file under dir, by path relative to it, with its bytes.
std::map<std::string, std::string> Snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(dir))
    if (entry.is_regular_file())
      files[fs::relative(entry.path(), dir).string()] = testing::ReadBytes(entry.path().string());
  return files;
}

std::vector<std::string> Entries(const fs::path& dir) {
  std::vector<std::string> names;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir))
    names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

class DemoCorpusTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<testing::TempDir>();
    summary_ = BuildDemoCorpus(Out());
  }
  static void TearDownTestSuite() { dir_.reset(); }
  static std::string Out() { return *dir_ / "corpus"; }

  static std::unique_ptr<testing::TempDir> dir_;
  static DemoCorpusSummary summary_;
};
std::unique_ptr<testing::TempDir> DemoCorpusTest::dir_;
DemoCorpusSummary DemoCorpusTest::summary_;

TEST_F(DemoCorpusTest, SummaryMatchesWhatTheReadersFind) {
  const CorpusListing speech = ListLibriSpeech(Out() + "/LibriSpeech", {"train-clean-5", "dev-clean-2"});
  const CorpusListing noise = ListChime3Backgrounds(Out() + "/CHiME3/data/audio/16kHz/backgrounds", {});
  const CorpusListing nisqa =
      ListNisqa(Out() + "/NISQA_Corpus", {"TRAIN_SIM", "TRAIN_LIVE", "VAL_SIM", "VAL_LIVE", "TEST_FOR",
                                           "TEST_P501", "TEST_LIVETALK"});
  EXPECT_TRUE(speech.skipped.empty());
  EXPECT_TRUE(noise.skipped.empty());
  EXPECT_TRUE(nisqa.skipped.empty());
  EXPECT_EQ(summary_.speech_files, static_cast<int>(speech.items.size()));
  EXPECT_EQ(summary_.noise_files, static_cast<int>(noise.items.size()));
  EXPECT_EQ(summary_.nisqa_files, static_cast<int>(nisqa.items.size()));
  EXPECT_GE(summary_.speech_files, 20);

  double seconds = 0.0;
  for (const CorpusItem& item : speech.items) seconds += ProbeAudio(item.path).DurationSeconds();
  EXPECT_NEAR(summary_.speech_seconds, seconds, 1e-6);
  EXPECT_GT(summary_.speech_seconds, 50.0);
}

TEST_F(DemoCorpusTest, SpeechIsFlacAtItsRecordedRate) {
  const AudioInfo librivox = ProbeAudio(Out() + "/LibriSpeech/train-clean-5/1001/100/1001-100-0000.flac");
  EXPECT_EQ(librivox.container, "FLAC");
  EXPECT_EQ(librivox.sample_rate, 16000);
  EXPECT_NEAR(librivox.DurationSeconds(), 7.1, 0.01);
  // The alsa-utils voice stays at 48 kHz so that resampling is exercised.
  const AudioInfo alsa = ProbeAudio(Out() + "/LibriSpeech/train-clean-5/1003/300/1003-300-0000.flac");
  EXPECT_EQ(alsa.container, "FLAC");
  EXPECT_EQ(alsa.sample_rate, 48000);
  // Headerless .raw clips read as 16-bit little-endian: same samples as the source.
  const Audio raw = ReadAudio(Out() + "/LibriSpeech/train-clean-5/1004/400/1004-400-0000.flac");
  const std::string bytes = testing::ReadBytes("/usr/share/pocketsphinx/test/data/goforward.raw");
  ASSERT_EQ(raw.samples.size(), bytes.size() / 2);
  const size_t i = raw.samples.size() / 2;
  const auto sample = static_cast<int16_t>(static_cast<uint8_t>(bytes[2 * i]) |
                                           (static_cast<uint8_t>(bytes[2 * i + 1]) << 8));
  EXPECT_FLOAT_EQ(raw.samples[i], sample / 32768.0f);
}

TEST_F(DemoCorpusTest, LibriSpeechMetadataFilesUseTheRealFormats) {
  const std::string speakers = testing::ReadBytes(Out() + "/LibriSpeech/SPEAKERS.TXT");
  EXPECT_NE(speakers.find(";ID    |SEX| SUBSET           |MINUTES| NAME\n"), std::string::npos);
  EXPECT_NE(speakers.find("\n1003   | F | train-clean-5    | "), std::string::npos) << speakers;
  const std::string chapters = testing::ReadBytes(Out() + "/LibriSpeech/CHAPTERS.TXT");
  EXPECT_NE(chapters.find("| PROJ.|BOOK ID| CH. TITLE"), std::string::npos);
  EXPECT_NE(chapters.find("\n100    | 1001 | "), std::string::npos) << chapters;
  EXPECT_EQ(testing::ReadBytes(Out() + "/LibriSpeech/dev-clean-2/1002/200/1002-200.trans.txt"),
            "1002-200-0000 TEN OF CLUBS\n"
            "1002-200-0001 FOUR QUEEN OF CLUBS\n"
            "1002-200-0002 SEVEN OF CLUBS\n"
            "1002-200-0003 FIVE FIVE\n"
            "1002-200-0004 EIGHT OF SPADES FOUR OF CLUBS SEVEN OF HEARTS\n");
}

TEST_F(DemoCorpusTest, BackgroundsAreLongSixteenKilohertzRecordings) {
  const CorpusListing noise = ListChime3Backgrounds(Out() + "/CHiME3/data/audio/16kHz/backgrounds", {});
  std::map<std::string, int> per_split;
  for (const CorpusItem& item : noise.items) {
    ++per_split[*item.Tag("split")];
    const Audio audio = ReadAudio(item.path);
    EXPECT_EQ(audio.sample_rate, 16000);
    EXPECT_GE(audio.DurationSeconds(), 15.0) << item.id;
    EXPECT_NEAR(RmsDbfs(audio.samples), -30.0, 0.1) << item.id;
    EXPECT_LE(Peak(audio.samples), 0.99) << item.id;
  }
  EXPECT_GE(per_split["train"], 1);
  EXPECT_GE(per_split["dev"], 1);
  EXPECT_GE(per_split["eval"], 1);
}

TEST_F(DemoCorpusTest, NisqaCsvHasTheRealHeaderAndQuotedDescriptions) {
  const std::string header =
      "db,con,file,con_description,filename_deg,filename_ref,source,lang,votes,mos,noi,col,dis,loud,"
      "noi_std,col_std,dis_std,loud_std,mos_std,filepath_deg,filepath_ref,filter,timeclipping,wbgn,"
      "p50mnru,bgn,clipping,arb_filter,asl_in,asl_out,codec1,codec2,codec3,plcMode1,plcMode2,plcMode3,"
      "wbgn_snr,bgn_snr,tc_fer,tc_nburst,cl_th,bp_low,bp_high,p50_q,bMode1,bMode2,bMode3,FER1,FER2,FER3,"
      "asl_in_level,asl_out_level\n";
  const std::string text = testing::ReadBytes(Out() + "/NISQA_Corpus/NISQA_TEST_FOR/NISQA_TEST_FOR_file.csv");
  EXPECT_EQ(text.substr(0, header.size()), header);
  EXPECT_NE(text.find(",\"noise Noise.wav, SNR "), std::string::npos);

  const auto rows = ReadCsvFile(Out() + "/NISQA_Corpus/NISQA_corpus_file.csv");
  ASSERT_EQ(static_cast<int>(rows.size()), summary_.nisqa_files + 1);
  EXPECT_EQ(FormatCsvRow(rows[0].fields), header);
}

TEST_F(DemoCorpusTest, NisqaFilesFollowTheirCsvRows) {
  const auto rows = ReadCsvFile(Out() + "/NISQA_Corpus/NISQA_corpus_file.csv");
  std::map<std::string, size_t> column;
  for (size_t i = 0; i < rows[0].fields.size(); ++i) column[rows[0].fields[i]] = i;
  int wideband = 0, coded = 0, lossy = 0;
  for (size_t r = 1; r < rows.size(); ++r) {
    const auto& field = rows[r].fields;
    const std::string db = field[column["db"]];
    const Audio audio = ReadAudio(Out() + "/NISQA_Corpus/" + field[column["filepath_deg"]]);
    EXPECT_EQ(audio.sample_rate, db.find("LIVE") != std::string::npos ? 16000 : 48000) << db;
    wideband += audio.sample_rate == 48000;
    EXPECT_NEAR(RmsDbfs(audio.samples), -26.0, 0.2) << field[column["file"]];
    EXPECT_LE(Peak(audio.samples), 0.99);

    // The documented proxy (NISQA_Corpus/README.txt), from the row's columns.
    const auto value = [&](const char* name) { return field[column[name]]; };
    const auto logistic = [](double x) { return 1.0 / (1.0 + std::exp(-x)); };
    double quality = 1.0;
    if (value("bgn") == "1") quality *= logistic((std::stod(value("bgn_snr")) - 10.0) / 6.0);
    const std::string codec = value("codec1");
    if (!codec.empty()) {
      ++coded;
      quality *= 1.0 - 0.6 * std::exp(-std::stod(value("bMode1")) / 8.0);
      if (codec == "amr_nb" || codec == "g711" || codec == "g726" || codec == "gsm_fr") quality *= 0.8;
    }
    if (!value("FER1").empty()) {
      ++lossy;
      EXPECT_FALSE(codec.empty()) << "packet loss rides on a codec";
      quality *= 1.0 - 1.5 * std::stod(value("FER1"));
    }
    if (!value("bp_high").empty())
      quality *= 0.55 + 0.45 * std::clamp((std::stod(value("bp_high")) - 1000.0) / 6800.0, 0.0, 1.0);
    if (value("p50mnru") == "1") quality *= logistic((std::stod(value("p50_q")) - 10.0) / 6.0);
    if (value("clipping") == "1") quality *= 0.4 + 0.6 * std::sqrt(std::stod(value("cl_th")));
    EXPECT_NEAR(std::stod(value("mos")), 1.0 + 4.0 * quality, 0.0005) << value("file");
    EXPECT_TRUE(value("bgn") == "1" || !codec.empty() || !value("bp_high").empty() || value("p50mnru") == "1" ||
                value("clipping") == "1")
        << value("file") << " is not degraded";
  }
  EXPECT_GT(wideband, static_cast<int>(rows.size()) / 2);  // NISQA is mostly 48 kHz
  // NISQA-style: codecs in many files, some with packet loss.
  EXPECT_GT(coded, static_cast<int>(rows.size()) / 4);
  EXPECT_GT(lossy, 10);
}

TEST_F(DemoCorpusTest, SameSeedGivesTheSameBytes) {
  testing::TempDir other;
  BuildDemoCorpus(other / "corpus");
  const auto first = Snapshot(Out());
  const auto second = Snapshot(other.path() / "corpus");
  ASSERT_EQ(first.size(), second.size());
  for (const auto& [path, bytes] : first) {
    const auto found = second.find(path);
    ASSERT_NE(found, second.end()) << path;
    EXPECT_TRUE(found->second == bytes) << path << " differs";
  }

  DemoCorpusArgs args;
  args.seed = 99;
  BuildDemoCorpus(other / "corpus", args);
  const auto reseeded = Snapshot(other.path() / "corpus");
  EXPECT_EQ(reseeded.at("LibriSpeech/SPEAKERS.TXT"), first.at("LibriSpeech/SPEAKERS.TXT"));
  EXPECT_NE(reseeded.at("NISQA_Corpus/NISQA_corpus_file.csv"),
            first.at("NISQA_Corpus/NISQA_corpus_file.csv"));
}

TEST(DemoCorpusBuildTest, RebuildReplacesTheOldCorpusAndLeavesNothingBehind) {
  testing::TempDir dir;
  const std::string out = dir / "corpus";
  BuildDemoCorpus(out);
  testing::WriteBytes(out + "/LibriSpeech/stale.txt", "from an older build");
  BuildDemoCorpus(out + "/");
  EXPECT_FALSE(fs::exists(out + "/LibriSpeech/stale.txt"));
  EXPECT_TRUE(fs::exists(out + "/NISQA_Corpus/NISQA_corpus_file.csv"));
  EXPECT_EQ(Entries(dir.path()), (std::vector<std::string>{"corpus"}));
  EXPECT_EQ(Entries(out), (std::vector<std::string>{"CHiME3", "LibriSpeech", "NISQA_Corpus"}));
}

TEST(DemoCorpusBuildTest, CreatesMissingParentsAndFillsAnEmptyFolder) {
  testing::TempDir dir;
  BuildDemoCorpus(dir / "a/b/corpus");
  EXPECT_TRUE(fs::is_directory(dir / "a/b/corpus/LibriSpeech"));
  fs::create_directory(dir / "empty");
  BuildDemoCorpus(dir / "empty");
  EXPECT_TRUE(fs::is_directory(dir / "empty/CHiME3"));
}

TEST(DemoCorpusBuildTest, RefusesToReplaceAFolderThatIsNotACorpus) {
  testing::TempDir dir;
  testing::WriteBytes(dir / "thesis.tex", "precious");
  EXPECT_THROW(BuildDemoCorpus(dir.path().string()), Error);
  EXPECT_EQ(testing::ReadBytes(dir / "thesis.tex"), "precious");
}

TEST(DemoCorpusBuildTest, MissingSourcePackageIsAnErrorNamingIt) {
  testing::TempDir dir;
  DemoCorpusArgs args;
  args.pocketsphinx_dir = dir / "no-pocketsphinx";
  try {
    BuildDemoCorpus(dir / "corpus", args);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(args.pocketsphinx_dir), std::string::npos) << e.what();
  }
  args = {};
  args.alsa_dir = dir / "no-alsa";
  EXPECT_THROW(BuildDemoCorpus(dir / "corpus", args), Error);
  EXPECT_FALSE(fs::exists(dir / "corpus"));
}

TEST(DemoCorpusBuildTest, IncompleteSourceLeavesNoPartialCorpus) {
  testing::TempDir dir;
  // A copy of the alsa folder without the voices: loading fails half-way.
  fs::create_directory(dir / "alsa");
  fs::copy_file(testing::AlsaNoise(), dir / "alsa/Noise.wav");
  DemoCorpusArgs args;
  args.alsa_dir = dir / "alsa";
  EXPECT_THROW(BuildDemoCorpus(dir / "corpus", args), Error);
  EXPECT_EQ(Entries(dir.path()), (std::vector<std::string>{"alsa"}));
}

}  // namespace
}  // namespace jsqa
