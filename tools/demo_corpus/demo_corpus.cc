#include "tools/demo_corpus/demo_corpus.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <sstream>
#include <vector>

#include "augment/audio_io.h"
#include "augment/counter_rng.h"
#include "augment/degradations/degradation_chain.h"
#include "pipeline/base/text_files.h"
#include "pipeline/base/error.h"
#include "augment/mix.h"
#include "augment/resampler.h"
#include "augment/segment.h"
#include "pipeline/base/csv.h"
#include "tools/demo_corpus/nisqa_conditions.h"

namespace jsqa {
namespace fs = std::filesystem;
namespace {

constexpr int kSpeechRate = 16000;  // Hz: LibriSpeech, CHiME-3 backgrounds, the pocketsphinx clips
constexpr int kWideRate = 48000;    // Hz: alsa-utils' recordings, most of NISQA
constexpr double kPi = 3.14159265358979323846;

// ---------------------------------------------------------------- sources

struct SpeechClip {
  std::string utterance_id;  // "1001-100-0000"
  std::string transcript;    // uppercase, single spaces
  Audio audio;
};

// Which NISQA datasets draw on a speaker: training, validation and test
// speech never overlap, as in NISQA.
enum class NisqaRole { kTrain, kVal, kTest };

// One LibriSpeech reader with a single chapter. Sex was judged from the
// median pitch of the clips: about 80-130 Hz for the M speakers, about 200 Hz
// for the alsa-utils voice.
struct Speaker {
  std::string reader, chapter, sex, subset, name;
  std::string book_id, chapter_title, project_title;  // CHAPTERS.TXT; "-" when unknown
  NisqaRole nisqa_role;
  std::vector<SpeechClip> clips;

  double Seconds() const {
    double seconds = 0.0;
    for (const SpeechClip& clip : clips) seconds += clip.audio.DurationSeconds();
    return seconds;
  }
};

const char* const kTrainSubset = "train-clean-5";
const char* const kDevSubset = "dev-clean-2";

std::string Upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

void WriteTextFile(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  JSQA_CHECK(out, "cannot write ", path.string());
}

// pocketsphinx's .transcription lines: "<s> ten of clubs  </s> (001)".
// Returns (file id, UPPERCASE TRANSCRIPT) in file order.
std::vector<std::pair<std::string, std::string>> ReadTranscription(const fs::path& path) {
  std::vector<std::pair<std::string, std::string>> entries;
  std::istringstream lines(ReadTextFile(path.string()));
  std::string line;
  while (std::getline(lines, line)) {
    const size_t open = line.rfind('(');
    const size_t close = line.rfind(')');
    if (open == std::string::npos || close == std::string::npos || close < open) continue;
    std::istringstream words(line.substr(0, open));
    std::string word, transcript;
    while (words >> word)
      if (word != "<s>" && word != "</s>") transcript += (transcript.empty() ? "" : " ") + word;
    entries.emplace_back(line.substr(open + 1, close - open - 1), Upper(transcript));
  }
  JSQA_CHECK(!entries.empty(), "no transcripts in ", path.string());
  return entries;
}

// pocketsphinx's .raw clips: headerless 16 kHz, 16-bit little-endian, mono.
Audio ReadRawPcm16(const fs::path& path) {
  const std::string bytes = ReadTextFile(path.string());
  JSQA_CHECK(bytes.size() >= 2, "empty raw audio file ", path.string());
  Audio audio;
  audio.sample_rate = kSpeechRate;
  audio.samples.resize(bytes.size() / 2);
  for (size_t i = 0; i < audio.samples.size(); ++i) {
    const auto low = static_cast<uint8_t>(bytes[2 * i]);
    const auto high = static_cast<uint8_t>(bytes[2 * i + 1]);
    audio.samples[i] = static_cast<int16_t>(low | (high << 8)) / 32768.0f;
  }
  return audio;
}

void AddClip(Speaker& speaker, std::string transcript, Audio audio) {
  char number[8];
  std::snprintf(number, sizeof(number), "%04zu", speaker.clips.size());
  speaker.clips.push_back(
      {speaker.reader + "-" + speaker.chapter + "-" + number, std::move(transcript), std::move(audio)});
}

void AddTranscribedWavs(Speaker& speaker, const fs::path& dir, const std::string& transcription) {
  for (const auto& [file_id, transcript] : ReadTranscription(dir / transcription))
    AddClip(speaker, transcript, ReadAudio((dir / (file_id + ".wav")).string()));
}

std::vector<Speaker> LoadSpeakers(const DemoCorpusArgs& args) {
  const fs::path ps(args.pocketsphinx_dir);
  const fs::path alsa(args.alsa_dir);
  std::vector<Speaker> speakers = {
      {"1001", "100", "M", kTrainSubset, "LibriVox reader of Sense and Sensibility", "161",
       "Chapter 1", "Sense and Sensibility", NisqaRole::kTrain, {}},
      {"1002", "200", "M", kDevSubset, "pocketsphinx cards test speaker", "-", "Cards", "-",
       NisqaRole::kTest, {}},
      {"1003", "300", "F", kTrainSubset, "alsa-utils speaker-test voice", "-", "Channel names", "-",
       NisqaRole::kTrain, {}},
      {"1004", "400", "M", kTrainSubset, "pocketsphinx test clips", "-", "Test clips", "-",
       NisqaRole::kVal, {}},
      {"1005", "500", "M", kDevSubset, "TIDIGITS speaker dhd", "-", "Digits", "-", NisqaRole::kTest, {}},
  };
  AddTranscribedWavs(speakers[0], ps / "librivox", "transcription");
  AddTranscribedWavs(speakers[1], ps / "cards", "cards.transcription");
  // The voice says the channel name that the file is named after.
  for (const char* name : {"Front_Center", "Front_Left", "Front_Right", "Rear_Center", "Rear_Left",
                           "Rear_Right", "Side_Left", "Side_Right"}) {
    std::string words = name;
    std::replace(words.begin(), words.end(), '_', ' ');
    AddClip(speakers[2], Upper(words), ReadAudio((alsa / (std::string(name) + ".wav")).string()));
  }
  // goforward.raw says goforward.gram's sentence. numbers.raw and
  // something.raw ship without a transcript: theirs is the file name, a
  // placeholder (README.TXT says so).
  AddClip(speakers[3], "GO FORWARD TEN METERS", ReadRawPcm16(ps / "goforward.raw"));
  AddClip(speakers[3], "NUMBERS", ReadRawPcm16(ps / "numbers.raw"));
  AddClip(speakers[3], "SOMETHING", ReadRawPcm16(ps / "something.raw"));
  // TIDIGITS names a file after its digit string; "z" is zero.
  AddClip(speakers[4], "TWO NINE THREE FOUR ZERO", ReadRawPcm16(ps / "tidigits" / "dhd.2934z.raw"));
  return speakers;
}

// ---------------------------------------------------------------- signals

constexpr double kMaxPeak = 0.99;  // linear: the loudest sample any written file may hold

// Scales to an RMS of target_dbfs, or lower if the peak would pass
// max_peak (linear): never clips.
std::vector<float> Normalise(std::vector<float> signal, double target_dbfs, double max_peak = kMaxPeak) {
  const double peak = Peak(signal);
  JSQA_CHECK(peak > 0.0, "cannot normalise a silent signal");
  const double gain = std::min(std::pow(10.0, (target_dbfs - RmsDbfs(signal)) / 20.0), max_peak / peak);
  for (float& x : signal) x = static_cast<float>(x * gain);
  return signal;
}

// length samples of noise made of random crops of source (each half to all
// of it), joined by equal-power crossfades of fade samples: longer than the
// source without the audible period of a plain loop.
std::vector<float> TileRandomCrops(const std::vector<float>& source, int64_t length, int64_t fade,
                                   CounterRng& rng) {
  const auto size = static_cast<int64_t>(source.size());
  JSQA_CHECK(size > 2 * fade, "noise source too short to tile");
  std::vector<float> out(static_cast<size_t>(length), 0.0f);
  for (int64_t pos = 0; pos < length;) {
    const int64_t crop = size / 2 + static_cast<int64_t>(rng.UniformInt(static_cast<uint64_t>(size / 2)));
    const int64_t offset = static_cast<int64_t>(rng.UniformInt(static_cast<uint64_t>(size - crop + 1)));
    for (int64_t i = 0; i < crop && pos + i < length; ++i) {
      double weight = 1.0;
      if (pos > 0 && i < fade) weight = std::sin(kPi / 2 * static_cast<double>(i) / fade);
      if (i >= crop - fade) weight *= std::cos(kPi / 2 * static_cast<double>(i - (crop - fade)) / fade);
      out[pos + i] += static_cast<float>(weight * source[offset + i]);
    }
    pos += crop - fade;
  }
  return out;
}

// Removes content above cutoff_rate / 2 Hz by resampling down and back up.
std::vector<float> Bandlimit(const std::vector<float>& signal, int rate, int cutoff_rate) {
  return PadToLength(Resample(Resample(signal, rate, cutoff_rate), cutoff_rate, rate),
                     static_cast<int64_t>(signal.size()));
}

// ---------------------------------------------------------------- LibriSpeech

std::string SpeakersTxt(const std::vector<Speaker>& speakers) {
  std::string text =
      "; Speakers of the demo corpus, in the format of LibriSpeech's SPEAKERS.TXT.\n"
      ";ID    |SEX| SUBSET           |MINUTES| NAME\n";
  char line[256];
  for (const Speaker& s : speakers) {
    std::snprintf(line, sizeof(line), "%-7s| %s | %-17s| %5.2f | %s\n", s.reader.c_str(), s.sex.c_str(),
                  s.subset.c_str(), s.Seconds() / 60.0, s.name.c_str());
    text += line;
  }
  return text;
}

std::string ChaptersTxt(const std::vector<Speaker>& speakers) {
  std::string text =
      "; Chapters of the demo corpus, in the format of LibriSpeech's CHAPTERS.TXT.\n"
      ";ID    |READER|MINUTES| SUBSET           | PROJ.|BOOK ID| CH. TITLE          | PROJECT TITLE\n";
  char line[512];
  for (const Speaker& s : speakers) {
    std::snprintf(line, sizeof(line), "%-7s| %-5s| %5.2f | %-17s| %-5s| %-6s| %-19s| %s\n",
                  s.chapter.c_str(), s.reader.c_str(), s.Seconds() / 60.0, s.subset.c_str(), "-",
                  s.book_id.c_str(), s.chapter_title.c_str(), s.project_title.c_str());
    text += line;
  }
  return text;
}

constexpr const char* kLibriSpeechReadme =
    "Demo corpus in the LibriSpeech layout (openslr 12), made from recordings that\n"
    "Debian packages ship:\n"
    "  1001/100  pocketsphinx-testdata librivox/*.wav: LibriVox, Sense and Sensibility ch. 1\n"
    "  1002/200  pocketsphinx-testdata cards/*.wav\n"
    "  1003/300  alsa-utils /usr/share/sounds/alsa/{Front,Rear,Side}_*.wav, kept at 48 kHz\n"
    "            (real LibriSpeech is 16 kHz; these exercise resampling)\n"
    "  1004/400  pocketsphinx-testdata goforward.raw, numbers.raw, something.raw\n"
    "  1005/500  pocketsphinx-testdata tidigits/dhd.2934z.raw (TIDIGITS)\n"
    "Transcripts: the packages' .transcription files; the channel name each alsa\n"
    "file is named after; goforward.gram's sentence; the TIDIGITS digit string in\n"
    "the file name (z = zero). numbers.raw and something.raw ship without a\n"
    "transcript: theirs (NUMBERS, SOMETHING) is the file name, a placeholder, not\n"
    "what is said.\n";

// Returns the seconds of speech written.
double WriteLibriSpeech(const fs::path& root, const std::vector<Speaker>& speakers) {
  fs::create_directories(root);
  WriteTextFile(root / "SPEAKERS.TXT", SpeakersTxt(speakers));
  WriteTextFile(root / "CHAPTERS.TXT", ChaptersTxt(speakers));
  WriteTextFile(root / "README.TXT", kLibriSpeechReadme);
  double seconds = 0.0;
  for (const Speaker& speaker : speakers) {
    const fs::path dir = root / speaker.subset / speaker.reader / speaker.chapter;
    fs::create_directories(dir);
    std::string trans;
    for (const SpeechClip& clip : speaker.clips) {
      WriteAudio((dir / (clip.utterance_id + ".flac")).string(), clip.audio.samples, clip.audio.sample_rate);
      trans += clip.utterance_id + " " + clip.transcript + "\n";
    }
    WriteTextFile(dir / (speaker.reader + "-" + speaker.chapter + ".trans.txt"), trans);
    seconds += speaker.Seconds();
  }
  return seconds;
}

// ---------------------------------------------------------------- CHiME-3

constexpr double kNoiseSeconds = 20.0;  // per background recording
constexpr double kNoiseDbfs = -30.0;    // RMS level of every background recording
constexpr int kBabbleTalkers = 5;
constexpr int kBusCutoffRate = 4000;  // Hz: BUS noise keeps 0-2 kHz, the rumble of an engine

enum class NoiseKind {
  kBabble,    // the demo's speech clips, overlapping (CAF, PED)
  kNoise,     // alsa-utils' Noise.wav, broadband (STR)
  kLowNoise,  // Noise.wav below 2 kHz (BUS)
};

// Recording names from the public split (FORMATS.md), so that split
// selection finds each of train, dev and eval, and all four environments.
const std::vector<std::pair<std::string, NoiseKind>> kBackgrounds = {
    {"150203_010_CAF", NoiseKind::kBabble}, {"150203_010_STR", NoiseKind::kNoise},     // train
    {"150204_030_CAF", NoiseKind::kBabble}, {"150204_030_BUS", NoiseKind::kLowNoise},  // dev
    {"150211_040_PED", NoiseKind::kBabble}, {"150204_040_BUS", NoiseKind::kLowNoise},  // eval
};

// kBabbleTalkers talkers, each saying random clips (at equal level) one
// after another with 0.1-0.6 s pauses, starting within the first second.
std::vector<float> MakeBabble(const std::vector<std::vector<float>>& clips, int64_t length,
                              CounterRng& rng) {
  std::vector<float> sum(static_cast<size_t>(length), 0.0f);
  for (int talker = 0; talker < kBabbleTalkers; ++talker) {
    int64_t pos = static_cast<int64_t>(rng.UniformInt(kSpeechRate));
    while (pos < length) {
      const std::vector<float>& clip = clips[rng.UniformInt(clips.size())];
      for (size_t i = 0; i < clip.size() && pos + static_cast<int64_t>(i) < length; ++i)
        sum[pos + i] += clip[i];
      pos += static_cast<int64_t>(clip.size()) + static_cast<int64_t>(rng.Uniform(0.1, 0.6) * kSpeechRate);
    }
  }
  return sum;
}

int WriteChime3(const fs::path& dir, const std::vector<Speaker>& speakers,
                const std::vector<float>& noise_16k, uint64_t seed) {
  fs::create_directories(dir);
  std::vector<std::vector<float>> babble_clips;
  for (const Speaker& speaker : speakers)
    for (const SpeechClip& clip : speaker.clips)
      // Equal levels, no peak limit yet: the sum is normalised at the end.
      babble_clips.push_back(Normalise(Resample(clip.audio.samples, clip.audio.sample_rate, kSpeechRate),
                                       kNoiseDbfs, std::numeric_limits<double>::infinity()));
  const std::vector<float> low_noise = Bandlimit(noise_16k, kSpeechRate, kBusCutoffRate);
  const auto length = static_cast<int64_t>(kNoiseSeconds * kSpeechRate);
  const int64_t fade = kSpeechRate / 100;  // 10 ms

  for (const auto& [recording, kind] : kBackgrounds) {
    CounterRng rng(seed, StableHash64("CHiME3/" + recording));
    std::vector<float> noise;
    switch (kind) {
      case NoiseKind::kBabble: noise = MakeBabble(babble_clips, length, rng); break;
      case NoiseKind::kNoise: noise = TileRandomCrops(noise_16k, length, fade, rng); break;
      case NoiseKind::kLowNoise: noise = TileRandomCrops(low_noise, length, fade, rng); break;
    }
    WriteAudio((dir / ("BGD_" + recording + ".CH1.wav")).string(), Normalise(std::move(noise), kNoiseDbfs),
               kSpeechRate);
  }
  return static_cast<int>(kBackgrounds.size());
}

// ---------------------------------------------------------------- NISQA

// The exact header of NISQA's per-dataset _file.csv (FORMATS.md).
const std::vector<std::string> kNisqaColumns = {
    "db", "con", "file", "con_description", "filename_deg", "filename_ref", "source", "lang", "votes",
    "mos", "noi", "col", "dis", "loud", "noi_std", "col_std", "dis_std", "loud_std", "mos_std",
    "filepath_deg", "filepath_ref", "filter", "timeclipping", "wbgn", "p50mnru", "bgn", "clipping",
    "arb_filter", "asl_in", "asl_out", "codec1", "codec2", "codec3", "plcMode1", "plcMode2",
    "plcMode3", "wbgn_snr", "bgn_snr", "tc_fer", "tc_nburst", "cl_th", "bp_low", "bp_high", "p50_q",
    "bMode1", "bMode2", "bMode3", "FER1", "FER2", "FER3", "asl_in_level", "asl_out_level"};

struct NisqaDb {
  std::string name;
  int files;
  int sample_rate;  // Hz: NISQA is mostly 48 kHz; the LIVE sets here are 16 kHz
  NisqaRole role;
};

const std::vector<NisqaDb> kNisqaDbs = {
    {"NISQA_TRAIN_SIM", 16, kWideRate, NisqaRole::kTrain},
    {"NISQA_TRAIN_LIVE", 4, kSpeechRate, NisqaRole::kTrain},
    {"NISQA_VAL_SIM", 6, kWideRate, NisqaRole::kVal},
    {"NISQA_VAL_LIVE", 3, kSpeechRate, NisqaRole::kVal},
    {"NISQA_TEST_FOR", 100, kWideRate, NisqaRole::kTest},
    {"NISQA_TEST_P501", 100, kWideRate, NisqaRole::kTest},
    {"NISQA_TEST_LIVETALK", 100, kSpeechRate, NisqaRole::kTest},
};

// dBFS, RMS over the whole clip: a simple stand-in for the -26 dBov active
// speech level that NISQA recommends for its input.
constexpr double kNisqaDbfs = -26.0;

// Degrades one clip (nisqa_conditions.h) and writes it; returns its CSV row.
// noise_16k: Noise.wav at the degradations' rate.
std::vector<std::string> WriteNisqaFile(const fs::path& root, const NisqaDb& db, int con,
                                        const std::vector<const SpeechClip*>& pool,
                                        const std::vector<float>& noise_16k, uint64_t seed) {
  const std::string name = db.name + "/" + std::to_string(con);
  CounterRng rng(seed, StableHash64(name));
  const SpeechClip& clip = *pool[rng.UniformInt(pool.size())];
  const NisqaCondition condition = DrawNisqaCondition(rng);

  // Degraded at the degradations' rate, then brought to the dataset's.
  const std::vector<float> clean = Resample(clip.audio.samples, clip.audio.sample_rate, kDegradationRate);
  std::vector<float> degraded;
  double realised_snr_db = 0.0;
  if (condition.noise) {
    MixArgs mix;
    mix.snr_db = condition.snr_db;
    mix.target_dbfs = kNisqaDbfs;
    const MixResult mixed = MixAtSnr(
        clean, TileRandomCrops(noise_16k, static_cast<int64_t>(clean.size()), kDegradationRate / 100, rng), mix);
    degraded = mixed.mixture;
    realised_snr_db = mixed.realised_snr_db;
  } else {
    degraded = Normalise(clean, kNisqaDbfs);
  }
  if (!condition.channel.empty())
    degraded = ApplyChain(degraded, condition.channel, seed, StableHash64(name + "/channel")).samples;
  const int64_t length = ResampledLength(static_cast<int64_t>(degraded.size()), kDegradationRate, db.sample_rate);
  degraded = Normalise(PadToLength(Resample(degraded, kDegradationRate, db.sample_rate), length), kNisqaDbfs);

  char stem[96];
  std::snprintf(stem, sizeof(stem), "c%05d_%s", con, clip.utterance_id.c_str());
  const std::string filepath = db.name + "/deg/" + stem + ".wav";
  WriteAudio((root / filepath).string(), degraded, db.sample_rate);

  std::map<std::string, std::string> values = NisqaConditionColumns(condition, realised_snr_db);
  values.insert({{"db", db.name},
                 {"con", std::to_string(con)},
                 {"file", stem},
                 {"con_description", NisqaConditionText(condition, realised_snr_db)},
                 {"filename_deg", std::string(stem) + ".wav"},
                 {"source", clip.utterance_id},
                 {"lang", "en"},
                 {"filepath_deg", filepath}});
  values["mos"] = FormatFixed(NisqaProxyMos(values), 3);
  std::vector<std::string> row;
  for (const std::string& column : kNisqaColumns) row.push_back(values[column]);
  return row;
}

constexpr const char* kNisqaReadme =
    "Demo corpus in the NISQA layout (Mittag et al.), made from the demo's speech.\n"
    "\n"
    "Each file is one speech clip degraded NISQA-style at 16 kHz by the same\n"
    "degradations as jsqa-pipeline's JND pairs: alsa-utils' Noise.wav at an SNR\n"
    "drawn in [-5, 40] dB (7 files in 10), then at most one channel: a codec\n"
    "(AMR-NB, AMR-WB, Opus, G.711, G.722, G.726, GSM-FR; 3 codec files in 10 also\n"
    "lose 2-20 % of their 20 ms frames, concealed by the codec), a band limit,\n"
    "MNRU or clipping. It is then brought to the dataset's rate (48 kHz; the LIVE\n"
    "sets 16 kHz) at -26 dBFS RMS. Training, validation and test sets use\n"
    "different speakers; each test set holds 100 files.\n"
    "\n"
    "The mos column is NOT from listeners. It is a proxy that falls with each\n"
    "degradation, computed from the file's columns:\n"
    "  mos = 1 + 4 * q_noise * q_codec * q_loss * q_band * q_mnru * q_clip\n"
    "  q_noise = 1 / (1 + exp(-(bgn_snr - 10) / 6))\n"
    "  q_codec = (1 - 0.6 * exp(-bMode1 / 8)) * 0.8 [narrowband codec]\n"
    "  q_loss  = 1 - 1.5 * FER1\n"
    "  q_band  = 0.55 + 0.45 * clamp((bp_high - 1000) / 6800, 0, 1)\n"
    "  q_mnru  = 1 / (1 + exp(-(p50_q - 10) / 6))\n"
    "  q_clip  = 0.4 + 0.6 * sqrt(cl_th)\n"
    "each 1 where its column is empty. Use it to exercise the pipeline, never\n"
    "to judge a model.\n"
    "\n"
    "Columns filled besides db, con, file, con_description, filename_deg,\n"
    "filepath_deg, source (the LibriSpeech-layout utterance id) and lang: bgn,\n"
    "bgn_snr (dB, realised), codec1, bMode1 (kbit/s), plcMode1, FER1, filter,\n"
    "bp_low, bp_high (Hz), p50mnru, p50_q (dB), clipping, cl_th (fraction of the\n"
    "peak). The others are empty. There are no ref/ folders.\n";

// noise_16k: Noise.wav at 16 kHz.
int WriteNisqa(const fs::path& root, const std::vector<Speaker>& speakers, const std::vector<float>& noise_16k,
               uint64_t seed) {
  fs::create_directories(root);
  WriteTextFile(root / "README.txt", kNisqaReadme);
  std::vector<std::vector<std::string>> all_rows = {kNisqaColumns};
  for (const NisqaDb& db : kNisqaDbs) {
    std::vector<const SpeechClip*> pool;
    for (const Speaker& speaker : speakers)
      if (speaker.nisqa_role == db.role)
        for (const SpeechClip& clip : speaker.clips) pool.push_back(&clip);
    fs::create_directories(root / db.name / "deg");
    std::vector<std::vector<std::string>> rows = {kNisqaColumns};
    for (int con = 1; con <= db.files; ++con)
      rows.push_back(WriteNisqaFile(root, db, con, pool, noise_16k, seed));
    WriteCsvFile((root / db.name / (db.name + "_file.csv")).string(), rows);
    all_rows.insert(all_rows.end(), rows.begin() + 1, rows.end());
  }
  WriteCsvFile((root / "NISQA_corpus_file.csv").string(), all_rows);
  return static_cast<int>(all_rows.size()) - 1;
}

// ---------------------------------------------------------------- publishing

// The folders a corpus consists of: an existing out_dir holding anything
// else is not ours to replace.
bool IsCorpusOrEmpty(const fs::path& dir) {
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name != "LibriSpeech" && name != "CHiME3" && name != "NISQA_Corpus") return false;
  }
  return true;
}

// Moves the finished staging folder to out. Readers see the old corpus, then
// (for the instant between the two renames) none, then the new one; never a
// half-built one.
void Publish(const fs::path& staging, const fs::path& out, const std::string& suffix) {
  if (!fs::exists(out)) {
    fs::rename(staging, out);
    return;
  }
  const fs::path old = out.parent_path() / ("." + out.filename().string() + ".old-" + suffix);
  fs::remove_all(old);
  fs::rename(out, old);
  fs::rename(staging, out);
  fs::remove_all(old);
}

}  // namespace

DemoCorpusSummary BuildDemoCorpus(const std::string& out_dir, const DemoCorpusArgs& args) {
  JSQA_CHECK(fs::is_directory(args.pocketsphinx_dir), "pocketsphinx-testdata folder not found: ",
             args.pocketsphinx_dir, " (Debian package pocketsphinx-testdata)");
  JSQA_CHECK(fs::is_directory(args.alsa_dir), "alsa-utils sound folder not found: ", args.alsa_dir,
             " (Debian package alsa-utils)");
  fs::path out = fs::absolute(out_dir).lexically_normal();
  if (!out.has_filename()) out = out.parent_path();  // "corpus/" names "corpus"
  JSQA_CHECK(!fs::exists(out) || (fs::is_directory(out) && IsCorpusOrEmpty(out)), out.string(),
             " exists and is not a demo corpus; refusing to replace it");
  fs::create_directories(out.parent_path());

  const std::string suffix = std::to_string(::getpid());
  const fs::path staging = out.parent_path() / ("." + out.filename().string() + ".building-" + suffix);
  fs::remove_all(staging);
  DemoCorpusSummary summary;
  try {
    const std::vector<Speaker> speakers = LoadSpeakers(args);
    const Audio noise = ReadAudio((fs::path(args.alsa_dir) / "Noise.wav").string());
    const std::vector<float> noise_16k = Resample(noise.samples, noise.sample_rate, kSpeechRate);

    for (const Speaker& speaker : speakers) summary.speech_files += static_cast<int>(speaker.clips.size());
    summary.speech_seconds = WriteLibriSpeech(staging / "LibriSpeech", speakers);
    summary.noise_files = WriteChime3(staging / "CHiME3/data/audio/16kHz/backgrounds", speakers,
                                      noise_16k, args.seed);
    summary.nisqa_files = WriteNisqa(staging / "NISQA_Corpus", speakers, noise_16k, args.seed);
    Publish(staging, out, suffix);
  } catch (...) {
    std::error_code ignored;
    fs::remove_all(staging, ignored);
    throw;
  }
  return summary;
}

}  // namespace jsqa
