#!/usr/bin/env bash
# Installs the Debian packages jsqa-pipeline builds, tests and demos with.
# Idempotent: does nothing (and prints nothing) when every package is present.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config ccache
  libtorch-dev libgloo-dev libtbb-dev
  libsndfile1-dev libsoxr-dev libsamplerate0-dev
  libhdf5-dev libboost-program-options-dev libsvm-dev nlohmann-json3-dev
  libplplot-dev plplot-driver-cairo
  googletest libgtest-dev
  clang libclang-rt-dev llvm
  pocketsphinx-testdata alsa-utils
  python3-h5py python3-numpy python3-torch
  slurmctld slurmd slurm-client munge
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
