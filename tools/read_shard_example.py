#!/usr/bin/env python3
"""Prints pair 0 of a jsqa-pipeline HDF5 shard (schema: pipeline/shards/shard_format.h).

Usage: python3 read_shard_example.py pairs-00000-of-00001.h5
"""
import sys

if len(sys.argv) != 2 or sys.argv[1] in ("-h", "--help"):
    sys.exit(__doc__.strip())

import json

import h5py

with h5py.File(sys.argv[1], "r") as shard:
    # int16 shards store round(x * 32767); float32 shards store x itself.
    scale = 32767.0 if shard.attrs["sample_format"] == "int16" else 1.0
    a = shard["a"][0] / scale  # [segment_samples] in [-1, 1], at snr_a
    b = shard["b"][0] / scale  # the same clean and noise, at snr_b
    print("utterance_id", shard["utterance_id"].asstr()[0])
    print("snr_a", shard["snr_a"][0], "dB")
    print("snr_b", shard["snr_b"][0], "dB")
    if shard.attrs["schema_version"] >= 2:  # version 1 shards hold noise-only pairs
        print("dimension", shard["dimension"].asstr()[0], "chain", shard["chain"].asstr()[0])
        for step in json.loads(shard["steps_a"].asstr()[0]):
            print("  a:", step["degradation"], step["strength"], step["realised"])
    for name, mixture in (("a", a), ("b", b)):
        print(name, len(mixture), "samples:", " ".join(f"{x:.6f}" for x in mixture[:8]), "...")
