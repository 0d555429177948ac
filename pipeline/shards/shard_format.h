// The HDF5 shard schema (version 2), shared by writer, reader and docs.
//
// File  pairs-<index>-of-<count>.h5 (index 5 digits, zero-padded)
// Datasets, N = pairs in the shard, L = segment samples:
//   a, b          [N, L] int16 (full scale 32767) or float32; chunk [1, L]
//   clean         [N, L] float32   (only with store_components)
//   noise_a/_b    [N, L] float32   (only with store_components)
//   snr_a, snr_b  [N] float64, dB, realised on the stored float components
//   gain_a/_b     [N] float64, linear gain applied to (clean + noise_*)
//   jnd_probability [N] float64
//   draws         [N] int32
//   segment       [N] int32
//   item_index    [N] int64
//   noise_offset  [N] int64, samples at sample_rate
//   utterance_id, noise_id  [N] variable-length UTF-8 strings
//   dimension     [N] string, what the pair differs in ("snr", "codec_mode", ...)   (version 2)
//   chain         [N] string, the base chain ("noise>amr_wb>packet_loss")            (version 2)
//   steps_a/_b    [N] string, JSON: the steps after the noise as applied to a / b,
//                 [{"degradation", "strength", "realised": {name: value}}]         (version 2)
// Version 1 shards (no chain columns) still read, as noise-only pairs.
// Attributes on "/": schema_version (int), generator_version (string),
//   sample_rate (int), segment_samples (int), sample_format ("int16"|"float32"),
//   seed (uint64), shard_index, shard_count (int), item_begin, item_end
//   (int64: the global items [begin, end) this shard covers), config (string:
//   the resolved synthesis settings).
#pragma once

namespace jsqa {

constexpr int kShardSchemaVersion = 2;
constexpr int kOldestReadableShardSchemaVersion = 1;
constexpr char kShardGeneratorVersion[] = "jsqa-pipeline synth 1";

}  // namespace jsqa
