#!/usr/bin/env bash
# Side-by-side timing of linear-model paths: Occam vs scikit-learn vs glmnet.
#
#   bench/linear/compare.sh [repeats] [--jsonl FILE] [--quick] [--avx2]   (from anywhere; default 5 repeats, best time kept)
#   --avx2: scikit-learn's OpenBLAS on its Haswell (AVX2) kernels, OPENBLAS_CORETYPE=Haswell, as on an AVX2-only machine
#   (bench/all.sh --avx2 passes it along with DOTNET_EnableAVX512=0 for Occam).
#
# Gaussian (100-alpha lasso and elastic-net rho = 0.5 paths): data/diabetes.csv (442 x 10), a synthetic 10000 x 200
# problem and a wide synthetic 200 x 10000 problem (p >> n, glmnet's home ground), written once (fixed seed) to
# bench/linear/out/. Every tool fits the same objective on the same numbers:
# (1/(2n))||y - Xw - b||^2 + alpha*(rho*|w|_1 + (1-rho)/2*|w|^2), no standardization, intercept, the same grid of
# 100 alphas from alpha_max down to 1e-3*alpha_max, warm starts.
# Stopping rules: Occam and scikit-learn stop on the same duality gap, gap <= 1e-4 * ||y - mean(y)||^2 (scaled for
# each objective); glmnet uses its default thresh = 1e-7 on its own coefficient-change criterion (it has no
# duality gap), the setting glmnet users get.
# Binomial (100-alpha L1-penalized logistic paths, columns standardized, alpha from alpha_max to 1e-2*alpha_max):
# data/breast_cancer.csv (569 x 30) and a synthetic binary 10000 x 200 problem; Occam vs glmnet (family binomial)
# vs scikit-learn LogisticRegression(penalty="l1") with solver saga (warm-started) and liblinear.
# Timed: the solver only (after parsing; each tool's centring/Gram/standardization included), best of N runs in
# one warm process. scikit-learn runs on OpenBLAS with both threads (OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset;
# bench/openblas.sh finds or unpacks OpenBLAS, since Debian's default libblas.so.3 is the reference BLAS).
# scikit-learn's saga and liblinear take minutes on the binary 10000 x 200 path: they run once there (no repeats),
# and not at all with --quick.
# --jsonl FILE also writes one JSON line per row: {"problem","path","occam","refs":{"sklearn":..,"glmnet":..}}.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
repeats=5
jsonl=""
quick=0
blasenv=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
while [[ $# -gt 0 ]]; do
  case "$1" in
    --jsonl) jsonl="$2"; shift ;;
    --quick) quick=1 ;;
    --avx2) blasenv=(env -u OPENBLAS_L2_SIZE OPENBLAS_CORETYPE=Haswell) ;;
    *) repeats="$1" ;;
  esac
  shift
done
source "$here/../openblas.sh"
out="$here/out"
mkdir -p "$out"
make_data() { # file rows cols family
  if [[ ! -f "$1" ]]; then
    echo "writing $1 (once)" >&2
    /usr/bin/python3 "$here/make_synthetic.py" "$1" "$2" "$3" "$4"
  fi
}
synthetic="$out/synthetic-10000x200.csv"; make_data "$synthetic" 10000 200 gaussian
wide="$out/synthetic-200x10000.csv"; make_data "$wide" 200 10000 gaussian
binary="$out/synthetic-binary-10000x200.csv"; make_data "$binary" 10000 200 binomial
dotnet build -c Release "$here/LinearBench/LinearBench.csproj" -o "$out/LinearBench" >"$out/build.log" 2>&1 || { cat "$out/build.log" >&2; exit 1; }
occam() { dotnet "$out/LinearBench/LinearBench.dll" "$1" "$2" "$3" "$repeats" 1e-4 "${4:-gaussian}"; }
sklearn() { "${blasenv[@]}" LD_LIBRARY_PATH="$OPENBLAS_DIR" /usr/bin/python3 "$here/sklearn_bench.py" "$1" "$2" "$repeats"; }
sklearn_logit() { # file solver repeats
  if [[ $3 == 0 ]]; then echo "null -"; return; fi
  "${blasenv[@]}" LD_LIBRARY_PATH="$OPENBLAS_DIR" /usr/bin/python3 "$here/sklearn_logistic_bench.py" "$1" "$2" "$3"
}
glmnet() { env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE Rscript "$here/glmnet_bench.R" "$1" "$2" "$repeats" "$3"; }
glmnet_logit() { env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE Rscript "$here/glmnet_logistic_bench.R" "$1" "$repeats" 1e-2 "$2"; }
emit() { # problem path occam refs-json
  [[ -n "$jsonl" ]] && printf '{"problem":"%s","path":"%s","occam":%s,"refs":{%s}}\n' "$1" "$2" "$3" "$4" >>"$jsonl"
  return 0
}

printf '%-22s %-12s %12s %12s %12s %10s %10s %s\n' problem path "occam(s)" "sklearn(s)" "glmnet(s)" "sk/occam" "gl/occam" "non-zero at eps (occam/sk/gl)"
for spec in "diabetes|$root/data/diabetes.csv|progression|200" "synthetic-10000x200|$synthetic|y|1" "wide-200x10000|$wide|y|1"; do
  IFS='|' read -r name file target inner <<<"$spec"
  for rho in 1 0.5; do
    kind=$([[ "$rho" == 1 ]] && echo lasso || echo "enet(0.5)")
    read -r t_o nz_o _ < <(occam "$file" "$target" "$rho")
    read -r t_s nz_s < <(sklearn "$file" "$rho")
    read -r t_g nz_g < <(glmnet "$file" "$rho" "$inner")
    awk -v n="$name" -v k="$kind" -v o="$t_o" -v s="$t_s" -v g="$t_g" -v a="$nz_o" -v b="$nz_s" -v c="$nz_g" \
      'BEGIN { printf "%-22s %-12s %12.6f %12.6f %12.6f %9.1fx %9.1fx %s/%s/%s\n", n, k, o, s, g, s/o, g/o, a, b, c }'
    emit "$name" "$kind" "$t_o" "\"sklearn\":$t_s,\"glmnet\":$t_g"
  done
done

printf '\n%-22s %-12s %12s %12s %12s %14s %9s %9s %9s %s\n' problem path "occam(s)" "glmnet(s)" "saga(s)" "liblinear(s)" "gl/occam" "saga/occ" "lib/occ" "non-zero (occam/gl/saga/lib)"
big_repeats=$([[ $quick == 1 ]] && echo 0 || echo 1)
for spec in "breast_cancer|$root/data/breast_cancer.csv|benign|20|$repeats" "binary-10000x200|$binary|y|1|$big_repeats"; do
  IFS='|' read -r name file target inner skrepeats <<<"$spec"
  read -r t_o nz_o _ < <(occam "$file" "$target" 1 binomial)
  read -r t_g nz_g < <(glmnet_logit "$file" "$inner")
  read -r t_s nz_s < <(sklearn_logit "$file" saga "$skrepeats")
  read -r t_l nz_l < <(sklearn_logit "$file" liblinear "$skrepeats")
  awk -v n="$name" -v o="$t_o" -v g="$t_g" -v s="$t_s" -v l="$t_l" -v a="$nz_o" -v b="$nz_g" -v c="$nz_s" -v d="$nz_l" \
    'function r(x) { return x == "null" ? "-" : sprintf("%.1fx", x / o) }
     BEGIN { printf "%-22s %-12s %12.6f %12.6f %12s %14s %9s %9s %9s %s/%s/%s/%s\n", n, "logistic-l1", o, g, s, l, r(g), r(s), r(l), a, b, c, d }'
  emit "$name" "logistic-l1" "$t_o" "\"glmnet\":$t_g,\"sklearn-saga\":$t_s,\"sklearn-liblinear\":$t_l"
done
