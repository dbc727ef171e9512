#!/usr/bin/env bash
# Issue 8's speed check: `occam sweep --jobs 2` against `--jobs 1` on the same sweep (16 trials × 4 folds, 64-512-10, 80 epochs, on digits),
# timed in this script on this machine. Prints the machine, both wall times, the speed-up (target ≥ 1.7× on 2 cores)
# and whether the two studies hold identical trial results (they must: a trial depends only on its settings and seed).
# Usage: bench/sweep_jobs.sh   (needs a quiet machine; ~1 min on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
dotnet build src/Occam.Cli -c Release -v q --nologo >/dev/null
occam=src/Occam.Cli/bin/Release/net10.0/Occam.Cli
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs, avx512f: $(grep -qw avx512f /proc/cpuinfo && echo yes || echo no)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
sweep() {
  "$occam" sweep --data data/digits.csv --target digit --hidden 512 --epochs 80 --seed 1 \
    --search "l1=log(1e-5,1e-2,8);dropout=0,0.2" --folds 4 --jobs "$1" --study "$out/jobs$1.db" >/dev/null
}
declare -A wall
for jobs in 1 2; do
  start=$(date +%s.%N); sweep "$jobs"; end=$(date +%s.%N)
  wall[$jobs]=$(echo "$end - $start" | bc -l)
  "$occam" study export "$out/jobs$jobs.db" --out "$out/jobs$jobs.csv" >/dev/null
done
speedup=$(echo "${wall[1]} / ${wall[2]}" | bc -l)
printf 'jobs 1: %.1f s   jobs 2: %.1f s   speed-up %.2fx (target >= 1.70x on 2 cores): %s\n' "${wall[1]}" "${wall[2]}" "$speedup" \
  "$(echo "$speedup >= 1.7" | bc -l | sed 's/1/PASS/;s/0/FAIL/')"
# Identical results: every column but the per-trial seconds and the worker name.
strip() { python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
drop = {i for i, h in enumerate(rows[0]) if h in ("seconds", "worker")}
for r in rows: print(",".join(v for i, v in enumerate(r) if i not in drop))' "$1"; }
if diff <(strip "$out/jobs1.csv") <(strip "$out/jobs2.csv") >/dev/null; then
  echo "identical trial results with --jobs 1 and --jobs 2: yes ($(($(wc -l < "$out/jobs1.csv") - 1)) trials)"
else
  echo "identical trial results with --jobs 1 and --jobs 2: NO"; diff <(strip "$out/jobs1.csv") <(strip "$out/jobs2.csv") | head; exit 1
fi
