#!/usr/bin/env python3
"""The pretraining step of model/pretrain.cc in Python PyTorch, for train_bench.

The same architecture (model/encoder.cc, model/heads.cc), loss
(model/nt_xent.cc) and optimiser (Adam, lr 1e-4) as the C++ step, on the
same libtorch build (Debian python3-torch): encoder forward on [2B, samples]
(both views), contrastive head, NT-Xent, backward, Adam step. Prints one JSON
line: {"model", "batch", "steps", "seconds", "segments_per_second", ...}.

With --serve (how train_bench runs it, so that its C++ steps and these
alternate and share whatever else loads the machine): after the warm-up it
prints {"ready": true, ...}, then runs one step per line read from stdin
and prints {"seconds": s} for each, until end of input.

Usage: train_step.py --model default|small [--batch B] [--warmup W] [--steps S]
                     [--threads T] [--seconds 4] [--serve]
"""
import argparse
import json
import sys
import time

import torch

# model/encoder.h's EncoderOptions defaults and configs/demo.ini's [model].
MODELS = {
    "default": {
        "channels": [32, 32, 64, 64, 128, 128, 256, 256, 256, 256, 512, 512, 512, 512, 512, 512],
        "strides": [2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1],
        "contrastive_size": 256,
        "batch": 4,
    },
    "small": {
        "channels": [16, 16, 32, 32, 64, 64, 128, 128],
        "strides": [2, 2, 2, 2, 2, 2, 2, 2],
        "contrastive_size": 64,
        "batch": 8,
    },
}
KERNEL_SIZE = 15
NEGATIVE_SLOPE = 0.01
TEMPERATURE = 0.1


class Encoder(torch.nn.Module):
    """Conv1d (no bias, kernel 15, same padding) + BatchNorm1d + LeakyReLU per layer, mean over time."""

    def __init__(self, channels, strides):
        super().__init__()
        layers = []
        in_channels = 1
        for out_channels, stride in zip(channels, strides):
            layers += [
                torch.nn.Conv1d(in_channels, out_channels, KERNEL_SIZE, stride=stride, padding=KERNEL_SIZE // 2,
                                bias=False),
                torch.nn.BatchNorm1d(out_channels),
                torch.nn.LeakyReLU(NEGATIVE_SLOPE),
            ]
            in_channels = out_channels
        self.layers = torch.nn.Sequential(*layers)

    def forward(self, waveform):  # [batch, samples] -> [batch, channels]
        return self.layers(waveform.unsqueeze(1)).mean(2)


class PretrainModel(torch.nn.Module):
    def __init__(self, channels, strides, contrastive_size):
        super().__init__()
        self.encoder = Encoder(channels, strides)
        self.head = torch.nn.Linear(channels[-1], contrastive_size)

    def forward(self, waveform):
        return self.head(self.encoder(waveform))


def nt_xent(a, b, temperature):
    """model/nt_xent.cc: mean cross entropy over all 2N anchors, positives i <-> i + N."""
    n = a.size(0)
    z = torch.nn.functional.normalize(torch.cat([a, b], 0), dim=1)
    logits = torch.matmul(z, z.t()) / temperature
    logits = logits.masked_fill(torch.eye(2 * n, dtype=torch.bool), float("-inf"))
    index = torch.arange(n)
    targets = torch.cat([index + n, index])
    return torch.nn.functional.cross_entropy(logits, targets)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=sorted(MODELS), default="default")
    parser.add_argument("--batch", type=int, default=0, help="pairs per step (0: the model's default)")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=4.0, help="segment length at 16 kHz")
    parser.add_argument("--serve", action="store_true", help="one step per stdin line (see above)")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    spec = MODELS[args.model]
    batch = args.batch or spec["batch"]
    samples = int(round(args.seconds * 16000))
    model = PretrainModel(spec["channels"], spec["strides"], spec["contrastive_size"])
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    # Both views in one pass, as model/pretrain.cc does: [2B, samples] in [-1, 1].
    waveforms = torch.rand(2 * batch, samples) * 2 - 1

    def step():
        z = model(waveforms)
        loss = nt_xent(z[:batch], z[batch:], TEMPERATURE)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss.item()

    for _ in range(args.warmup):
        step()
    about = {
        "model": args.model,
        "batch": batch,
        "threads": torch.get_num_threads(),
        "parameters": sum(p.numel() for p in model.encoder.parameters()),
        "torch_version": torch.__version__,
    }
    if args.serve:
        print(json.dumps(dict(about, ready=True)), flush=True)
        while sys.stdin.readline():
            start = time.perf_counter()
            step()
            print(json.dumps({"seconds": time.perf_counter() - start}), flush=True)
        return 0
    start = time.perf_counter()
    for _ in range(args.steps):
        step()
    seconds = time.perf_counter() - start
    print(json.dumps(dict(about, steps=args.steps, seconds=seconds,
                          segments_per_second=args.steps * 2 * batch / seconds)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
