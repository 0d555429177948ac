#!/usr/bin/env bash
# Installs the Debian packages jsqa-pipeline builds, tests and demos with.
# Idempotent: does nothing (and prints nothing) when every package is present.
#
#   tools/install-deps.sh torch-wheel VENV VERSION
# also puts PyTorch's own libtorch VERSION (the CUDA wheel from PyPI, which
# Debian lacks) into the virtual environment VENV, once: `make torch2`
# builds and tests against it beside Debian's 1.13.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config ccache
  libtorch-dev libgloo-dev libtbb-dev
  libsndfile1-dev libsoxr-dev libsamplerate0-dev
  libhdf5-dev libboost-program-options-dev libsvm-dev nlohmann-json3-dev
  libfftw3-dev libssl-dev
  libopus-dev libopencore-amrnb-dev libopencore-amrwb-dev libvo-amrwbenc-dev libspandsp-dev libgsm1-dev
  libplplot-dev plplot-driver-cairo
  libsqlite3-dev libcpp-httplib-dev chromium chromium-driver python3-selenium fonts-dejavu-core
  googletest libgtest-dev
  clang libclang-rt-dev llvm
  pocketsphinx-testdata alsa-utils
  python3-h5py python3-numpy python3-torch python3-venv
  slurmctld slurmd slurm-client munge
)

install_torch_wheel() {
  local venv=$1 version=$2
  local python="$venv/bin/python"
  if [ -x "$python" ] && [ "$("$python" -c 'import torch; print(torch.__version__.split("+")[0])' 2>/dev/null)" = "$version" ]; then
    return 0
  fi
  echo "install-deps: installing torch==$version (PyPI, CUDA wheel) into $venv" >&2
  rm -rf "$venv"
  # The venv's python is the one on PATH (Debian's, or the machine's own).
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "torch==$version"
}

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "${1:-}" = torch-wheel ]; then
  install_torch_wheel "$2" "$3"
fi
