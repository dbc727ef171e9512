#!/usr/bin/env bash
# Side by side: Occam's SGEMM (`Occam.Bench gemm-quick`) against OpenBLAS through numpy, on the same
# shapes (m×k×n = 512×512×512 and 256×784×512), 1 and 2 threads, best of repeated calls.
#   bash bench/gemm_vs_openblas.sh [SECONDS_PER_CASE]
# Needs Debian's /usr/bin/python3 with numpy. If numpy is not linked to OpenBLAS (Debian's default
# libblas3 is the slow reference BLAS), the script unpacks Debian's libopenblas0-pthread into
# bench/.openblas with `apt-get download` (no system change) and puts it first on LD_LIBRARY_PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_CASE="${1:-2}"
PY=/usr/bin/python3

openblas_dir=""
for d in /usr/lib/x86_64-linux-gnu/openblas-pthread bench/.openblas/usr/lib/x86_64-linux-gnu/openblas-pthread; do
  if [[ -e "$d/libblas.so.3" ]]; then openblas_dir="$(cd "$d" && pwd)"; break; fi
done
if [[ -z "$openblas_dir" ]]; then
  echo "OpenBLAS not found; unpacking Debian's libopenblas0-pthread into bench/.openblas" >&2
  tmp="$(mktemp -d)"
  (cd "$tmp" && apt-get download libopenblas0-pthread >/dev/null 2>&1)
  dpkg-deb -x "$tmp"/libopenblas0-pthread_*.deb bench/.openblas
  rm -rf "$tmp"
  openblas_dir="$(cd bench/.openblas/usr/lib/x86_64-linux-gnu/openblas-pthread && pwd)"
fi

dotnet build -c Release bench/Occam.Bench -v q -nologo >/dev/null
ours="$(dotnet bench/Occam.Bench/bin/Release/net10.0/Occam.Bench.dll gemm-quick --seconds "$SECONDS_PER_CASE")"
theirs=""
for t in 1 2; do
  theirs+="$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=$t OMP_NUM_THREADS=$t \
    LD_LIBRARY_PATH="$openblas_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
    "$PY" bench/gemm_vs_openblas.py "$SECONDS_PER_CASE" "$t")"$'\n'
done

OURS="$ours" THEIRS="$theirs" "$PY" - <<'PYEOF'
import json, os
ours = {(r["shape"], r["threads"]): r["gflops"] for r in map(json.loads, os.environ["OURS"].split("\n")) if r}
theirs = {(r["shape"], r["threads"]): r["gflops"] for r in (json.loads(l) for l in os.environ["THEIRS"].split("\n") if l.strip())}
print(f"{'shape (m x k x n)':<18} {'threads':>7} {'Occam GFLOP/s':>14} {'OpenBLAS GFLOP/s':>17} {'ratio':>7}")
for key in sorted(theirs, key=lambda k: (k[0], k[1])):
    o, t = ours.get(key, float("nan")), theirs[key]
    print(f"{key[0]:<18} {key[1]:>7} {o:>14.1f} {t:>17.1f} {o / t:>7.2f}")
PYEOF
