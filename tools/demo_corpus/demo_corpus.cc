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
#include "pipeline/base/text_files.h"
#include "pipeline/base/error.h"
#include "augment/mix.h"
#include "augment/resampler.h"
#include "augment/segment.h"
#include "pipeline/base/csv.h"

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
    {"NISQA_TEST_FOR", 6, kWideRate, NisqaRole::kTest},
    {"NISQA_TEST_P501", 3, kWideRate, NisqaRole::kTest},
    {"NISQA_TEST_LIVETALK", 3, kSpeechRate, NisqaRole::kTest},
};

// dBFS, RMS over the whole clip: a simple stand-in for the -26 dBov active
// speech level that NISQA recommends for its input.
constexpr double kNisqaDbfs = -26.0;
constexpr double kMinSnrDb = -5.0, kMaxSnrDb = 40.0;
constexpr double kBandlimitProbability = 0.3;
constexpr int kNarrowbandRate = 8000;  // Hz: narrowband telephony, 4 kHz bandwidth
constexpr double kClipProbability = 0.25;
constexpr double kMinClip = 0.1, kMaxClip = 0.5;  // clip threshold, fraction of the peak
constexpr double kBandlimitPenalty = 0.7;         // MOS points
constexpr double kClipPenalty = 1.0;              // MOS points

// A stand-in for listener ratings, monotone in the degradation:
//   mos = 1 + 4 / (1 + exp(-(snr_db - 10) / 6)) - 0.7 [narrowband] - 1.0 [clipped]
// clamped to [1, 5]. The logistic puts 10 dB SNR at MOS 3, -5 dB at 1.3 and
// 30 dB at 4.9.
double ProxyMos(double snr_db, bool narrowband, bool clipped) {
  double mos = 1.0 + 4.0 / (1.0 + std::exp(-(snr_db - 10.0) / 6.0));
  if (narrowband) mos -= kBandlimitPenalty;
  if (clipped) mos -= kClipPenalty;
  return std::clamp(mos, 1.0, 5.0);
}

std::string Format(const char* format, double value) {
  char text[32];
  std::snprintf(text, sizeof(text), format, value);
  return text;
}

// Degrades one clip and writes it; returns its CSV row.
std::vector<std::string> WriteNisqaFile(const fs::path& root, const NisqaDb& db, int con,
                                        const std::vector<const SpeechClip*>& pool,
                                        const std::vector<float>& noise, uint64_t seed) {
  CounterRng rng(seed, StableHash64(db.name + "/" + std::to_string(con)));
  const SpeechClip& clip = *pool[rng.UniformInt(pool.size())];
  const double snr_db = rng.Uniform(kMinSnrDb, kMaxSnrDb);
  const bool narrowband = rng.NextUnit() < kBandlimitProbability;
  const bool clipped = rng.NextUnit() < kClipProbability;
  const double clip_fraction = rng.Uniform(kMinClip, kMaxClip);

  std::vector<float> clean = Resample(clip.audio.samples, clip.audio.sample_rate, db.sample_rate);
  if (narrowband) clean = Bandlimit(clean, db.sample_rate, kNarrowbandRate);
  MixArgs mix;
  mix.snr_db = snr_db;
  mix.target_dbfs = kNisqaDbfs;
  const MixResult mixed = MixAtSnr(
      clean, TileRandomCrops(noise, static_cast<int64_t>(clean.size()), db.sample_rate / 100, rng), mix);
  std::vector<float> degraded = mixed.mixture;
  if (clipped) {
    const auto threshold = static_cast<float>(clip_fraction * Peak(degraded));
    for (float& x : degraded) x = std::clamp(x, -threshold, threshold);
    degraded = Normalise(std::move(degraded), kNisqaDbfs);
  }

  char stem[96];
  std::snprintf(stem, sizeof(stem), "c%05d_%s", con, clip.utterance_id.c_str());
  const std::string filepath = db.name + "/deg/" + stem + ".wav";
  WriteAudio((root / filepath).string(), degraded, db.sample_rate);

  std::string description = "noise Noise.wav, SNR " + Format("%.1f", mixed.realised_snr_db) + " dB";
  if (narrowband) description += ", narrowband 4 kHz";
  if (clipped) description += ", clipped at " + Format("%.0f", clip_fraction * 100) + "% of peak";
  std::map<std::string, std::string> values = {
      {"db", db.name},
      {"con", std::to_string(con)},
      {"file", stem},
      {"con_description", description},
      {"filename_deg", std::string(stem) + ".wav"},
      {"source", clip.utterance_id},
      {"lang", "en"},
      {"mos", Format("%.3f", ProxyMos(mixed.realised_snr_db, narrowband, clipped))},
      {"filepath_deg", filepath},
      {"bgn", "1"},
      {"bgn_snr", Format("%.2f", mixed.realised_snr_db)},
      {"clipping", clipped ? "1" : "0"},
      {"cl_th", clipped ? Format("%.3f", clip_fraction) : ""},
      {"bp_high", narrowband ? "4000" : ""},
  };
  std::vector<std::string> row;
  for (const std::string& column : kNisqaColumns) row.push_back(values[column]);
  return row;
}

constexpr const char* kNisqaReadme =
    "Demo corpus in the NISQA layout (Mittag et al.), made from the demo's speech.\n"
    "\n"
    "Each file is one speech clip, resampled to the dataset's rate (48 kHz; the\n"
    "LIVE sets 16 kHz), optionally band-limited to 4 kHz (narrowband), mixed with\n"
    "alsa-utils' Noise.wav at an SNR drawn uniformly in [-5, 40] dB, optionally\n"
    "hard-clipped at 10-50 % of its peak, and set to -26 dBFS RMS. Training,\n"
    "validation and test sets use different speakers.\n"
    "\n"
    "The mos column is NOT from listeners. It is a proxy that falls with the\n"
    "degradation:\n"
    "  mos = 1 + 4 / (1 + exp(-(snr - 10) / 6)) - 0.7 [narrowband] - 1.0 [clipped]\n"
    "clamped to [1, 5]; snr is the realised SNR in dB. Use it to exercise the\n"
    "pipeline, never to judge a model.\n"
    "\n"
    "Columns filled besides db, con, file, filename_deg, filepath_deg, source\n"
    "(the LibriSpeech-layout utterance id) and lang: bgn (1: background noise),\n"
    "bgn_snr (dB), clipping (0|1), cl_th (clip threshold, fraction of the peak),\n"
    "bp_high (Hz, 4000 for narrowband files). The others are empty. There are no\n"
    "ref/ folders.\n";

// noise: Noise.wav at each rate the datasets use (Hz).
int WriteNisqa(const fs::path& root, const std::vector<Speaker>& speakers,
               const std::map<int, std::vector<float>>& noise, uint64_t seed) {
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
      rows.push_back(WriteNisqaFile(root, db, con, pool, noise.at(db.sample_rate), seed));
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
    const std::map<int, std::vector<float>> noise_at = {
        {kWideRate, Resample(noise.samples, noise.sample_rate, kWideRate)},
        {kSpeechRate, Resample(noise.samples, noise.sample_rate, kSpeechRate)}};

    for (const Speaker& speaker : speakers) summary.speech_files += static_cast<int>(speaker.clips.size());
    summary.speech_seconds = WriteLibriSpeech(staging / "LibriSpeech", speakers);
    summary.noise_files = WriteChime3(staging / "CHiME3/data/audio/16kHz/backgrounds", speakers,
                                      noise_at.at(kSpeechRate), args.seed);
    summary.nisqa_files = WriteNisqa(staging / "NISQA_Corpus", speakers, noise_at, args.seed);
    Publish(staging, out, suffix);
  } catch (...) {
    std::error_code ignored;
    fs::remove_all(staging, ignored);
    throw;
  }
  return summary;
}

}  // namespace jsqa
