#!/usr/bin/env bash
# Side by side: Occam's SGEMM (`Occam.Bench gemm-quick`) against OpenBLAS through numpy, on the same
# shapes (m×k×n = 512×512×512 and 256×784×512), 1 and 2 threads, best of repeated calls.
#   bash bench/gemm_vs_openblas.sh [SECONDS_PER_CASE (1.5)] [ROUNDS (3)]
# Needs Debian's /usr/bin/python3 with numpy. If numpy is not linked to OpenBLAS (Debian's default
# libblas3 is the slow reference BLAS), the script unpacks Debian's libopenblas0-pthread into
# bench/.openblas with `apt-get download` (no system change) and puts it first on LD_LIBRARY_PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_CASE="${1:-1.5}"
ROUNDS="${2:-3}"
PY=/usr/bin/python3

source "$(dirname "$0")/openblas.sh"
openblas_dir="$OPENBLAS_DIR"

dotnet build -c Release bench/Occam.Bench -v q -nologo >/dev/null
# Interleave the two libraries, ROUNDS times, and keep the best of each: the machine is shared.
ours=""
theirs=""
for round in $(seq "$ROUNDS"); do
  for t in 1 2; do
    ours+="$(dotnet bench/Occam.Bench/bin/Release/net10.0/linux-x64/Occam.Bench.dll gemm-quick --seconds "$SECONDS_PER_CASE" --threads "$t" \
      --shape 512x512x512 --shape 256x784x512)"$'\n'
    theirs+="$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=$t OMP_NUM_THREADS=$t \
      LD_LIBRARY_PATH="$openblas_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
      "$PY" bench/gemm_vs_openblas.py "$SECONDS_PER_CASE" "$t")"$'\n'
  done
done

OURS="$ours" THEIRS="$theirs" "$PY" - <<'PYEOF'
import json, os

def best(text):
    table = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        if "gflops" in r:
            key = (r["shape"], r["threads"])
            table[key] = max(table.get(key, 0.0), r["gflops"])
    return table

ours, theirs = best(os.environ["OURS"]), best(os.environ["THEIRS"])
print(f"{'shape (m x k x n)':<18} {'threads':>7} {'Occam GFLOP/s':>14} {'OpenBLAS GFLOP/s':>17} {'ratio':>7}")
for key in sorted(theirs):
    o, t = ours.get(key, float("nan")), theirs[key]
    print(f"{key[0]:<18} {key[1]:>7} {o:>14.1f} {t:>17.1f} {o / t:>7.2f}")
PYEOF
