#!/usr/bin/env bash
# One entry for every speed ratio of issue 10, each against a reference timed in this same run on this machine.
#
#   bench/all.sh [--quick] [--avx2] [--only SECTIONS] [--out DIR]
#     --quick        shorter timing windows and fewer repeats (< 3 min; noisier)
#     --avx2         emulate an AVX2-only machine on an AVX-512 one: .NET with DOTNET_EnableAVX512=0 (Vector512 not
#                    accelerated, GEMM takes the Vector256 6x16 kernel), OpenBLAS with OPENBLAS_CORETYPE=Haswell,
#                    PyTorch with ATEN_CPU_CAPABILITY=avx2, scikit-learn's OpenBLAS in the linear section too
#                    (bench/linear/compare.sh --avx2); the machine line says "emulated AVX2". Not restricted:
#                    ONNX Runtime's own kernels; glmnet is compiled Fortran that uses no OpenBLAS kernel.
#     --only LIST    comma-separated subset of: gemm,steps,torch,train,infer,startup,linear (default: all)
#     --out DIR      where the raw JSON lines go (default bench/out/all-<UTC time>)
#
# Sections (bench/README.md explains each ratio and its target):
#   gemm     Occam SGEMM vs OpenBLAS cblas_sgemm (Debian libopenblas0-pthread, called in the same process through a
#            function pointer, same harness and data): 512³ and 256×784×512 in NN/NT/TN, every product of the three
#            nets' training steps, small shapes; 1 and 2 threads. Cross-check: the same OpenBLAS through numpy.
#   steps    training step (Adam, L1 prox + L2, dropout 0.2) efficiency E = Σ OpenBLAS time of the step's products
#            (same shapes, same threads) ÷ Occam's step time, both timed in alternating rounds of one process
#            (Occam.Bench efficiency); 2-8-1 step time.
#   torch    the same step in PyTorch 1.13 (Debian python3-torch on OpenBLAS): PyTorch time ÷ Occam time.
#   train    end to end: `occam train` on MNIST-10k (784-512-256-10, 10 epochs, batch 256, Adam + L1 + dropout) vs
#            steps alone, and vs the same job in PyTorch with a DataLoader.
#   infer    MlpPredictor (Mlp.CreatePredictor: weights packed once, as an ORT session does) vs ONNX Runtime (same
#            process, same network) at batch 256 and one row, Mlp.PredictScores as info; a pruned net.
#   startup  `occam --version` and `occam linear fit` on diabetes, CLI published ReadyToRun; saving the MNIST model in
#            process vs System.Text.Json's writer alone (info).
#   linear   lasso/elastic-net paths vs scikit-learn and glmnet; logistic paths vs glmnet and scikit-learn
#            saga/liblinear (bench/linear/compare.sh).
# OpenBLAS-based references run with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (in those commands only; --avx2: Haswell).
# Needs: the .NET 10 SDK; /usr/bin/python3 with numpy, torch (python3-torch), sklearn (python3-sklearn); Rscript with
# glmnet (r-cran-glmnet). OpenBLAS is found or unpacked by bench/openblas.sh (nothing is installed system-wide).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

quick=0
avx2=0
only="gemm,steps,torch,train,infer,startup,linear"
out=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=1 ;;
    --avx2) avx2=1 ;;
    --only) only="$2"; shift ;;
    --out) out="$2"; shift ;;
    -h|--help) sed -n '2,29p' "$0"; exit 0 ;;
    *) echo "all.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
want() { [[ ",$only," == *",$1,"* ]]; }
out="${out:-bench/out/all-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$out"
PY=/usr/bin/python3
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
# A reference that cannot run (a missing package) costs its rows, not the whole run.
failed() { log "FAILED: $1; its rows are missing from the table"; echo "$1" >>"$out/failed.txt"; }
started=$(date +%s)

# --- machine -----------------------------------------------------------------------------------------------------
source bench/openblas.sh
OPENBLAS_LIB="$OPENBLAS_DIR/libopenblas.so.0"
noblasenv=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
if [[ $avx2 == 1 ]]; then
  export DOTNET_EnableAVX512=0 ATEN_CPU_CAPABILITY=avx2
  noblasenv=(env -u OPENBLAS_L2_SIZE OPENBLAS_CORETYPE=Haswell)
fi
log "building bench/Occam.Bench (Release)"
dotnet build -c Release bench/Occam.Bench -v q -nologo >"$out/build.log" 2>&1 || { tail -20 "$out/build.log" >&2; exit 1; }
BENCH=(dotnet bench/Occam.Bench/bin/Release/net10.0/linux-x64/Occam.Bench.dll)
{
  "${BENCH[@]}" machine
  "$PY" - "$OPENBLAS_LIB" "$quick" "$avx2" <<'PYEOF'
import json, subprocess, sys
lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
info = dict(l.split(":", 1) for l in lscpu.splitlines() if ":" in l)
flags = info.get("Flags", "").split()
core = "?"
try:   # the kernel family OpenBLAS picked on this machine (its own CPU detection; OPENBLAS_CORETYPE unset here)
    import ctypes
    lib = ctypes.CDLL(sys.argv[1])
    lib.openblas_get_corename.restype = ctypes.c_char_p
    core = lib.openblas_get_corename().decode()
except Exception as e:
    core = f"? ({e})"
print(json.dumps({"bench": "lscpu", "model": info.get("Model name", "?").strip(), "cpus": info.get("CPU(s)", "?").strip(),
                  "vendor": info.get("Vendor ID", "?").strip(),
                  "fms": "family {} model {} stepping {}".format(*(info.get(k, "?").strip() for k in ("CPU family", "Model", "Stepping"))),
                  "l1d": info.get("L1d cache", "?").strip(), "l2": info.get("L2 cache", "?").strip(), "openblasCore": core,
                  "l3": info.get("L3 cache", "?").strip(), "simd": [f for f in ("avx2", "fma", "avx512f", "avx512bw", "avx512vl") if f in flags],
                  "flags": " ".join(flags), "openblas": sys.argv[1], "quick": sys.argv[2] == "1",
                  "emulated": "AVX2 (DOTNET_EnableAVX512=0, OPENBLAS_CORETYPE=Haswell, ATEN_CPU_CAPABILITY=avx2)" if sys.argv[3] == "1" else None,
                  "load": open("/proc/loadavg").read().split()[:3]}))
PYEOF
} >"$out/machine.jsonl"

if [[ $quick == 1 ]]; then gsec=0.15; grounds=1; ssec=0.6; esec=2; erounds=2; isec=0.3; epochs=2; lrep=1; srep=5; else gsec=0.4; grounds=2; ssec=2; esec=8; erounds=8; isec=1; epochs=10; lrep=5; srep=15; fi

# --- gemm: Occam vs OpenBLAS, interleaved rounds (best of each kept) -------------------------------------------------
if want gemm || want steps; then
  sets=$(want gemm && echo all || echo step)
  for r in $(seq "$grounds"); do
    log "gemm round $r/$grounds: Occam"
    "${BENCH[@]}" gemm-quick --set "$sets" --seconds "$gsec" --threads 1,2 >>"$out/gemm.jsonl"
    log "gemm round $r/$grounds: OpenBLAS"
    "${noblasenv[@]}" "${BENCH[@]}" gemm-quick --impl openblas --openblas "$OPENBLAS_LIB" --set "$sets" --seconds "$gsec" --threads 1,2 >>"$out/gemm.jsonl"
  done
  if want gemm; then
    log "gemm: OpenBLAS through numpy (cross-check of the in-process reference)"
    for t in 1 2; do
      "${noblasenv[@]}" OPENBLAS_NUM_THREADS=$t LD_LIBRARY_PATH="$OPENBLAS_DIR" "$PY" bench/gemm_vs_openblas.py "$gsec" "$t" >>"$out/numpy.jsonl" || failed numpy
    done
  fi
fi

# --- steps: Occam's training step --------------------------------------------------------------------------------------
if want steps || want torch || want train; then
  log "steps: Occam"
  "${BENCH[@]}" steps --seconds "$ssec" --spread >"$out/steps.jsonl"
fi
if want steps; then
  # E's two terms in the same minutes: rounds of Occam's step alternating with OpenBLAS's products (the host's speed
  # drifts between the gemm section and this one; the report falls back to the gemm section's products without this file).
  log "steps: E, Occam's step and OpenBLAS's products in alternating rounds"
  "${noblasenv[@]}" "${BENCH[@]}" efficiency --openblas "$OPENBLAS_LIB" --seconds "$esec" --rounds "$erounds" >"$out/efficiency.jsonl" \
    || failed "efficiency (E in one process)"
fi

# --- torch: the same step in PyTorch -------------------------------------------------------------------------------
if want torch; then
  log "steps: PyTorch"
  qflag=(); [[ $quick == 1 ]] && qflag=(--quick)
  "${noblasenv[@]}" OMP_WAIT_POLICY=PASSIVE LD_LIBRARY_PATH="$OPENBLAS_DIR" "$PY" bench/torch_steps.py "${qflag[@]}" >"$out/torch.jsonl" || failed "PyTorch steps (python3-torch installed?)"
fi

# --- the CLI, published ReadyToRun (startup and train) ---------------------------------------------------------------
# A fixed folder, so that a second run publishes incrementally.
cli="bench/out/cli/Occam.Cli"
if want startup || want train; then
  log "publishing src/Occam.Cli ReadyToRun (linux-x64, framework-dependent)"
  dotnet publish src/Occam.Cli -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
    -o bench/out/cli -v q -nologo >"$out/publish.log" 2>&1 || { tail -20 "$out/publish.log" >&2; exit 1; }
fi

# Wall-clock milliseconds of a command (stdout to a file), best and median over N runs, as a JSON line.
time_cmd() { # name runs cmd...
  local name=$1 runs=$2; shift 2
  "$PY" - "$name" "$runs" "$@" <<'PYEOF'
import json, resource, statistics, subprocess, sys, time
name, runs, cmd = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)   # warm the file cache
ms, cpu = [], []
for _ in range(runs):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    ms.append((time.perf_counter() - t) * 1e3)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu.append((after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1e3)
    if r.returncode not in (0, 2):
        sys.exit(f"{name}: exit {r.returncode}: {r.stderr.decode()[-400:]}")
# cpuMs (user + system time of the process) is less sensitive than the wall time to other load on the machine.
print(json.dumps({"bench": "startup", "case": name, "bestMs": round(min(ms), 2), "medianMs": round(statistics.median(ms), 2),
                  "cpuMs": round(min(cpu), 2), "runs": runs}))
PYEOF
}

if want startup; then
  log "startup: occam --version, occam linear fit (diabetes)"
  {
    time_cmd version "$srep" "$cli" --version
    time_cmd linear-fit "$srep" "$cli" linear fit --data data/diabetes.csv --target progression --penalty lasso --alpha 0.5
  } >"$out/startup.jsonl"
  # Saving occam train's model (784-512-256-10 after one epoch, ~5 MB of JSON), in process: MlpJson.Save vs the same
  # file written by System.Text.Json's serializer (its writer formats the floats), both atomic (info row; bench/README.md, startup).
  log "startup: saving the MNIST model (Occam.Bench save)"
  "${BENCH[@]}" save --rounds "$srep" >"$out/save.jsonl" || failed "save"
fi

# --- train: end to end on MNIST-10k ----------------------------------------------------------------------------------
if want train; then
  if ! want startup; then   # the overhead subtracts the runtime's start-up (`occam --version`)
    log "train: occam --version (start-up)"
    time_cmd version 5 "$cli" --version >"$out/startup.jsonl"
  fi
  log "train: occam train on MNIST-10k ($epochs epochs)"
  "$PY" - "$cli" "$epochs" "$out/mnist-model.json" >"$out/train.jsonl" <<'PYEOF'
import json, subprocess, sys, time
cli, epochs = sys.argv[1], sys.argv[2]
cmd = [cli, "train", "--data", "data/mnist-10k-images-idx3-ubyte.gz", "--labels", "data/mnist-10k-labels-idx1-ubyte.gz",
       "--hidden", "512,256", "--epochs", epochs, "--batch-size", "256", "--optimizer", "adam", "--lr", "1e-3",
       "--l1", "1e-4", "--dropout", "0.2", "--seed", "1", "--json", "--timings", "--out", sys.argv[3]]
# --timings: the CLI's own phase clock (read, prepare, batch = shuffle + gather, steps, epoch records, save, command);
# wall − commandSeconds is the runtime's start-up, the command line parsing and the exit.
best, runs = None, []
for _ in range(5):
    t = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if r.returncode != 0:
        sys.exit(f"occam train failed ({r.returncode}): {r.stderr[-400:]}")
    j = json.loads(r.stdout)
    runs.append(dict(j["timings"], wallSeconds=round(wall, 4)))
    if best is None or wall < best[0]:
        best = (wall, j)
print(json.dumps({"bench": "train", "impl": "occam", "threads": 2, "epochs": int(epochs), "rows": 10000, "batch": 256,
                  "wallSeconds": round(best[0], 4), "trainSeconds": best[1].get("trainSeconds"), "steps": best[1].get("steps"),
                  "timings": best[1]["timings"], "runs": runs}))
PYEOF
  log "train: in-process breakdown (Occam.Bench train)"
  "${BENCH[@]}" train --epochs "$epochs" --repeats 3 --seconds "$ssec" >"$out/train-parts.jsonl" || failed "train breakdown"
  # PyTorch's DataLoader with 0 (its default), 1 and 2 worker processes: the report compares with the fastest (its best setting).
  for workers in 0 1 2; do
    log "train: the same job in PyTorch (DataLoader, num_workers=$workers)"
    "${noblasenv[@]}" OMP_WAIT_POLICY=PASSIVE LD_LIBRARY_PATH="$OPENBLAS_DIR" "$PY" bench/torch_train.py 2 "$epochs" "$workers" >>"$out/train.jsonl" || failed "PyTorch train job (python3-torch installed?)"
  done
fi

# --- infer: Occam vs ONNX Runtime ------------------------------------------------------------------------------------
if want infer; then
  log "infer: Occam vs ONNX Runtime"
  "${BENCH[@]}" infer --seconds "$isec" >"$out/infer.jsonl" || failed "infer"
fi

# --- linear: paths vs scikit-learn and glmnet ------------------------------------------------------------------------
if want linear; then
  log "linear: paths vs scikit-learn and glmnet ($lrep repeats)"
  lq=(); [[ $quick == 1 ]] && lq=(--quick); [[ $avx2 == 1 ]] && lq+=(--avx2)
  bash bench/linear/compare.sh "$lrep" --jsonl "$out/linear.jsonl" "${lq[@]}" >"$out/linear.txt" || failed "linear (python3-sklearn and r-cran-glmnet installed? see $out/linear.txt)"
fi

log "done in $(( $(date +%s) - started )) s; raw results in $out"
"$PY" bench/all_report.py "$out" | tee "$out/report.txt"
if [[ -s "$out/failed.txt" ]]; then echo "sections that failed: $(paste -sd ';' "$out/failed.txt")"; fi
