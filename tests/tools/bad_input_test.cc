// The bad-input matrix end to end through the jsqa-pipeline executable, as a
// user meets it. Every case states its expected outcome, one of three kinds:
//   - usage/config errors: exit 2 and ONE line on stderr naming the key;
//   - bad data: the item is skipped with its reason code (prepare's skipped.tsv,
//     or synth's totals.skipped_by_reason / noise_skipped_by_reason), the run
//     completes with exit 0, and the good items still make their pairs;
//   - a damaged shard: a one-line error naming the file (inspect, pretrain:
//     exit 1), and a rerun of synth redoes it.
// Fixtures are real Debian recordings (pocketsphinx LibriVox clips, alsa-utils
// voices and Noise.wav), rewritten in the variants each case needs.
#include <gtest/gtest.h>
#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "augment/audio_io.h"
#include "augment/resampler.h"
#include "pipeline/shards/shard_io.h"
#include "pipeline/base/text_files.h"
#include "tests/test_support.h"

namespace jsqa {
namespace {
namespace fs = std::filesystem;
using testing::JsqaExecutable;
using testing::ReadBytes;
using testing::RunCommand;
using testing::WriteBytes;

struct Outcome {
  int code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
  size_t ErrLines() const { return static_cast<size_t>(std::count(err.begin(), err.end(), '\n')); }
};

// Runs `jsqa-pipeline args` with stdout and stderr kept apart.
Outcome Jsqa(const testing::TempDir& dir, const std::string& args) {
  static int calls = 0;
  const std::string out = dir / ("stdout." + std::to_string(calls));
  const std::string err = dir / ("stderr." + std::to_string(calls++));
  Outcome outcome;
  outcome.code = RunCommand("( " + JsqaExecutable() + " " + args + " > " + out + " 2> " + err + " )");
  outcome.out = ReadBytes(out);
  outcome.err = ReadBytes(err);
  return outcome;
}

std::string Describe(const Outcome& o) {
  return "exit " + std::to_string(o.code) + "\n--- stdout\n" + o.out + "--- stderr\n" + o.err;
}

// Writes interleaved frames through libsndfile (any channel count and
// encoding, NaN and Inf included: the library's own writer refuses those).
void WriteFrames(const std::string& path, const std::vector<float>& interleaved, int rate, int channels,
                 int format) {
  SF_INFO info{};
  info.samplerate = rate;
  info.channels = channels;
  info.format = format;
  SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
  ASSERT_NE(file, nullptr) << path << ": " << sf_strerror(nullptr);
  const auto frames = static_cast<sf_count_t>(interleaved.size() / channels);
  EXPECT_EQ(sf_writef_float(file, interleaved.data(), frames), frames);
  sf_close(file);
}

std::vector<float> Scaled(std::vector<float> samples, float gain) {
  for (float& x : samples) x = std::clamp(x * gain, -1.0f, 1.0f);
  return samples;
}

// Segments synth makes of a file at 16 kHz with 1 s segments, as its plan
// does: whole seconds, a tail of >= 0.5 s, and one (padded) for shorter files.
int64_t ExpectedSegments(const std::string& path) {
  const AudioInfo info = ProbeAudio(path);
  const int64_t length = ResampledLength(info.frames, info.sample_rate, 16000);
  const int64_t whole = length / 16000;
  if (whole == 0) return 1;
  return whole + (length % 16000 >= 8000 ? 1 : 0);
}

// Segments synth plans for each item of prepare's speech.tsv (id path
// sample_rate frames ...), from the frames the header gave.
std::map<std::string, int64_t> PlannedSegments(const std::string& tsv) {
  std::istringstream in(ReadBytes(tsv));
  std::map<std::string, int64_t> segments;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string id, path, rate, frames;
    std::getline(fields, id, '\t');
    std::getline(fields, path, '\t');
    std::getline(fields, rate, '\t');
    std::getline(fields, frames, '\t');
    const int64_t length = ResampledLength(std::stoll(frames), std::stoi(rate), 16000);
    segments[id] = length < 16000 ? 1 : length / 16000 + (length % 16000 >= 8000 ? 1 : 0);
  }
  return segments;
}

// Item manifest TSV → the ids in it (first column, header skipped).
std::vector<std::string> ManifestIds(const std::string& tsv) {
  std::istringstream in(ReadBytes(tsv));
  std::vector<std::string> ids;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line))
    if (!line.empty()) ids.push_back(line.substr(0, line.find('\t')));
  return ids;
}

// skipped.tsv → where → "code<TAB>reason".
std::map<std::string, std::string> Skipped(const std::string& tsv) {
  std::istringstream in(ReadBytes(tsv));
  std::map<std::string, std::string> skipped;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    const size_t tab = line.find('\t');
    if (tab != std::string::npos) skipped[line.substr(0, tab)] = line.substr(tab + 1);
  }
  return skipped;
}

// Pairs per utterance id over every shard of a synth folder.
std::map<std::string, int64_t> PairsByUtterance(const std::string& dir) {
  std::map<std::string, int64_t> pairs;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".h5") continue;
    const ShardReader reader(entry.path().string());
    for (int64_t i = 0; i < reader.pairs(); ++i) ++pairs[reader.Read(i).utterance_id];
  }
  return pairs;
}

// The largest |sample| of the mixtures of utterance id's pairs.
float MixturePeak(const std::string& dir, const std::string& id) {
  float peak = 0.0f;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".h5") continue;
    const ShardReader reader(entry.path().string());
    for (int64_t i = 0; i < reader.pairs(); ++i) {
      const JndPair pair = reader.Read(i);
      if (pair.utterance_id != id) continue;
      for (const float x : pair.a) peak = std::max(peak, std::abs(x));
      for (const float x : pair.b) peak = std::max(peak, std::abs(x));
    }
  }
  return peak;
}

int64_t Count(const nlohmann::json& counts, const std::string& key) {
  return counts.contains(key) ? counts.at(key).get<int64_t>() : 0;
}

// ---------------------------------------------------------------------------
// Audio: a speech folder and a noise folder holding every kind of file.

class BadInputAudioTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* sub : {"speech/good", "speech/rate", "speech/channels", "speech/format", "speech/clipped",
                            "speech/long", "speech/short", "speech/bad", "noise/NOI", "noise/SPK", "noise/BAD"})
      fs::create_directories(dir_.path() / sub);
    const Audio clip = ReadAudio(testing::LibrivoxClips()[1]);   // 2.99 s at 16 kHz
    const Audio longer = ReadAudio(testing::LibrivoxClips()[0]);  // 7.1 s at 16 kHz
    const std::string s = dir_ / "speech/";

    // Good files: each must make one pair per segment.
    fs::copy_file(testing::LibrivoxClips()[2], s + "good/librivox.wav");  // 16 kHz PCM_16, the reference
    for (const int rate : {8000, 22050, 44100, 48000})                     // resampled to 16 kHz
      WriteAudio(s + "rate/" + std::to_string(rate) + ".wav", Resample(clip.samples, 16000, rate), rate);
    fs::copy_file(testing::AlsaVoiceClips()[0], s + "rate/alsa48k.wav");  // real 48 kHz recording
    {
      std::vector<float> stereo, six;
      for (const float x : clip.samples) {
        stereo.insert(stereo.end(), {x, 0.5f * x});
        for (int channel = 0; channel < 6; ++channel) six.push_back(x * (channel + 1) / 6.0f);
      }
      WriteFrames(s + "channels/stereo.wav", stereo, 16000, 2, SF_FORMAT_WAV | SF_FORMAT_PCM_16);  // downmixed
      WriteFrames(s + "channels/six.flac", six, 16000, 6, SF_FORMAT_FLAC | SF_FORMAT_PCM_24);     // downmixed
    }
    WriteFrames(s + "format/u8.wav", clip.samples, 16000, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_U8);
    WriteFrames(s + "format/s24.wav", clip.samples, 16000, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_24);
    WriteFrames(s + "format/float.wav", clip.samples, 16000, 1, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    // Clipped speech (x8, flat-topped at full scale) is used as it is: the
    // level rule scales each mixture to -25 dBFS; nothing is clipped further.
    WriteAudio(s + "clipped/clipped.wav", Scaled(clip.samples, 8.0f), 16000);
    // Shorter than one 1 s segment: padded (synth.short_policy = pad, the
    // default) or skipped and counted (short_policy = skip).
    WriteAudio(s + "short/short.wav", std::vector<float>(clip.samples.begin() + 16000, clip.samples.begin() + 24000),
               16000);
    WriteLongFile(s + "long/hour.wav", longer.samples);

    // Bad files.
    {
      WriteAudio(dir_ / "full.flac", clip.samples, 16000);
      const std::string flac = ReadBytes(dir_ / "full.flac");
      WriteBytes(s + "bad/cut_flac.flac", flac.substr(0, flac.size() * 6 / 10));
      const std::string wav = ReadBytes(testing::LibrivoxClips()[1]);
      WriteBytes(s + "bad/cut_wav.wav", wav.substr(0, wav.size() / 2));
      // The real 44-byte header (its data chunk promises 47840 frames), nothing after.
      WriteBytes(s + "bad/header_only.wav", wav.substr(0, 44));
    }
    WriteBytes(s + "bad/zero_length.wav", "");
    WriteFrames(s + "bad/no_frames.wav", {}, 16000, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_16);  // honest empty header
    WriteBytes(s + "bad/not_audio.flac", "utterance,speaker\n19-198-0001,19\n");
    for (const auto& [name, value] : {std::pair<std::string, float>{"nan", std::numeric_limits<float>::quiet_NaN()},
                                      {"inf", std::numeric_limits<float>::infinity()}}) {
      std::vector<float> samples = clip.samples;
      samples[20000] = value;
      WriteFrames(s + "bad/" + name + ".wav", samples, 16000, 1, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    }
    WriteAudio(s + "bad/all_zero.wav", std::vector<float>(32000, 0.0f), 16000);

    // Noise: two good recordings (48 kHz Noise.wav, 16 kHz speech as babble),
    // and three bad ones that must be left out.
    fs::copy_file(testing::AlsaNoise(), dir_ / "noise/NOI/Noise.wav");
    fs::copy_file(testing::LibrivoxClips()[4], dir_ / "noise/SPK/babble.wav");
    const std::string noise = ReadBytes(testing::AlsaNoise());
    WriteBytes(dir_ / "noise/BAD/truncated.wav", noise.substr(0, noise.size() / 3));
    WriteBytes(dir_ / "noise/BAD/zero_length.wav", "");
    WriteAudio(dir_ / "noise/BAD/silent.wav", std::vector<float>(48000, 0.0f), 16000);

    WriteBytes(dir_ / "audio.ini",
               "[corpus]\n"
               "speech_folder = " + (dir_ / "speech") + "\n"
               "noise_folder = " + (dir_ / "noise") + "\n"
               "[prepare]\nthreads = 2\n"
               "[jnd]\nsvm_model = " + testing::SourceDir() + "/configs/jnd-svm.model\n"
               "[synth]\nsegment_seconds = 1\npairs_per_shard = 100000\nthreads = 2\n"
               "[graph]\nprepare =\nsynth = prepare\n");
  }

  // One hour at 16 kHz, 16-bit (115 MB): speech in its first and last 10 s,
  // digital silence between, written in 1 s blocks so the test never holds it.
  // 3600 segments: 20 pairs and 3580 "silent" skips, which are cheap
  // (no mixing), so the whole hour is decoded, segmented and read to its end
  // in about a second.
  static void WriteLongFile(const std::string& path, const std::vector<float>& speech) {
    SF_INFO info{};
    info.samplerate = 16000;
    info.channels = 1;
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
    ASSERT_NE(file, nullptr) << sf_strerror(nullptr);
    std::vector<float> ten_seconds(160000);
    for (size_t i = 0; i < ten_seconds.size(); ++i) ten_seconds[i] = speech[i % speech.size()];
    const std::vector<float> silence(16000, 0.0f);
    sf_writef_float(file, ten_seconds.data(), 160000);
    for (int second = 10; second < 3590; ++second) sf_writef_float(file, silence.data(), 16000);
    sf_writef_float(file, ten_seconds.data(), 160000);
    sf_close(file);
  }

  std::string Speech(const std::string& name) const { return dir_ / ("speech/" + name); }

  testing::TempDir dir_;
};

TEST_F(BadInputAudioTest, GoodFilesMakePairsBadOnesAreSkippedAndCounted) {
  // prepare (header check, the default) + synth, through `run`: exit 0.
  const Outcome run = Jsqa(dir_, "run " + (dir_ / "audio.ini") + " --run-dir " + (dir_ / "run") + " --log-level warn");
  ASSERT_EQ(run.code, 0) << Describe(run);

  // prepare: files whose header cannot be read are skipped with a code and
  // a reason in skipped.tsv ("speech: PATH<TAB>code<TAB>reason").
  const auto skipped = Skipped(dir_ / "run/prepare/skipped.tsv");
  const auto reason = [&](const std::string& kind, const std::string& path) {
    const auto it = skipped.find(kind + ": " + path);
    return it == skipped.end() ? std::string("<not skipped by prepare>") : it->second;
  };
  const auto code = [&](const std::string& kind, const std::string& path) {
    const std::string text = reason(kind, path);
    return text.substr(0, text.find('\t'));
  };
  EXPECT_EQ(code("speech", Speech("bad/zero_length.wav")), "unreadable");
  EXPECT_EQ(code("speech", Speech("bad/not_audio.flac")), "unreadable");
  EXPECT_EQ(code("speech", Speech("bad/no_frames.wav")), "empty");
  EXPECT_EQ(code("speech", Speech("bad/header_only.wav")), "empty");
  EXPECT_EQ(code("noise", dir_ / "noise/BAD/zero_length.wav"), "unreadable");
  EXPECT_NE(reason("speech", Speech("bad/zero_length.wav")).find("cannot open"), std::string::npos);  // zero-length
  EXPECT_NE(reason("speech", Speech("bad/not_audio.flac")).find("cannot open"), std::string::npos);   // not audio
  EXPECT_NE(reason("speech", Speech("bad/no_frames.wav")).find("empty"), std::string::npos);  // header, 0 frames
  // A real header cut off before its samples: libsndfile sees no frames.
  EXPECT_NE(reason("speech", Speech("bad/header_only.wav")).find("empty"), std::string::npos);
  EXPECT_NE(reason("noise", dir_ / "noise/BAD/zero_length.wav").find("cannot open"), std::string::npos);
  EXPECT_EQ(skipped.size(), 5u) << ReadBytes(dir_ / "run/prepare/skipped.tsv");

  // synth: files whose header is fine but whose samples are not are skipped
  // per segment and counted by reason code in summary.json.
  const nlohmann::json summary = ReadJsonFile(dir_ / "run/synth/summary.json");
  const nlohmann::json& totals = summary.at("totals");
  const nlohmann::json& by_reason = totals.at("skipped_by_reason");
  // Segments are planned from the frames prepare's header check found.
  const auto planned = PlannedSegments(dir_ / "run/prepare/speech.tsv");
  // Truncated FLAC and WAV: every planned segment of each.
  EXPECT_EQ(Count(by_reason, "truncated"), planned.at("bad/cut_flac") + planned.at("bad/cut_wav")) << by_reason.dump();
  // NaN and Inf samples in a float WAV: the whole file (3 segments each).
  EXPECT_EQ(Count(by_reason, "non_finite"), 3 + 3) << by_reason.dump();
  // All-zero speech (2 segments) and the long file's 3580 silent seconds.
  EXPECT_EQ(Count(by_reason, "silent"), 2 + 3580) << by_reason.dump();
  EXPECT_EQ(by_reason.size(), 3u) << by_reason.dump();
  // Noise: the truncated and the silent recording are left out and counted.
  const nlohmann::json& noise_skipped = summary.at("noise_skipped_by_reason");
  EXPECT_EQ(Count(noise_skipped, "truncated"), 1) << noise_skipped.dump();
  EXPECT_EQ(Count(noise_skipped, "silent"), 1) << noise_skipped.dump();
  // The synth folder accounts for the items of prepare's manifests (the
  // files prepare's index passed over are counted in prepare's folder, which
  // summary.json names): every speech file used, two noise recordings left
  // out, listed in its own skipped.tsv.
  const nlohmann::json& sources = summary.at("sources");
  EXPECT_EQ(sources.at("indexed_by"), "prepare");
  EXPECT_EQ(sources.at("speech").at("input_files").get<size_t>(), ManifestIds(dir_ / "run/prepare/speech.tsv").size());
  EXPECT_EQ(sources.at("speech").at("skipped").get<int64_t>(), 0) << sources.dump();
  EXPECT_EQ(sources.at("noise").at("input_files").get<size_t>(), ManifestIds(dir_ / "run/prepare/noise.tsv").size());
  EXPECT_EQ(sources.at("noise").at("used").get<int64_t>(), 2) << sources.dump();
  EXPECT_EQ(sources.at("noise").at("skipped_by_reason"), noise_skipped) << sources.dump();
  EXPECT_EQ(ReadJsonFile(dir_ / "run/synth/manifest.json").at("sources"), sources);
  EXPECT_EQ(Skipped(dir_ / "run/synth/skipped.tsv").size(), 2u) << ReadBytes(dir_ / "run/synth/skipped.tsv");
  EXPECT_EQ(summary.at("inputs").at("prepare").get<std::string>(),
            fs::canonical(dir_ / "run/prepare").filename().string().substr(8));
  // Every segment is accounted for.
  int64_t lost = 0;
  for (const auto& [key, count] : by_reason.items()) lost += count.get<int64_t>();
  EXPECT_EQ(totals.at("segments").get<int64_t>(), totals.at("pairs").get<int64_t>() +
                                                       totals.at("dropped_after_max_draws").get<int64_t>() + lost);

  // Every good file made one pair per segment: every rate (8, 22.05, 44.1,
  // 48 kHz), stereo and 6 channels (downmixed), 8-bit, 24-bit and float,
  // clipped speech (used), the 0.5 s file (padded to one segment), and the
  // hour-long file (its 20 seconds of speech).
  const auto pairs = PairsByUtterance(dir_ / "run/synth");
  for (const char* name : {"good/librivox.wav", "rate/8000.wav", "rate/22050.wav", "rate/44100.wav",
                           "rate/48000.wav", "rate/alsa48k.wav", "channels/stereo.wav", "channels/six.flac",
                           "format/u8.wav", "format/s24.wav", "format/float.wav", "clipped/clipped.wav",
                           "short/short.wav"}) {
    const std::string id = fs::path(name).replace_extension("").string();
    EXPECT_EQ(pairs.count(id) ? pairs.at(id) : 0, ExpectedSegments(Speech(name))) << name;
  }
  // Clipped speech in, no clipping out: both mixtures stay under the 0.99
  // peak of the level rule (one int16 step of rounding).
  EXPECT_LE(MixturePeak(dir_ / "run/synth", "clipped/clipped"), 0.99f + 1.0f / 32767);
  EXPECT_EQ(pairs.count("long/hour") ? pairs.at("long/hour") : 0, 20);
  EXPECT_EQ(ExpectedSegments(Speech("long/hour.wav")), 3600);
  for (const auto& [id, count] : pairs) EXPECT_NE(id.rfind("bad/", 0), 0u) << id << " made pairs";
  EXPECT_EQ(totals.at("dropped_after_max_draws").get<int64_t>(), 0);

  // synth.short_policy = skip, through the synth command on prepare's
  // manifests: the 0.5 s file makes no pair and is counted.
  const Outcome skip = Jsqa(dir_, "synth " + (dir_ / "audio.ini") + " --manifests " + (dir_ / "run/prepare") +
                                      " --set synth.short_policy=skip --out " + (dir_ / "skip") + " --log-level warn");
  ASSERT_EQ(skip.code, 0) << Describe(skip);
  const nlohmann::json manifest = ReadJsonFile(dir_ / "skip/manifest.json");
  EXPECT_EQ(Count(manifest.at("totals").at("skipped_by_reason"), "too_short"), 1)
      << manifest.at("totals").dump();
  EXPECT_EQ(PairsByUtterance(dir_ / "skip").count("short/short"), 0u);
  EXPECT_EQ(manifest.at("pairs").get<int64_t>(), totals.at("pairs").get<int64_t>() - 1);

  // prepare.check = decode catches truncation and NaN/Inf at prepare instead:
  // they are in skipped.tsv and synth never sees them.
  const Outcome decode = Jsqa(dir_, "run " + (dir_ / "audio.ini") + " --run-dir " + (dir_ / "run") +
                                        " --set prepare.check=decode --log-level warn");
  ASSERT_EQ(decode.code, 0) << Describe(decode);
  const auto decoded = Skipped(dir_ / "run/prepare/skipped.tsv");
  for (const char* name : {"bad/cut_flac.flac", "bad/cut_wav.wav", "bad/header_only.wav", "bad/nan.wav",
                           "bad/inf.wav"})
    EXPECT_EQ(decoded.count("speech: " + Speech(name)), 1u) << name;
  EXPECT_EQ(decoded.at("speech: " + Speech("bad/cut_wav.wav")).substr(0, 10), "truncated\t");
  EXPECT_EQ(decoded.at("speech: " + Speech("bad/nan.wav")).substr(0, 11), "non_finite\t");
  const nlohmann::json decoded_summary = ReadJsonFile(dir_ / "run/synth/summary.json");
  EXPECT_EQ(decoded_summary.at("totals").at("skipped_by_reason").size(), 1u)  // only "silent" left
      << decoded_summary.dump();
  EXPECT_EQ(decoded_summary.at("totals").at("pairs"), totals.at("pairs"));
}

// Two files whose names differ only in extension share an item id: prepare
// keeps the first by path and skips the other (duplicate_id) instead of
// failing; so is a file a second source (a list) names again.
TEST(BadInputDuplicateTest, SameNameOtherExtensionIsSkippedAndPrepareGoesOn) {
  testing::TempDir dir;
  fs::create_directories(dir.path() / "speech/spk");
  fs::copy_file(testing::LibrivoxClips()[1], dir / "speech/spk/x.wav");
  WriteAudio(dir / "speech/spk/x.flac", ReadAudio(testing::LibrivoxClips()[1]).samples, 16000);
  fs::copy_file(testing::LibrivoxClips()[2], dir / "speech/spk/y.wav");
  WriteBytes(dir / "speech/list.txt", "spk/y.wav\n");
  WriteBytes(dir / "prepare.ini", "[corpus]\nspeech_folder = " + (dir / "speech") + "\nspeech_list = " +
                                      (dir / "speech/list.txt") + "\n[graph]\nprepare =\n");
  const Outcome run = Jsqa(dir, "run " + (dir / "prepare.ini") + " --run-dir " + (dir / "run") + " --log-level error");
  ASSERT_EQ(run.code, 0) << Describe(run);
  EXPECT_EQ(ManifestIds(dir / "run/prepare/speech.tsv"), (std::vector<std::string>{"spk/x", "spk/y"}));
  const auto skipped = Skipped(dir / "run/prepare/skipped.tsv");
  ASSERT_EQ(skipped.size(), 2u) << ReadBytes(dir / "run/prepare/skipped.tsv");
  const std::string wav = skipped.count("speech: " + (dir / "speech/spk/x.wav"))
                              ? skipped.at("speech: " + (dir / "speech/spk/x.wav"))
                              : "<not skipped>";
  EXPECT_EQ(wav.substr(0, 13), "duplicate_id\t") << wav;
  EXPECT_NE(wav.find(dir / "speech/spk/x.flac"), std::string::npos) << wav;  // names the one kept
  const std::string listed = skipped.count("speech: " + (dir / "speech/spk/y.wav"))
                                 ? skipped.at("speech: " + (dir / "speech/spk/y.wav"))
                                 : "<not skipped>";
  EXPECT_EQ(listed.substr(0, 13), "duplicate_id\t") << listed;
}

// ---------------------------------------------------------------------------
// Standalone synth (as a SLURM array job runs it): it indexes [corpus] itself,
// and its folder accounts for every input file, as prepare's does under `run`.

// Every file under dir (recursively).
int64_t FilesUnder(const std::string& dir) {
  int64_t count = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) count += entry.is_regular_file();
  return count;
}

// Every file of a folder, name → bytes.
std::map<std::string, std::string> FolderFiles(const std::string& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::directory_iterator(dir))
    files[entry.path().filename().string()] = ReadBytes(entry.path().string());
  return files;
}

TEST(BadInputStandaloneSynthTest, EveryInputFileIsUsedOrSkippedInTheFolderAndAnArrayWritesTheSame) {
  testing::TempDir dir;
  for (const char* sub : {"speech/good", "speech/short", "speech/bad", "noise/NOI", "noise/SPK", "noise/BAD"})
    fs::create_directories(dir.path() / sub);
  const Audio clip = ReadAudio(testing::LibrivoxClips()[1]);  // 2.99 s at 16 kHz
  const std::string s = dir / "speech/";
  // Used: three recordings, and one whose samples hold a NaN (its header is
  // fine, so it is used; its segments are skipped, counted in totals).
  fs::copy_file(testing::LibrivoxClips()[1], s + "good/a.wav");
  fs::copy_file(testing::LibrivoxClips()[2], s + "good/b.wav");
  fs::copy_file(testing::LibrivoxClips()[3], s + "good/c.wav");
  {
    std::vector<float> samples = clip.samples;
    samples[20000] = std::numeric_limits<float>::quiet_NaN();
    WriteFrames(s + "bad/nan.wav", samples, 16000, 1, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
  }
  // Skipped by the index: under prepare.min_seconds (0.1 s), unreadable, empty.
  WriteAudio(s + "short/tiny.wav", std::vector<float>(clip.samples.begin() + 16000, clip.samples.begin() + 16800),
             16000);
  WriteBytes(s + "bad/zero_length.wav", "");
  WriteBytes(s + "bad/not_audio.flac", "utterance,speaker\n19-198-0001,19\n");
  WriteFrames(s + "bad/no_frames.wav", {}, 16000, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
  // Skipped by the plan: 0.5 s, under one segment with short_policy = skip.
  WriteAudio(s + "short/short.wav", std::vector<float>(clip.samples.begin() + 16000, clip.samples.begin() + 24000),
             16000);
  // Noise: two used; one unreadable (the index), one truncated and one
  // silent (the noise bank, when a job decodes the noise).
  fs::copy_file(testing::AlsaNoise(), dir / "noise/NOI/Noise.wav");
  fs::copy_file(testing::LibrivoxClips()[4], dir / "noise/SPK/babble.wav");
  const std::string noise = ReadBytes(testing::AlsaNoise());
  WriteBytes(dir / "noise/BAD/truncated.wav", noise.substr(0, noise.size() / 3));
  WriteBytes(dir / "noise/BAD/zero_length.wav", "");
  WriteAudio(dir / "noise/BAD/silent.wav", std::vector<float>(48000, 0.0f), 16000);
  WriteBytes(dir / "synth.ini",
             "[corpus]\nspeech_folder = " + (dir / "speech") + "\nnoise_folder = " + (dir / "noise") + "\n"
             "[jnd]\nsvm_model = " + testing::SourceDir() + "/configs/jnd-svm.model\n"
             "[synth]\nsegment_seconds = 1\npairs_per_shard = 4\nthreads = 1\nshort_policy = skip\n");
  const std::string synth = "synth " + (dir / "synth.ini") + " --log-level warn --out ";

  const Outcome single = Jsqa(dir, synth + (dir / "single"));
  ASSERT_EQ(single.code, 0) << Describe(single);

  // skipped.tsv in the output folder: every file passed over, with its code.
  const auto skipped = Skipped(dir / "single/skipped.tsv");
  const auto code = [&](const std::string& where) {
    const auto it = skipped.find(where);
    return it == skipped.end() ? std::string("<not in skipped.tsv>") : it->second.substr(0, it->second.find('\t'));
  };
  EXPECT_EQ(code("speech: " + s + "bad/zero_length.wav"), "unreadable");
  EXPECT_EQ(code("speech: " + s + "bad/not_audio.flac"), "unreadable");
  EXPECT_EQ(code("speech: " + s + "bad/no_frames.wav"), "empty");
  EXPECT_EQ(code("speech: " + s + "short/tiny.wav"), "too_short");
  EXPECT_EQ(code("speech: " + s + "short/short.wav"), "too_short");
  EXPECT_EQ(code("noise: " + (dir / "noise/BAD/zero_length.wav")), "unreadable");
  EXPECT_EQ(code("noise: " + (dir / "noise/BAD/truncated.wav")), "truncated");
  EXPECT_EQ(code("noise: " + (dir / "noise/BAD/silent.wav")), "silent");
  EXPECT_EQ(skipped.size(), 8u) << ReadBytes(dir / "single/skipped.tsv");

  // manifest.json: input files = used + skipped, by reason, per kind and in all.
  const nlohmann::json manifest = ReadJsonFile(dir / "single/manifest.json");
  const nlohmann::json& sources = manifest.at("sources");
  EXPECT_EQ(sources.at("indexed_by"), "synth");
  EXPECT_EQ(sources.at("skipped_list"), "skipped.tsv");
  const std::map<std::string, std::map<std::string, int64_t>> by_reason = {
      {"speech", {{"unreadable", 2}, {"empty", 1}, {"too_short", 2}}},
      {"noise", {{"unreadable", 1}, {"truncated", 1}, {"silent", 1}}},
      {"all", {{"unreadable", 3}, {"empty", 1}, {"too_short", 2}, {"truncated", 1}, {"silent", 1}}}};
  const std::map<std::string, int64_t> used = {{"speech", 4}, {"noise", 2}, {"all", 6}};
  for (const char* kind : {"speech", "noise", "all"}) {
    SCOPED_TRACE(kind);
    const nlohmann::json& counts = std::string(kind) == "all" ? sources : sources.at(kind);
    const int64_t on_disk = std::string(kind) == "all" ? FilesUnder(dir / "speech") + FilesUnder(dir / "noise")
                                                       : FilesUnder(dir / kind);
    EXPECT_EQ(counts.at("input_files").get<int64_t>(), on_disk) << counts.dump();
    EXPECT_EQ(counts.at("used").get<int64_t>(), used.at(kind)) << counts.dump();
    EXPECT_EQ(counts.at("used").get<int64_t>() + counts.at("skipped").get<int64_t>(), on_disk) << counts.dump();
    using Counts = std::map<std::string, int64_t>;
    EXPECT_EQ(counts.at("skipped_by_reason").get<Counts>(), by_reason.at(kind)) << counts.dump();
  }
  // Segments lost inside used files stay in totals, in segments: the NaN
  // file's 3, and the plan's one (padded) segment of short.wav.
  const auto segments = manifest.at("totals").at("skipped_by_reason").get<std::map<std::string, int64_t>>();
  const std::map<std::string, int64_t> expected_segments = {{"non_finite", 3}, {"too_short", 1}};
  EXPECT_EQ(segments, expected_segments);

  // A 2-job array, its second job first (SLURM's variables): the same
  // folder, file for file. Then what a resubmitted job meets: a job whose
  // shards are all complete (it decodes no noise, and counts nothing
  // twice), and one killed after its shard was renamed but before its
  // sidecar (and so before skipped.tsv and the manifest).
  const std::string array = dir / "array";
  const auto job = [&](int index) {
    std::string output;
    EXPECT_EQ(RunCommand("SLURM_ARRAY_TASK_ID=" + std::to_string(index) + " SLURM_ARRAY_TASK_COUNT=2 " +
                             JsqaExecutable() + " " + synth + array,
                         &output),
              0)
        << output;
    return output;
  };
  job(1);
  EXPECT_TRUE(fs::exists(array + "/skipped.tsv")) << "a job writes the list before the array completes";
  EXPECT_FALSE(fs::exists(array + "/manifest.json"));
  EXPECT_NE(job(0).find("all shards complete"), std::string::npos);
  const auto reference = FolderFiles(dir / "single");
  ASSERT_GE(manifest.at("shard_count").get<int>(), 2) << "nothing to split between the jobs";
  EXPECT_EQ(FolderFiles(array), reference);
  EXPECT_NE(job(1).find(": 0 pairs made;"), std::string::npos);
  EXPECT_EQ(FolderFiles(array), reference);
  const int shards = manifest.at("shard_count").get<int>();
  const std::string shard = ShardFileName(1, shards);
  fs::remove(array + "/" + shard.substr(0, shard.size() - 3) + ".json");
  fs::remove(array + "/manifest.json");
  fs::remove(array + "/skipped.tsv");
  job(1);
  EXPECT_EQ(FolderFiles(array), reference);

  // inspect shows the folder with its sources, and the list by code.
  const Outcome folder = Jsqa(dir, "inspect " + array);
  ASSERT_EQ(folder.code, 0) << Describe(folder);
  EXPECT_NE(folder.out.find(array + ": shard folder, complete\n"), std::string::npos) << folder.out;
  // Its synthesis report: the input files used and skipped, by reason, per kind.
  EXPECT_NE(folder.out.find("## Input files"), std::string::npos) << folder.out;
  const size_t speech_row = folder.out.find("\n| speech | ");
  ASSERT_NE(speech_row, std::string::npos) << folder.out;
  EXPECT_NE(folder.out.substr(speech_row, folder.out.find('\n', speech_row + 1) - speech_row).find("too_short"),
            std::string::npos)
      << folder.out;
  EXPECT_NE(folder.out.find("\n| noise | "), std::string::npos) << folder.out;
  EXPECT_EQ(folder.out.find('{'), std::string::npos) << "raw JSON in:\n" << folder.out;
  const Outcome list = Jsqa(dir, "inspect " + array + "/skipped.tsv");
  ASSERT_EQ(list.code, 0) << Describe(list);
  EXPECT_NE(list.out.find("skipped inputs, 8 in all\n"), std::string::npos) << list.out;
}

// ---------------------------------------------------------------------------
// NISQA CSVs through prepare.

// The header of a real per-dataset NISQA _file.csv (FORMATS.md).
const char kNisqaHeader[] =
    "db,con,file,con_description,filename_deg,filename_ref,source,lang,votes,mos,noi,col,dis,loud,noi_std,col_std,"
    "dis_std,loud_std,mos_std,filepath_deg,filepath_ref,filter,timeclipping,wbgn,p50mnru,bgn,clipping,arb_filter,"
    "asl_in,asl_out,codec1,codec2,codec3,plcMode1,plcMode2,plcMode3,wbgn_snr,bgn_snr,tc_fer,tc_nburst,cl_th,bp_low,"
    "bp_high,p50_q,bMode1,bMode2,bMode3,FER1,FER2,FER3,asl_in_level,asl_out_level";

class BadInputNisqaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    header_ = kNisqaHeader;
    std::string column;
    for (std::istringstream in(header_); std::getline(in, column, ',');) columns_.push_back(column);
    fs::create_directories(dir_.path() / "NISQA_Corpus/NISQA_TEST_FOR/deg");
    fs::create_directories(dir_.path() / "outside");
    for (const char* name : {"a", "b", "c", "d", "g"})
      fs::copy_file(testing::LibrivoxClips()[1], dir_ / (std::string("NISQA_Corpus/NISQA_TEST_FOR/deg/") + name + ".wav"));
    for (const char* name : {"e", "f"})
      fs::copy_file(testing::LibrivoxClips()[1], dir_ / (std::string("outside/") + name + ".wav"));
  }

  // One CSV row: the named fields set, the rest empty.
  std::string Row(const std::map<std::string, std::string>& fields, const std::string& extra = "") const {
    std::string row;
    for (size_t i = 0; i < columns_.size(); ++i) {
      if (i) row += ",";
      const auto it = fields.find(columns_[i]);
      if (it != fields.end()) row += it->second;
    }
    return row + extra;
  }
  std::string Good(const std::string& path, const std::string& mos, const std::string& description = "clean") const {
    return Row({{"db", "NISQA_TEST_FOR"}, {"con", "1"}, {"file", fs::path(path).filename().string()},
                {"con_description", description}, {"mos", mos}, {"filepath_deg", path}}, ",note") + "\r\n";
  }
  std::string WriteConfig(const std::string& root) {
    const std::string path = dir_ / ("nisqa-" + std::to_string(configs_++) + ".ini");
    WriteBytes(path, "[corpus]\nnisqa_root = " + root + "\nnisqa_dbs = NISQA_TEST_FOR\n[graph]\nprepare =\n");
    return path;
  }

  std::string header_;
  std::vector<std::string> columns_;
  int configs_ = 0;
  testing::TempDir dir_;
};

TEST_F(BadInputNisqaTest, BadRowsAreSkippedWithTheirLineAndTheRestIndexed) {
  const std::string root = dir_ / "NISQA_Corpus";
  const std::string csv = root + "/NISQA_TEST_FOR/NISQA_TEST_FOR_file.csv";
  WriteBytes(csv,
             "\xEF\xBB\xBF" + header_ + ",my_extra_column\r\n" +                       // 1: BOM, extra column: fine
             Good("NISQA_TEST_FOR/deg/a.wav", "3.5") +                                   // 2: kept
             Good("NISQA_TEST_FOR/deg/b.wav", "2.25", "\"noise, 10 dB, \"\"babble\"\"\"") +  // 3: quoted commas: kept
             "\r\n" +                                                                    // 4: blank: ignored
             Good("NISQA_TEST_FOR/deg/c.wav", "n/a") +                                   // 5: skipped, not a number
             Good("NISQA_TEST_FOR/deg/d.wav", "5.5") +                                   // 6: skipped, outside [1, 5]
             Good("NISQA_TEST_FOR/deg/d.wav", "0.5") +                                   // 7: skipped, outside [1, 5]
             Good("NISQA_TEST_FOR/deg/nowhere.wav", "3") +                               // 8: skipped, file not found
             Good(dir_ / "outside/e.wav", "3") +                        // 9: absolute: skipped unless allowed
             Good("../outside/f.wav", "3") +                            // 10: '..' leaving the root: likewise
             Good("NISQA_TEST_FOR/../NISQA_TEST_FOR/deg/g.wav", "4") +  // 11: '..' staying inside: kept
             "\r\n");
  const Outcome strict = Jsqa(dir_, "run " + WriteConfig(root) + " --run-dir " + (dir_ / "run") + " --log-level error");
  ASSERT_EQ(strict.code, 0) << Describe(strict);
  EXPECT_EQ(ManifestIds(dir_ / "run/prepare/nisqa.tsv"),
            (std::vector<std::string>{"NISQA_TEST_FOR/a", "NISQA_TEST_FOR/b", "NISQA_TEST_FOR/g"}));
  const auto skipped = Skipped(dir_ / "run/prepare/skipped.tsv");
  const auto reason = [&](int line) {
    const auto it = skipped.find("nisqa: " + csv + ":" + std::to_string(line));
    return it == skipped.end() ? std::string("<not skipped>") : it->second;
  };
  EXPECT_NE(reason(5).find("not a number"), std::string::npos) << reason(5);
  EXPECT_NE(reason(6).find("outside [1, 5]"), std::string::npos) << reason(6);
  EXPECT_NE(reason(7).find("outside [1, 5]"), std::string::npos) << reason(7);
  EXPECT_NE(reason(8).find("file not found"), std::string::npos) << reason(8);
  EXPECT_NE(reason(9).find("leaves the corpus root"), std::string::npos) << reason(9);
  EXPECT_NE(reason(10).find("leaves the corpus root"), std::string::npos) << reason(10);
  // Each with its stable code first.
  for (const auto& [line, code] : std::map<int, std::string>{
           {5, "bad_mos"}, {6, "bad_mos"}, {8, "missing_file"}, {9, "outside_root"}, {10, "outside_root"}})
    EXPECT_EQ(reason(line).substr(0, code.size() + 1), code + "\t") << reason(line);
  EXPECT_EQ(skipped.size(), 6u) << ReadBytes(dir_ / "run/prepare/skipped.tsv");
  const nlohmann::json summary = ReadJsonFile(dir_ / "run/prepare/summary.json");
  EXPECT_EQ(summary.at("nisqa").at("skipped").get<int>(), 6);
  // inspect counts skipped.tsv per code before listing it.
  const Outcome inspect = Jsqa(dir_, "inspect " + (dir_ / "run/prepare/skipped.tsv"));
  ASSERT_EQ(inspect.code, 0) << Describe(inspect);
  EXPECT_NE(inspect.out.find("skipped inputs, 6 in all\n  code          count\n  bad_mos       3\n"
                             "  missing_file  1\n  outside_root  2\n"),
            std::string::npos)
      << Describe(inspect);

  // corpus.nisqa_allow_outside_root = true: rows 9 and 10 are kept.
  const Outcome loose = Jsqa(dir_, "run " + WriteConfig(root) + " --run-dir " + (dir_ / "run") +
                                       " --set corpus.nisqa_allow_outside_root=true --log-level error");
  ASSERT_EQ(loose.code, 0) << Describe(loose);
  EXPECT_EQ(ManifestIds(dir_ / "run/prepare/nisqa.tsv"),
            (std::vector<std::string>{"NISQA_TEST_FOR/a", "NISQA_TEST_FOR/b", "NISQA_TEST_FOR/e",
                                      "NISQA_TEST_FOR/f", "NISQA_TEST_FOR/g"}));
  EXPECT_EQ(Skipped(dir_ / "run/prepare/skipped.tsv").size(), 4u);
}

TEST_F(BadInputNisqaTest, MissingRequiredColumnFailsPrepareNamingCsvAndColumn) {
  // A CSV without "mos": not a row problem but a file problem. prepare fails
  // (a runtime failure of the stage: exit 1) with one line on stderr naming
  // the CSV and the column; nothing is indexed.
  const std::string root = dir_ / "NISQA_Corpus";
  const std::string csv = root + "/NISQA_TEST_FOR/NISQA_TEST_FOR_file.csv";
  std::string header = header_;
  header.replace(header.find(",mos,"), 5, ",");
  WriteBytes(csv, header + "\nNISQA_TEST_FOR,1,a.wav\n");
  const Outcome run = Jsqa(dir_, "run " + WriteConfig(root) + " --run-dir " + (dir_ / "run") + " --log-level warn");
  EXPECT_EQ(run.code, 1) << Describe(run);
  EXPECT_EQ(run.ErrLines(), 1u) << Describe(run);
  EXPECT_NE(run.err.find(csv), std::string::npos) << Describe(run);
  EXPECT_NE(run.err.find("'mos'"), std::string::npos) << Describe(run);
  EXPECT_FALSE(fs::exists(dir_ / "run/prepare/COMPLETE"));
}

// ---------------------------------------------------------------------------
// Config: each bad value exits 2 with one line on stderr naming the key.

class BadInputConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteBytes(dir_ / "base.ini",
               "[corpus]\nspeech_folder = " + (dir_ / "speech") + "\nnoise_folder = " + (dir_ / "noise") + "\n"
               "[graph]\nprepare =\nsynth = prepare\n");
  }

  // Runs command (run or synth) on config with the overrides; expects exit 2
  // and exactly one stderr line holding every needle.
  void ExpectOneLineError(const std::string& command, const std::string& config, const std::string& sets,
                          const std::vector<std::string>& needles) {
    SCOPED_TRACE(command + " " + sets);
    const std::string out = command == "run" ? " --run-dir " + (dir_ / "run") : " --out " + (dir_ / "pairs");
    const Outcome outcome = Jsqa(dir_, command + " " + config + out + " " + sets + " --log-level warn");
    EXPECT_EQ(outcome.code, 2) << Describe(outcome);
    EXPECT_EQ(outcome.ErrLines(), 1u) << Describe(outcome);
    for (const std::string& needle : needles) EXPECT_NE(outcome.err.find(needle), std::string::npos) << Describe(outcome);
    EXPECT_FALSE(fs::exists(dir_ / "run")) << "a config error must stop before any work";
    EXPECT_FALSE(fs::exists(dir_ / "pairs"));
  }

  testing::TempDir dir_;
};

TEST_F(BadInputConfigTest, EveryBadValueIsOneLineNamingTheKeyAndExitTwo) {
  const std::string base = dir_ / "base.ini";
  // Unknown keys: in the file (with the closest key suggested) and in --set.
  WriteBytes(dir_ / "unknown.ini", ReadBytes(base) + "[synth]\nsegment_secs = 2\n");
  ExpectOneLineError("run", dir_ / "unknown.ini", "", {"unknown.ini", "synth.segment_secs", "synth.segment_seconds"});
  ExpectOneLineError("synth", base, "--set synth.treads=2", {"--set", "synth.treads", "synth.threads"});
  // Wrong types.
  ExpectOneLineError("run", base, "--set synth.pairs_per_shard=many", {"synth.pairs_per_shard", "many"});
  ExpectOneLineError("synth", base, "--set jnd.delta_max_db=three", {"jnd.delta_max_db"});
  ExpectOneLineError("run", base, "--set synth.store_components=perhaps", {"synth.store_components"});
  ExpectOneLineError("run", base, "--set synth.seed=-1", {"synth.seed", "non-negative"});  // not 2^64 - 1
  WriteBytes(dir_ / "types.ini", ReadBytes(base) + "[jnd]\nsnr_min_db = low\n");
  ExpectOneLineError("run", dir_ / "types.ini", "", {"types.ini", "jnd.snr_min_db"});
  // Empty lists (where their corpus is configured).
  ExpectOneLineError("run", base, "--set corpus.librispeech_root=/data/LibriSpeech --set corpus.librispeech_subsets=",
                     {"corpus.librispeech_subsets", "empty"});
  ExpectOneLineError("run", base, "--set corpus.nisqa_root=/data/NISQA_Corpus --set corpus.nisqa_dbs=",
                     {"corpus.nisqa_dbs", "empty"});
#ifdef JSQA_WITH_TORCH
  ExpectOneLineError("run", base, "--set finetune.train_dbs=", {"finetune.train_dbs", "empty"});
#endif
  // Ranges with min > max.
  ExpectOneLineError("run", base, "--set jnd.delta_min_db=3 --set jnd.delta_max_db=1",
                     {"jnd.delta_min_db", "jnd.delta_max_db"});
  ExpectOneLineError("synth", base, "--set jnd.snr_min_db=20 --set jnd.snr_max_db=-5", {"jnd.snr_min_db"});
  // Negative or zero lengths and counts.
  ExpectOneLineError("run", base, "--set synth.segment_seconds=-1", {"synth.segment_seconds", "-1"});
  ExpectOneLineError("run", base, "--set synth.pairs_per_shard=0", {"synth.pairs_per_shard"});
  // Thread count 0.
  ExpectOneLineError("run", base, "--set synth.threads=0", {"synth.threads", "'0'"});
  ExpectOneLineError("synth", base, "--set synth.threads=0", {"synth.threads"});
  ExpectOneLineError("run", base, "--set prepare.threads=0", {"prepare.threads"});
#ifdef JSQA_WITH_TORCH
  ExpectOneLineError("run", base, "--set runtime.threads=0", {"runtime.threads"});
#endif
}

// ---------------------------------------------------------------------------
// HDF5 shards: an older schema version, a corrupted chunk, a manifest whose
// checksum does not match.

class BadInputShardTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    fs::create_directories(dir_->path() / "speech");
    fs::create_directories(dir_->path() / "noise/NOI");
    fs::copy_file(testing::LibrivoxClips()[2], *dir_ / "speech/a.wav");
    fs::copy_file(testing::LibrivoxClips()[3], *dir_ / "speech/b.wav");
    fs::copy_file(testing::AlsaNoise(), *dir_ / "noise/NOI/Noise.wav");
    WriteBytes(*dir_ / "shards.ini",
               "[corpus]\nspeech_folder = " + (*dir_ / "speech") + "\nnoise_folder = " + (*dir_ / "noise") + "\n"
               "[jnd]\nsvm_model = " + testing::SourceDir() + "/configs/jnd-svm.model\n"
               "[synth]\nsegment_seconds = 1\npairs_per_shard = 4\nthreads = 1\n"
#ifdef JSQA_WITH_TORCH  // the training sections exist only in builds with torch (not the sanitizer build)
               "[model]\nchannels = 4,8,8,16\nstrides = 4,4,4,4\ncontrastive_size = 16\n"
               "[pretrain]\nsteps = 2\nbatch_size = 4\ncheckpoint_every = 2\nlog_every = 1\n"
               "[runtime]\nthreads = 1\n"
#endif
    );
    // h5py (Debian's python3-h5py, hence /usr/bin/python3): rewrite the
    // schema version, or print where the first chunk of "a" lies.
    WriteBytes(*dir_ / "h5edit.py",
               "import sys, h5py\n"
               "mode, path = sys.argv[1], sys.argv[2]\n"
               "if mode == 'schema':\n"
               "    with h5py.File(path, 'r+') as f:\n"
               "        f.attrs.modify('schema_version', 0)\n"
               "else:\n"
               "    with h5py.File(path, 'r') as f:\n"
               "        info = f['a'].id.get_chunk_info(0)\n"
               "        print(info.byte_offset, info.size)\n");
    Outcome synth = Jsqa(*dir_, "synth " + (*dir_ / "shards.ini") + " --out " + (*dir_ / "reference") +
                                    " --log-level warn");
    ASSERT_EQ(synth.code, 0) << Describe(synth);
  }
  static void TearDownTestSuite() { delete dir_; }

  // A fresh copy of the reference shards.
  static std::string Copy(const std::string& name) {
    const std::string to = *dir_ / name;
    fs::copy(*dir_ / "reference", to, fs::copy_options::recursive);
    return to;
  }
  static std::string Shard(const std::string& dir, int index) {
    const int count = ReadJsonFile(dir + "/manifest.json").at("shard_count").get<int>();
    return dir + "/" + ShardFileName(index, count);
  }
  // The pair count of reference shard index, from its sidecar, as text.
  static std::string SidecarPairs(int index) {
    const std::string shard = Shard(*dir_ / "reference", index);
    return ReadJsonFile(shard.substr(0, shard.size() - 3) + ".json").at("pairs").dump();
  }
  static void H5Edit(const std::string& mode, const std::string& path, std::string* output = nullptr) {
    std::string text;
    ASSERT_EQ(RunCommand("/usr/bin/python3 " + (*dir_ / "h5edit.py") + " " + mode + " " + path, &text), 0) << text;
    if (output) *output = text;
  }
  // Flips 16 bytes in the middle of the first chunk of dataset "a".
  static void CorruptFirstChunk(const std::string& path) {
    std::string where;
    H5Edit("chunk", path, &where);
    std::istringstream in(where);
    int64_t offset = 0, size = 0;
    in >> offset >> size;
    ASSERT_GT(size, 64) << where;
    std::string bytes = ReadBytes(path);
    for (int64_t i = offset + size / 2; i < offset + size / 2 + 16; ++i) bytes[i] = static_cast<char>(~bytes[i]);
    WriteBytes(path, bytes);
  }
  // inspect checks a shard against its sidecar before libhdf5 opens it
  // (a damaged file can hang or crash the library): exit 1, one line naming
  // the file. The same shard copied alone, without a sidecar, is read with
  // a warning; returns that run, for what the reader then finds.
  static Outcome ExpectInspectRefusesThenReadsCopy(const std::string& shard, const std::string& copy_name) {
    const Outcome inspect = Jsqa(*dir_, "inspect " + shard + " --log-level warn");
    EXPECT_EQ(inspect.code, 1) << Describe(inspect);
    EXPECT_EQ(inspect.ErrLines(), 1u) << Describe(inspect);
    EXPECT_NE(inspect.err.find(shard + ": size or SHA-256 differs from its sidecar"), std::string::npos)
        << Describe(inspect);
    const std::string alone = *dir_ / copy_name;
    fs::copy_file(shard, alone, fs::copy_options::overwrite_existing);
    const Outcome copy = Jsqa(*dir_, "inspect " + alone + " --log-level warn");
    EXPECT_NE(copy.err.find(alone + ": no sidecar"), std::string::npos) << Describe(copy);
    return copy;
  }
  static void EditManifestChecksum(const std::string& dir, int index) {
    nlohmann::json manifest = ReadJsonFile(dir + "/manifest.json");
    manifest["shards"][index]["sha256"] = std::string(64, '0');
    WriteBytes(dir + "/manifest.json", manifest.dump(2) + "\n");
  }

  // A rerun of synth into dir: exit 0, the damaged shard (if any) named in a
  // warning and redone (the same bytes as an undisturbed run), manifest.json
  // as the reference's.
  static void ExpectRerunRestores(const std::string& dir, const std::string& pairs_made,
                                  const std::string& redone = "") {
    const Outcome rerun = Jsqa(*dir_, "synth " + (*dir_ / "shards.ini") + " --out " + dir + " --log-level warn");
    ASSERT_EQ(rerun.code, 0) << Describe(rerun);
    EXPECT_NE(rerun.out.find(": " + pairs_made + " pairs made;"), std::string::npos) << Describe(rerun);
    if (redone.empty()) {
      EXPECT_EQ(rerun.err, "") << Describe(rerun);
    } else {
      EXPECT_NE(rerun.err.find(redone + ": SHA-256 differs from its sidecar's"), std::string::npos) << Describe(rerun);
      EXPECT_EQ(rerun.ErrLines(), 1u) << Describe(rerun);
    }
    for (const auto& entry : fs::directory_iterator(*dir_ / "reference")) {
      const std::string name = entry.path().filename().string();
      EXPECT_EQ(ReadBytes(dir + "/" + name), ReadBytes(entry.path().string())) << name;
    }
  }

  static testing::TempDir* dir_;
};

testing::TempDir* BadInputShardTest::dir_ = nullptr;

TEST_F(BadInputShardTest, OlderSchemaVersion) {
  const std::string dir = Copy("schema");
  const std::string shard = Shard(dir, 0);
  H5Edit("schema", shard);
  // inspect: no longer the bytes its sidecar hashed. A copy without its
  // sidecar: exit 1, the warning and one line naming the file and both versions.
  const std::string alone = *dir_ / "schema-alone.h5";
  const Outcome inspect = ExpectInspectRefusesThenReadsCopy(shard, "schema-alone.h5");
  EXPECT_EQ(inspect.code, 1) << Describe(inspect);
  EXPECT_EQ(inspect.ErrLines(), 2u) << Describe(inspect);
  EXPECT_NE(inspect.err.find(alone + ": shard schema version 0, this build reads 1"), std::string::npos)
      << Describe(inspect);
#ifdef JSQA_WITH_TORCH
  // pretrain on these shards: exit 1, one line naming the file.
  const Outcome pretrain = Jsqa(*dir_, "pretrain " + (*dir_ / "shards.ini") + " --set pretrain.shards=" + dir +
                                           " --out " + (*dir_ / "pretrain-schema") + " --log-level warn");
  EXPECT_EQ(pretrain.code, 1) << Describe(pretrain);
  EXPECT_EQ(pretrain.ErrLines(), 1u) << Describe(pretrain);
  EXPECT_NE(pretrain.err.find(shard), std::string::npos) << Describe(pretrain);
#endif
  // A rerun of synth does not trust it (its SHA-256 no longer matches its
  // sidecar): the shard is redone.
  ExpectRerunRestores(dir, SidecarPairs(0), shard);
}

TEST_F(BadInputShardTest, CorruptedChunk) {
  const std::string dir = Copy("chunk");
  const std::string shard = Shard(dir, 1);
  CorruptFirstChunk(shard);
  // inspect: refused before reading, against its sidecar. A copy without
  // one: Fletcher32 catches it when pair 0 is read: exit 1, the warning and
  // one line naming the file and the pair.
  const std::string alone = *dir_ / "chunk-alone.h5";
  const Outcome inspect = ExpectInspectRefusesThenReadsCopy(shard, "chunk-alone.h5");
  EXPECT_EQ(inspect.code, 1) << Describe(inspect);
  EXPECT_EQ(inspect.ErrLines(), 2u) << Describe(inspect);
  EXPECT_NE(inspect.err.find(alone + ": cannot read pair 0"), std::string::npos) << Describe(inspect);
#ifdef JSQA_WITH_TORCH
  const Outcome pretrain = Jsqa(*dir_, "pretrain " + (*dir_ / "shards.ini") + " --set pretrain.shards=" + dir +
                                           " --out " + (*dir_ / "pretrain-chunk") + " --log-level warn");
  EXPECT_EQ(pretrain.code, 1) << Describe(pretrain);
  EXPECT_EQ(pretrain.ErrLines(), 1u) << Describe(pretrain);
  EXPECT_NE(pretrain.err.find(shard), std::string::npos) << Describe(pretrain);
#endif
  ExpectRerunRestores(dir, SidecarPairs(1), shard);
}

TEST_F(BadInputShardTest, ManifestChecksumMismatch) {
  const std::string dir = Copy("manifest");
  EditManifestChecksum(dir, 2);
  const std::string shard = Shard(dir, 2);
  // inspect reads the shard itself, which is intact: exit 0.
  const Outcome inspect = Jsqa(*dir_, "inspect " + shard + " --log-level warn");
  EXPECT_EQ(inspect.code, 0) << Describe(inspect);
#ifdef JSQA_WITH_TORCH
  // pretrain checks every shard against manifest.json before training: exit
  // 1, one line naming the file.
  const Outcome pretrain = Jsqa(*dir_, "pretrain " + (*dir_ / "shards.ini") + " --set pretrain.shards=" + dir +
                                           " --out " + (*dir_ / "pretrain-manifest") + " --log-level warn");
  EXPECT_EQ(pretrain.code, 1) << Describe(pretrain);
  EXPECT_EQ(pretrain.ErrLines(), 1u) << Describe(pretrain);
  EXPECT_NE(pretrain.err.find(shard), std::string::npos) << Describe(pretrain);
#endif
  // A rerun of synth: every shard matches its sidecar, so none is redone
  // (0 pairs made) and manifest.json is rewritten from the sidecars.
  ExpectRerunRestores(dir, "0");
#ifdef JSQA_WITH_TORCH
  const Outcome again = Jsqa(*dir_, "pretrain " + (*dir_ / "shards.ini") + " --set pretrain.shards=" + dir +
                                        " --out " + (*dir_ / "pretrain-manifest") + " --log-level warn");
  EXPECT_EQ(again.code, 0) << Describe(again);
#else
  GTEST_SKIP() << "the manifest checksum is checked by pretrain, which this build (no torch) lacks; "
                  "only inspect and the synth rerun were checked";
#endif
}

}  // namespace
}  // namespace jsqa
