#!/usr/bin/env bash
# Installs every system package embkit needs on Debian 12. Idempotent: when everything is
# already installed it only checks and returns.
#   scripts/setup.sh          build dependencies (library, CLI, demo)
#   scripts/setup.sh --test   plus what the tests need (GoogleTest, gensim and hnswlib for reference values,
#                             clang with libFuzzer for scripts/fuzz.sh)
#   scripts/setup.sh --bench  plus the benchmark anchors (gensim, fastText, FAISS, hnswlib, OpenBLAS, hyperfine)
set -euo pipefail

build_pkgs=(build-essential cmake pkg-config xz-utils
  libcli11-dev libfmt-dev nlohmann-json3-dev libfast-float-dev
  zlib1g-dev liblzma-dev libzstd-dev libopenblas-dev libeigen3-dev libspectra-dev liblinear-dev
  libfaiss-dev libhnswlib-dev libcairo2-dev fonts-dejavu-core)
test_pkgs=(libgtest-dev libgmock-dev python3 python3-numpy python3-scipy python3-gensim python3-sklearn
  pybind11-dev python3-pybind11 python3-pytest python3-dev python3-setuptools python3-wheel python3-pip python3-venv
  python3-hnswlib clang libclang-rt-14-dev libomp-dev zstd fasttext)
bench_pkgs=(python3-numpy python3-scipy python3-sklearn python3-gensim python3-faiss python3-hnswlib libopenblas0-pthread hyperfine time fasttext fortunes)

want=("${build_pkgs[@]}")
for arg in "$@"; do
  case "$arg" in
    --test) want+=("${test_pkgs[@]}") ;;
    --bench) want+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
    *) echo "setup.sh: unknown option $arg (use --test or --bench)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
