#include "pipeline/shards/shard_io.h"

#include <gtest/gtest.h>
#include <hdf5.h>
#include <sys/mount.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <sstream>
#include <thread>

#include "augment/audio_io.h"
#include "pipeline/base/error.h"
#include "tests/test_support.h"

namespace jsqa {
namespace {
namespace fs = std::filesystem;

constexpr int kSegment = 16000;  // 1 s at 16 kHz keeps shards small
constexpr float kInt16Step = 1.0f / 32767.0f;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The LibriVox clips end to end: 16 kHz speech, about 25 s.
const std::vector<float>& Speech() {
  static const std::vector<float> speech = [] {
    std::vector<float> all;
    for (const std::string& clip : testing::LibrivoxClips()) {
      const Audio audio = ReadAudio(clip);
      all.insert(all.end(), audio.samples.begin(), audio.samples.end());
    }
    return all;
  }();
  return speech;
}

std::vector<float> SpeechSegment(size_t offset) {
  const std::vector<float>& speech = Speech();
  offset %= speech.size() - kSegment;
  return std::vector<float>(speech.begin() + offset, speech.begin() + offset + kSegment);
}

// gain · (clean + noise), with gain setting the peak to 0.9: within [-1, 1]
// as the mixer guarantees.
std::vector<float> Mix(const std::vector<float>& clean, const std::vector<float>& noise,
                       double& gain) {
  std::vector<float> mixture(clean.size());
  float peak = 0.0f;
  for (size_t i = 0; i < clean.size(); ++i) peak = std::max(peak, std::fabs(clean[i] + noise[i]));
  gain = 0.9 / peak;
  for (size_t i = 0; i < clean.size(); ++i)
    mixture[i] = static_cast<float>(gain * (clean[i] + noise[i]));
  return mixture;
}

// A pair from real speech: pair i's clean segment is speech at i·0.4 s and
// its "noise" is babble from elsewhere in the recording. Every metadata
// field differs between pairs, and the ids hold non-ASCII UTF-8.
JndPair MakePair(int i) {
  JndPair pair;
  pair.utterance_id = "sense_and_sensibility_01-" + std::to_string(870 + i) + "-Ærø";
  pair.segment = i % 3;
  pair.item_index = 1000 + i;
  pair.noise_id = "babble/café-" + std::to_string(i % 2);
  pair.noise_offset = 48000LL * i + 7;
  pair.snr_a_db = 5.0 + 0.123456789 * i;
  pair.snr_b_db = pair.snr_a_db - 3.0 - 0.01 * i;
  pair.jnd_probability = 0.5 + i / 97.0;
  pair.draws = 1 + i;
  if (i % 2) {
    pair.dimension = "codec_mode";
    pair.chain = "noise>amr_wb>packet_loss";
    pair.steps_a = R"([{"degradation":"amr_wb","strength":12.65,"realised":{"bitrate_kbps":12.65}}])";
    pair.steps_b = R"([{"degradation":"amr_wb","strength":14.25,"realised":{"bitrate_kbps":14.25}}])";
  }
  pair.clean = SpeechSegment(6400 * i);
  std::vector<float> babble = SpeechSegment(6400 * i + 150000);
  pair.noise_a.resize(kSegment);
  pair.noise_b.resize(kSegment);
  for (int n = 0; n < kSegment; ++n) {
    pair.noise_a[n] = 0.3f * babble[n];
    pair.noise_b[n] = 0.3f * 1.4125375f * babble[n];  // 3 dB louder
  }
  pair.a = Mix(pair.clean, pair.noise_a, pair.gain_a);
  pair.b = Mix(pair.clean, pair.noise_b, pair.gain_b);
  return pair;
}

ShardInfo MakeInfo(ShardSampleFormat format, bool components) {
  ShardInfo info;
  info.shard_index = 2;
  info.shard_count = 5;
  info.item_begin = 1000;
  info.item_end = 1004;
  info.sample_rate = 16000;
  info.segment_samples = kSegment;
  info.sample_format = format;
  info.store_components = components;
  info.seed = 0xfedcba9876543210ULL;
  info.config_text = "snr_db: [-5, 20]\njnd_db: 3.0\nvoice: \"Ærø\"\n";
  return info;
}

void WriteShard(const std::string& path, const ShardInfo& info, int pairs) {
  ShardWriter writer(path, info);
  for (int i = 0; i < pairs; ++i) writer.Append(MakePair(i));
  EXPECT_EQ(writer.pairs(), pairs);
  writer.Close();
}

void ExpectSameMetadata(const JndPair& read, const JndPair& written) {
  EXPECT_EQ(read.utterance_id, written.utterance_id);
  EXPECT_EQ(read.segment, written.segment);
  EXPECT_EQ(read.item_index, written.item_index);
  EXPECT_EQ(read.noise_id, written.noise_id);
  EXPECT_EQ(read.dimension, written.dimension);
  EXPECT_EQ(read.chain, written.chain);
  EXPECT_EQ(read.steps_a, written.steps_a);
  EXPECT_EQ(read.steps_b, written.steps_b);
  EXPECT_EQ(read.noise_offset, written.noise_offset);
  EXPECT_EQ(read.snr_a_db, written.snr_a_db);
  EXPECT_EQ(read.snr_b_db, written.snr_b_db);
  EXPECT_EQ(read.jnd_probability, written.jnd_probability);
  EXPECT_EQ(read.draws, written.draws);
  EXPECT_EQ(read.gain_a, written.gain_a);
  EXPECT_EQ(read.gain_b, written.gain_b);
}

void ExpectSameInfo(const ShardInfo& read, const ShardInfo& written) {
  EXPECT_EQ(read.shard_index, written.shard_index);
  EXPECT_EQ(read.shard_count, written.shard_count);
  EXPECT_EQ(read.item_begin, written.item_begin);
  EXPECT_EQ(read.item_end, written.item_end);
  EXPECT_EQ(read.sample_rate, written.sample_rate);
  EXPECT_EQ(read.segment_samples, written.segment_samples);
  EXPECT_EQ(read.sample_format, written.sample_format);
  EXPECT_EQ(read.store_components, written.store_components);
  EXPECT_EQ(read.seed, written.seed);
  EXPECT_EQ(read.config_text, written.config_text);
}

float MaxDifference(const std::vector<float>& x, const std::vector<float>& y) {
  EXPECT_EQ(x.size(), y.size());
  float worst = 0.0f;
  for (size_t i = 0; i < std::min(x.size(), y.size()); ++i)
    worst = std::max(worst, std::fabs(x[i] - y[i]));
  return worst;
}

// The message of the jsqa::Error that body throws; fails the test if it
// throws nothing.
template <typename Body>
std::string ErrorOf(Body&& body) {
  try {
    body();
  } catch (const Error& error) {
    return error.what();
  }
  ADD_FAILURE() << "no jsqa::Error";
  return "";
}

TEST(ShardFileNameTest, ZeroPadsIndexAndCount) {
  EXPECT_EQ(ShardFileName(3, 16), "pairs-00003-of-00016.h5");
  EXPECT_EQ(ShardFileName(0, 1), "pairs-00000-of-00001.h5");
  EXPECT_THROW(ShardFileName(16, 16), Error);
}

TEST(ShardIoTest, Int16RoundTripIsWithinOneStep) {
  testing::TempDir dir;
  const std::string path = dir / ShardFileName(2, 5);
  const ShardInfo info = MakeInfo(ShardSampleFormat::kInt16, false);
  // Full scale must survive exactly: ±1 ↔ ±32767.
  auto make_pair = [](int i) {
    JndPair pair = MakePair(i);
    if (i == 4) {
      pair.a[0] = 1.0f;
      pair.a[1] = -1.0f;
    }
    return pair;
  };
  {
    ShardWriter writer(path, info);
    for (int i = 0; i < 5; ++i) writer.Append(make_pair(i));
    writer.Close();
  }
  ASSERT_TRUE(fs::exists(path));
  EXPECT_FALSE(fs::exists(path + ".tmp"));

  const ShardReader reader(path);
  ExpectSameInfo(reader.info(), info);
  ASSERT_EQ(reader.pairs(), 5);
  for (int i = 0; i < 5; ++i) {
    SCOPED_TRACE(i);
    const JndPair written = make_pair(i);
    const JndPair read = reader.Read(i);
    ExpectSameMetadata(read, written);
    // Rounding to nearest: at most half a step off (float arithmetic aside).
    EXPECT_LE(MaxDifference(read.a, written.a), 0.5f * kInt16Step + 1e-7f);
    EXPECT_LE(MaxDifference(read.b, written.b), 0.5f * kInt16Step + 1e-7f);
    EXPECT_TRUE(read.clean.empty() && read.noise_a.empty() && read.noise_b.empty());
  }
  const JndPair edge = reader.Read(4);
  EXPECT_EQ(edge.a[0], 1.0f);
  EXPECT_EQ(edge.a[1], -1.0f);
}

// What training reads: the mixtures alone, from many threads at once, the
// same floats as Read() gives (int16 / 32767, as libhdf5's conversion was).
TEST(ShardIoTest, ReadMixturesFromThreadsGivesReadsSamples) {
  testing::TempDir dir;
  const std::string path = dir / "pairs.h5";
  WriteShard(path, MakeInfo(ShardSampleFormat::kInt16, false), 6);
  const ShardReader reader(path);
  const size_t samples = static_cast<size_t>(reader.info().segment_samples);
  std::vector<std::vector<float>> a(6, std::vector<float>(samples)), b = a;
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) threads.emplace_back([&, i] { reader.ReadMixtures(i, a[i].data(), b[i].data()); });
  for (std::thread& thread : threads) thread.join();
  for (int i = 0; i < 6; ++i) {
    SCOPED_TRACE(i);
    const JndPair read = reader.Read(i);
    EXPECT_EQ(a[i], read.a);
    EXPECT_EQ(b[i], read.b);
    for (size_t j = 0; j < samples; ++j)
      ASSERT_EQ(a[i][j], std::lrint(MakePair(i).a[j] * 32767.0f) / 32767.0f) << j;
  }
}

// The writer stores chunks it encoded itself (direct chunk write): libhdf5's
// own read, which runs its Fletcher32 filter, accepts every one and gives
// the samples Read() gives.
TEST(ShardIoTest, LibHdf5ReadsTheChunksTheWriterEncoded) {
  testing::TempDir dir;
  const std::string path = dir / "pairs.h5";
  WriteShard(path, MakeInfo(ShardSampleFormat::kInt16, true), 3);
  const ShardReader reader(path);
  const hsize_t samples = static_cast<hsize_t>(reader.info().segment_samples);
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  const auto read_all = [&](const char* name, hid_t type, void* out) {
    const hid_t set = H5Dopen2(file, name, H5P_DEFAULT);
    EXPECT_GE(set, 0) << name;
    EXPECT_GE(H5Dread(set, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out), 0) << name;
    H5Dclose(set);
  };
  std::vector<int16_t> a(3 * samples), b(3 * samples);
  std::vector<float> noise_a(3 * samples);
  read_all("a", H5T_NATIVE_INT16, a.data());
  read_all("b", H5T_NATIVE_INT16, b.data());
  read_all("noise_a", H5T_NATIVE_FLOAT, noise_a.data());
  for (int i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    const JndPair pair = reader.Read(i);
    for (hsize_t j = 0; j < samples; ++j) {
      ASSERT_EQ(a[i * samples + j] / 32767.0f, pair.a[j]) << j;
      ASSERT_EQ(b[i * samples + j] / 32767.0f, pair.b[j]) << j;
      ASSERT_EQ(noise_a[i * samples + j], pair.noise_a[j]) << j;
    }
  }
  H5Fclose(file);
}

TEST(ShardIoTest, Float32RoundTripWithComponentsIsExact) {
  testing::TempDir dir;
  const std::string path = dir / "float.h5";
  const ShardInfo info = MakeInfo(ShardSampleFormat::kFloat32, true);
  WriteShard(path, info, 4);

  const ShardReader reader(path);
  ExpectSameInfo(reader.info(), info);
  ASSERT_EQ(reader.pairs(), 4);
  for (int i = 3; i >= 0; --i) {  // random access, not just in order
    SCOPED_TRACE(i);
    const JndPair written = MakePair(i);
    const JndPair read = reader.Read(i);
    ExpectSameMetadata(read, written);
    EXPECT_EQ(read.a, written.a);
    EXPECT_EQ(read.b, written.b);
    EXPECT_EQ(read.clean, written.clean);
    EXPECT_EQ(read.noise_a, written.noise_a);
    EXPECT_EQ(read.noise_b, written.noise_b);
  }
}

TEST(ShardIoTest, EmptyShardRoundTrips) {
  testing::TempDir dir;
  const std::string path = dir / "empty.h5";
  WriteShard(path, MakeInfo(ShardSampleFormat::kInt16, true), 0);
  const ShardReader reader(path);
  EXPECT_EQ(reader.pairs(), 0);
  EXPECT_TRUE(reader.info().store_components);
  EXPECT_TRUE(Contains(ErrorOf([&] { reader.Read(0); }), "pair 0 is out of range [0, 0)"));
}

TEST(ShardIoTest, ReadOutOfRangeNamesTheFile) {
  testing::TempDir dir;
  const std::string path = dir / "two.h5";
  WriteShard(path, MakeInfo(ShardSampleFormat::kInt16, false), 2);
  const ShardReader reader(path);
  EXPECT_TRUE(Contains(ErrorOf([&] { reader.Read(2); }), path + ": pair 2 is out of range"));
  EXPECT_TRUE(Contains(ErrorOf([&] { reader.Read(-1); }), path + ": pair -1 is out of range"));
}

// HDF5 stamps objects with times unless told not to; shards of the same
// pairs written seconds apart must still be identical byte for byte.
TEST(ShardIoTest, SamePairsGiveIdenticalBytes) {
  testing::TempDir dir;
  const ShardInfo info = MakeInfo(ShardSampleFormat::kInt16, true);
  WriteShard(dir / "first.h5", info, 3);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  WriteShard(dir / "second.h5", info, 3);
  const std::string cmp = "cmp '" + (dir / "first.h5") + "' '" + (dir / "second.h5") + "'";
  std::string output;
  EXPECT_EQ(testing::RunCommand(cmp, &output), 0) << output;
}

TEST(ShardWriterTest, DestroyedWithoutCloseLeavesNoFile) {
  testing::TempDir dir;
  const std::string path = dir / "abandoned.h5";
  {
    ShardWriter writer(path, MakeInfo(ShardSampleFormat::kInt16, false));
    writer.Append(MakePair(0));
    EXPECT_TRUE(fs::exists(path + ".tmp"));
    EXPECT_FALSE(fs::exists(path));
  }
  EXPECT_FALSE(fs::exists(path));
  EXPECT_FALSE(fs::exists(path + ".tmp"));
}

TEST(ShardWriterTest, RejectsBadPairsAndStaysUsable) {
  testing::TempDir dir;
  const std::string path = dir / "checked.h5";
  ShardWriter writer(path, MakeInfo(ShardSampleFormat::kInt16, true));
  JndPair loud = MakePair(0);
  loud.b[10] = 1.5f;
  EXPECT_TRUE(Contains(ErrorOf([&] { writer.Append(loud); }), "b[10] = 1.5, outside [-1, 1]"));
  JndPair broken = MakePair(0);
  broken.a[3] = std::nanf("");
  EXPECT_TRUE(Contains(ErrorOf([&] { writer.Append(broken); }), "a[3] = nan"));
  JndPair short_pair = MakePair(0);
  short_pair.noise_b.pop_back();
  EXPECT_TRUE(Contains(ErrorOf([&] { writer.Append(short_pair); }), "15999 samples in noise_b"));
  EXPECT_EQ(writer.pairs(), 0);

  writer.Append(MakePair(1));
  writer.Close();
  EXPECT_TRUE(Contains(ErrorOf([&] { writer.Append(MakePair(2)); }), "already closed"));
  EXPECT_EQ(ShardReader(path).pairs(), 1);
}

TEST(ShardWriterTest, MissingFolderFailsAtCreation) {
  const std::string path = "/nonexistent-jsqa-folder/pairs-00000-of-00001.h5";
  const std::string message =
      ErrorOf([&] { ShardWriter(path, MakeInfo(ShardSampleFormat::kInt16, false)); });
  EXPECT_EQ(message, path + ": cannot write shard: No such file or directory");
}

TEST(ShardWriterTest, FolderRemovedBeforeCloseFailsAndLeavesNoFile) {
  testing::TempDir dir;
  const std::string folder = dir / "shards";
  fs::create_directory(folder);
  const std::string path = folder + "/pairs-00000-of-00001.h5";
  ShardWriter writer(path, MakeInfo(ShardSampleFormat::kInt16, false));
  writer.Append(MakePair(0));
  fs::remove_all(folder);
  const std::string message = ErrorOf([&] { writer.Close(); });
  EXPECT_TRUE(Contains(message, path + ": cannot write shard: ")) << message;
  EXPECT_TRUE(Contains(message, "No such file or directory")) << message;
  EXPECT_FALSE(fs::exists(path));
}

// Unmounts on scope exit, after everything declared later is gone.
class TmpfsMount {
 public:
  explicit TmpfsMount(const std::string& path) : path_(path) {
    mounted_ = ::mount("tmpfs", path.c_str(), "tmpfs", 0, "size=1M") == 0;
  }
  ~TmpfsMount() {
    if (mounted_) ::umount(path_.c_str());
  }
  TmpfsMount(const TmpfsMount&) = delete;
  TmpfsMount& operator=(const TmpfsMount&) = delete;
  bool mounted() const { return mounted_; }

 private:
  std::string path_;
  bool mounted_ = false;
};

// A 1 MiB tmpfs, partly filled beforehand, so that the disk runs out at
// creation, at some Append or at Close: every case ends in a complete shard
// or in a clean jsqa::Error that leaves no file behind.
TEST(ShardWriterTest, FullDiskIsACleanErrorWhereverItHappens) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to mount a 1 MiB tmpfs";
  testing::TempDir dir;
  const std::string mount_point = dir / "full";
  fs::create_directory(mount_point);
  const TmpfsMount tmpfs(mount_point);
  if (!tmpfs.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here";
  const std::string path = mount_point + "/pairs-00000-of-00001.h5";
  const std::string filler = mount_point + "/filler";

  int complete = 0;
  int failed = 0;
  for (size_t filler_kib = 0; filler_kib <= 1024; filler_kib += 32) {
    SCOPED_TRACE(filler_kib);
    testing::WriteBytes(filler, std::string(filler_kib << 10, 'x'));
    try {
      // 8 pairs of 2 × 32 KB int16.
      ShardWriter writer(path, MakeInfo(ShardSampleFormat::kInt16, false));
      for (int i = 0; i < 8; ++i) writer.Append(MakePair(i));
      writer.Close();
      ++complete;
      EXPECT_EQ(ShardReader(path).pairs(), 8);
    } catch (const Error& error) {
      ++failed;
      EXPECT_EQ(std::string(error.what()), path + ": cannot write shard: No space left on device");
      EXPECT_FALSE(fs::exists(path));
    }
    EXPECT_FALSE(fs::exists(path + ".tmp"));
    fs::remove(path);
    fs::remove(filler);
  }
  EXPECT_GT(complete, 0);
  EXPECT_GT(failed, 0);
}

// Rewrites the schema_version attribute through the HDF5 C API, as a future
// (or foreign) writer would have written it.
void SetSchemaVersion(const std::string& path, int version) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  const hid_t attribute = H5Aopen(file, "schema_version", H5P_DEFAULT);
  ASSERT_GE(attribute, 0);
  EXPECT_GE(H5Awrite(attribute, H5T_NATIVE_INT, &version), 0);
  EXPECT_GE(H5Aclose(attribute), 0);
  EXPECT_GE(H5Fclose(file), 0);
}

TEST(ShardReaderTest, RejectsOtherSchemaVersion) {
  testing::TempDir dir;
  const std::string path = dir / "future.h5";
  WriteShard(path, MakeInfo(ShardSampleFormat::kInt16, false), 1);
  SetSchemaVersion(path, 3);
  const std::string message = ErrorOf([&] { ShardReader reader(path); });
  EXPECT_TRUE(Contains(message, path + ": shard schema version 3, this build reads 1 to 2")) << message;
}

// A version 1 shard, as the previous writer made it: no chain columns.
TEST(ShardReaderTest, ReadsVersionOneShardsAsNoiseOnlyPairs) {
  testing::TempDir dir;
  const std::string path = dir / "v1.h5";
  WriteShard(path, MakeInfo(ShardSampleFormat::kInt16, false), 3);
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  for (const char* name : {"dimension", "chain", "steps_a", "steps_b"}) EXPECT_GE(H5Ldelete(file, name, H5P_DEFAULT), 0);
  EXPECT_GE(H5Fclose(file), 0);
  SetSchemaVersion(path, 1);
  const ShardReader reader(path);
  EXPECT_EQ(reader.info().schema_version, 1);
  ASSERT_EQ(reader.pairs(), 3);
  for (int64_t i = 0; i < 3; ++i) {
    const JndPair pair = reader.Read(i);
    EXPECT_EQ(pair.utterance_id, MakePair(static_cast<int>(i)).utterance_id);
    EXPECT_EQ(pair.dimension, "snr");
    EXPECT_EQ(pair.chain, "noise");
    EXPECT_EQ(pair.steps_a, "[]");
  }
}

TEST(ShardReaderTest, RejectsMissingAndForeignFiles) {
  testing::TempDir dir;
  const std::string missing = dir / "missing.h5";
  EXPECT_TRUE(Contains(ErrorOf([&] { ShardReader reader(missing); }),
                       missing + ": cannot read shard: No such file or directory"));

  const std::string text = dir / "text.h5";
  testing::WriteBytes(text, "pairs, but not HDF5\n");
  EXPECT_TRUE(Contains(ErrorOf([&] { ShardReader reader(text); }), text + ": not an HDF5 file"));

  const std::string foreign = dir / "foreign.h5";
  const hid_t file = H5Fcreate(foreign.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  H5Fclose(file);
  EXPECT_TRUE(Contains(ErrorOf([&] { ShardReader reader(foreign); }),
                       foreign + ": not a jsqa shard (no schema_version attribute)"));
}

// Overwrites bytes of a copy of path at offset.
std::string CorruptedCopy(const std::string& path, const std::string& copy, size_t offset) {
  std::string bytes = testing::ReadBytes(path);
  for (size_t i = offset; i < std::min(bytes.size(), offset + 64); ++i) bytes[i] ^= 0x5a;
  testing::WriteBytes(copy, bytes);
  return copy;
}

// The middle of a shard is audio chunks; each carries a Fletcher32 checksum,
// so damage there makes Read() of that pair throw (the others still read).
TEST(ShardReaderTest, CorruptedChunkThrowsOnRead) {
  testing::TempDir dir;
  const std::string path = dir / "good.h5";
  WriteShard(path, MakeInfo(ShardSampleFormat::kInt16, false), 4);
  const std::string bad = CorruptedCopy(path, dir / "bad.h5", fs::file_size(path) / 2);

  const ShardReader reader(bad);
  ASSERT_EQ(reader.pairs(), 4);
  int failures = 0;
  for (int i = 0; i < 4; ++i) {
    try {
      EXPECT_EQ(reader.Read(i).utterance_id, MakePair(i).utterance_id);
    } catch (const Error& error) {
      ++failures;
      EXPECT_TRUE(Contains(error.what(), bad + ": cannot read pair " + std::to_string(i) +
                                             ": data error detected by Fletcher32 checksum"))
          << error.what();
    }
  }
  EXPECT_EQ(failures, 1);
}

// Damage anywhere (headers, indexes, metadata, audio) gives either a
// jsqa::Error or data, never a crash or another exception type.
TEST(ShardReaderTest, DamageAnywhereIsAnErrorOrData) {
  testing::TempDir dir;
  const std::string path = dir / "good.h5";
  WriteShard(path, MakeInfo(ShardSampleFormat::kFloat32, true), 2);
  const size_t size = fs::file_size(path);
  int errors = 0;
  for (size_t offset = 0; offset < size; offset += 1024) {
    SCOPED_TRACE(offset);
    try {
      const ShardReader reader(CorruptedCopy(path, dir / "bad.h5", offset));
      for (int64_t i = 0; i < reader.pairs(); ++i) reader.Read(i);
    } catch (const Error&) {
      ++errors;
    }
  }
  EXPECT_GT(errors, 0);
}

// The first Python with h5py, "" if none: a python3 earlier on PATH (pyenv,
// a venv) may lack Debian's python3-h5py.
std::string PythonWithH5py() {
  for (const std::string python : {"python3", "/usr/bin/python3"}) {
    if (testing::RunCommand(python + " -c 'import h5py'") == 0) return python;
  }
  return "";
}

// tools/read_shard_example.py (quoted in the README) reads what we wrote.
TEST(ShardIoTest, H5pyReadsPairZero) {
  const std::string python = PythonWithH5py();
  if (python.empty()) GTEST_SKIP() << "no Python with h5py";
  const fs::path source_root = fs::path(__FILE__).parent_path().parent_path().parent_path();
  const std::string script = (source_root / "tools" / "read_shard_example.py").string();
  std::string usage;
  EXPECT_EQ(testing::RunCommand(python + " '" + script + "'", &usage), 1) << usage;
  EXPECT_NE(usage.find("Usage: python3 read_shard_example.py pairs-00000-of-00001.h5"), std::string::npos) << usage;
  testing::TempDir dir;
  for (ShardSampleFormat format : {ShardSampleFormat::kInt16, ShardSampleFormat::kFloat32}) {
    const std::string path = dir / "pairs-00000-of-00001.h5";
    WriteShard(path, MakeInfo(format, false), 2);
    std::string output;
    ASSERT_EQ(testing::RunCommand(python + " '" + script + "' '" + path + "'", &output), 0)
        << output;

    const JndPair written = MakePair(0);
    std::istringstream lines(output);
    std::string key, value, unit;
    lines >> key >> value;
    EXPECT_EQ(key + " " + value, "utterance_id " + written.utterance_id) << output;
    double snr_a = 0.0, snr_b = 0.0;
    lines >> key >> snr_a >> unit;
    EXPECT_EQ(snr_a, written.snr_a_db) << output;
    lines >> key >> snr_b >> unit;
    EXPECT_EQ(snr_b, written.snr_b_db) << output;
    std::string chain_key, chain;
    lines >> key >> value >> chain_key >> chain;
    EXPECT_EQ(key + " " + value + " " + chain_key + " " + chain, "dimension snr chain noise") << output;
    for (const std::vector<float>* mixture : {&written.a, &written.b}) {
      size_t samples = 0;
      lines >> key >> samples >> unit;
      EXPECT_EQ(samples, static_cast<size_t>(kSegment)) << output;
      for (size_t i = 0; i < 8; ++i) {
        float sample = 0.0f;
        lines >> sample;
        // Printed with 6 decimals.
        EXPECT_NEAR(sample, (*mixture)[i], 0.5f * kInt16Step + 5e-7f) << key << "[" << i << "]";
      }
      lines >> unit;  // "..."
    }
    EXPECT_TRUE(lines) << output;
  }
}

}  // namespace
}  // namespace jsqa
