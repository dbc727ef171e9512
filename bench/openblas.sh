#!/usr/bin/env bash
# Sourced by the side-by-side scripts: sets OPENBLAS_DIR to a folder holding OpenBLAS's libblas.so.3 and
# liblapack.so.3, so that numpy / scikit-learn / PyTorch can be run on OpenBLAS with
#   LD_LIBRARY_PATH="$OPENBLAS_DIR" ...
# Debian's python3-numpy and python3-torch call whatever libblas.so.3 the alternatives system points to; with only
# libblas3 installed that is the netlib reference BLAS (~4 GFLOP/s here), not a fair opponent. If the system has no
# OpenBLAS, Debian's libopenblas0-pthread is unpacked into bench/.openblas (git-ignored; nothing is installed).
_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OPENBLAS_DIR=""
for d in /usr/lib/x86_64-linux-gnu/openblas-pthread "$_root/bench/.openblas/usr/lib/x86_64-linux-gnu/openblas-pthread"; do
  if [[ -e "$d/libblas.so.3" ]]; then OPENBLAS_DIR="$(cd "$d" && pwd)"; break; fi
done
if [[ -z "$OPENBLAS_DIR" ]]; then
  echo "OpenBLAS not found; unpacking Debian's libopenblas0-pthread into bench/.openblas" >&2
  _tmp="$(mktemp -d)"
  (cd "$_tmp" && apt-get download libopenblas0-pthread >/dev/null 2>&1) || { echo "apt-get download libopenblas0-pthread failed (run apt-get update?)" >&2; rm -rf "$_tmp"; return 1 2>/dev/null || exit 1; }
  dpkg-deb -x "$_tmp"/libopenblas0-pthread_*.deb "$_root/bench/.openblas"
  rm -rf "$_tmp"
  OPENBLAS_DIR="$_root/bench/.openblas/usr/lib/x86_64-linux-gnu/openblas-pthread"
fi
export OPENBLAS_DIR
