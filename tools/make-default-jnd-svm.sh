#!/usr/bin/env bash
# Makes the default JND SVM, configs/jnd-svm.model, reproducibly: 2000 pairs
# of Debian's recorded speech (pocketsphinx-testdata's LibriVox clips,
# alsa-utils' voices) over alsa-utils' Noise.wav and speech babble (the
# voices again), labelled by the published-threshold prior (McShefferty,
# Whitmer & Akeroyd 2015), then the SVM trained on them.
#
# usage: tools/make-default-jnd-svm.sh [BUILD_DIR]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
jsqa="${1:-build}/jsqa-pipeline"
alsa=/usr/share/sounds/alsa

"$jsqa" jnd-svm prior \
  --speech /usr/share/pocketsphinx/test/data/librivox \
           $alsa/Front_Center.wav $alsa/Front_Left.wav $alsa/Front_Right.wav $alsa/Rear_Center.wav \
           $alsa/Rear_Left.wav $alsa/Rear_Right.wav $alsa/Side_Left.wav $alsa/Side_Right.wav \
  --noise $alsa \
  --out configs/jnd-prior-judgments.csv --count 2000 --seed 1
"$jsqa" jnd-svm train --judgments configs/jnd-prior-judgments.csv --out configs/jnd-svm.model
