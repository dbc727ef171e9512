#!/usr/bin/env bash
# Side-by-side speed of one full training step (Adam, L1 prox + L2, dropout 0.2):
# Occam (bench/Occam.Bench `steps`) against PyTorch (bench/torch_steps.py, Debian python3-torch).
#
# Usage: bench/steps_vs_torch.sh [--quick] [--fetch-openblas] [--system-blas] [--torch-only]
#   --quick           shorter timing loops on the PyTorch side (noisier)
#   --fetch-openblas  download Debian's libopenblas0-pthread with `apt-get download` and unpack it
#                     into bench/.openblas/ (git-ignored; nothing is installed system-wide)
#   --system-blas     run torch with whatever libblas.so.3 the system provides, even if
#                     bench/.openblas/ exists
#   --torch-only      skip the Occam side
# Environment: TORCH_BLAS_DIR=<dir holding libblas.so.3> overrides the BLAS torch loads.
#
# Why the BLAS matters: Debian's python3-torch calls whatever libblas.so.3 the alternatives system
# points to. With only libblas3 installed that is the netlib reference BLAS (~4 GFLOP/s here),
# which makes PyTorch look far slower than it is; with OpenBLAS it is a fair comparison.
#
# Both sides print JSON lines {"net":..,"batch":..,"threads":..,"usPerStep":..}; the table joins
# them on (net, batch, threads) and prints ratio = PyTorch µs / Occam µs (> 1: Occam is faster).
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0; fetch=0; system_blas=0; torch_only=0
for a in "$@"; do
  case "$a" in
    --quick) quick=1 ;;
    --fetch-openblas) fetch=1 ;;
    --system-blas) system_blas=1 ;;
    --torch-only) torch_only=1 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "steps_vs_torch.sh: unknown option '$a' (see --help)" >&2; exit 2 ;;
  esac
done

PY=/usr/bin/python3
if ! "$PY" -c 'import torch' 2>/dev/null; then
  echo "steps_vs_torch.sh: $PY cannot import torch; install it with 'apt-get install -y python3-torch'" >&2
  exit 1
fi

obdir=bench/.openblas/usr/lib/x86_64-linux-gnu/openblas-pthread
if [[ $fetch == 1 && ! -e $obdir/libblas.so.3 ]]; then
  mkdir -p bench/.openblas/deb
  (cd bench/.openblas/deb && apt-get download libopenblas0-pthread)
  dpkg -x bench/.openblas/deb/libopenblas0-pthread_*.deb bench/.openblas
fi
blasdir=""
if [[ -n ${TORCH_BLAS_DIR:-} ]]; then
  blasdir=$TORCH_BLAS_DIR
elif [[ $system_blas == 0 && -e $obdir/libblas.so.3 ]]; then
  blasdir=$PWD/$obdir
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
qflag=(); [[ $quick == 1 ]] && qflag=(--quick)

# --- Occam side first (the two sides never run at the same time) -------------------------------
occam_note=""
if [[ $torch_only == 1 ]]; then
  occam_note="Occam side skipped (--torch-only)."
elif ! grep -rqs --include='*.cs' '"steps"' bench/Occam.Bench; then
  occam_note="Occam side absent: bench/Occam.Bench has no 'steps' command yet; showing PyTorch only."
else
  echo "running Occam: dotnet run -c Release --project bench/Occam.Bench -- steps" >&2
  rc=0
  timeout 1800 dotnet run -c Release --project bench/Occam.Bench -- steps \
      </dev/null >"$tmp/occam.out" 2>"$tmp/occam.err" || rc=$?
  if [[ $rc != 0 ]]; then
    occam_note="Occam side failed (exit $rc); its last output lines:"$'\n'"$(tail -n 5 "$tmp/occam.err" "$tmp/occam.out")"
  elif ! grep -q '"usPerStep"' "$tmp/occam.out"; then
    occam_note="Occam side printed no JSON lines with \"usPerStep\"; its last output lines:"$'\n'"$(tail -n 5 "$tmp/occam.out")"
  fi
fi
[[ -e $tmp/occam.out ]] || : >"$tmp/occam.out"

# --- PyTorch side ---------------------------------------------------------------------------------
echo "running PyTorch: $PY bench/torch_steps.py ${qflag[*]:-}${blasdir:+ (LD_LIBRARY_PATH=$blasdir)}" >&2
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_WAIT_POLICY=PASSIVE \
    ${blasdir:+LD_LIBRARY_PATH=$blasdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}} \
    "$PY" bench/torch_steps.py "${qflag[@]}" >"$tmp/torch.out"

if [[ -n $occam_note ]]; then echo "$occam_note" >&2; fi

# --- join ------------------------------------------------------------------------------------------
"$PY" bench/steps_table.py "$tmp/occam.out" "$tmp/torch.out"
