#!/usr/bin/env bash
# Makes the default JND SVM, configs/jnd-svm.model, reproducibly: 6000 pairs
# of Debian's recorded speech (pocketsphinx-testdata's LibriVox clips,
# alsa-utils' voices) over alsa-utils' Noise.wav and speech babble (the
# voices again), labelled by the published-threshold prior (McShefferty,
# Whitmer & Akeroyd 2015), then the SVM trained on them.
#
# The prior spans every Δ and lower SNR a config may ask for (Δ to 20 dB,
# s from -5 dB less Δ to 30 dB), with a margin: the model refuses queries
# outside what it was trained on. The model uses snr_db and delta_db only:
# the prior's labels depend on nothing else, and a model that used the
# noise's features would extrapolate for noise unlike these few files.
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
  --out configs/jnd-prior-judgments.csv --count 6000 --seed 1 --snr-min -30 --snr-max 30 --delta-max 24
"$jsqa" jnd-svm train --judgments configs/jnd-prior-judgments.csv --out configs/jnd-svm.model \
  --features snr_db,delta_db
