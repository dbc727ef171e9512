#!/usr/bin/env bash
# Side-by-side timing of 100-alpha lasso and elastic-net (rho = 0.5) paths: Occam vs scikit-learn vs glmnet.
#
#   bench/linear/compare.sh [repeats]      (from anywhere; default 5 repeats, best time kept)
#
# Problems: data/diabetes.csv (442 x 10) and a synthetic 10000 x 200 problem written once (fixed seed) to
# bench/linear/out/synthetic-10000x200.csv. Every tool fits the same objective on the same numbers:
# (1/(2n))||y - Xw - b||^2 + alpha*(rho*|w|_1 + (1-rho)/2*|w|^2), no standardization, intercept, the same grid of
# 100 alphas from alpha_max down to 1e-3*alpha_max, warm starts.
# Stopping rules: Occam and scikit-learn stop on the same duality gap, gap <= 1e-4 * ||y - mean(y)||^2 (scaled for
# each objective); glmnet uses its default thresh = 1e-7 on its own coefficient-change criterion (it has no
# duality gap), the setting glmnet users get.
# Timed: the solver only (after parsing; each tool's centring/Gram/standardization included), best of N runs in
# one warm process. scikit-learn runs on OpenBLAS with both threads (OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset;
# bench/openblas.sh finds or unpacks OpenBLAS, since Debian's default libblas.so.3 is the reference BLAS).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
repeats="${1:-5}"
source "$here/../openblas.sh"
out="$here/out"
mkdir -p "$out"
synthetic="$out/synthetic-10000x200.csv"
if [[ ! -f "$synthetic" ]]; then
  echo "writing $synthetic (once)" >&2
  /usr/bin/python3 "$here/make_synthetic.py" "$synthetic"
fi
dotnet build -c Release "$here/LinearBench/LinearBench.csproj" -o "$out/LinearBench" >"$out/build.log" 2>&1 || { cat "$out/build.log" >&2; exit 1; }
occam() { dotnet "$out/LinearBench/LinearBench.dll" "$1" "$2" "$3" "$repeats"; }
sklearn() { env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE LD_LIBRARY_PATH="$OPENBLAS_DIR" /usr/bin/python3 "$here/sklearn_bench.py" "$1" "$2" "$repeats"; }
glmnet() { env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE Rscript "$here/glmnet_bench.R" "$1" "$2" "$repeats" "$3"; }

printf '%-22s %-12s %12s %12s %12s %10s %10s %s\n' problem path "occam(s)" "sklearn(s)" "glmnet(s)" "sk/occam" "gl/occam" "non-zero at eps (occam/sk/gl)"
for spec in "diabetes|$root/data/diabetes.csv|progression|200" "synthetic-10000x200|$synthetic|y|1"; do
  IFS='|' read -r name file target inner <<<"$spec"
  for rho in 1 0.5; do
    kind=$([[ "$rho" == 1 ]] && echo lasso || echo "enet(0.5)")
    read -r t_o nz_o _ < <(occam "$file" "$target" "$rho")
    read -r t_s nz_s < <(sklearn "$file" "$rho")
    read -r t_g nz_g < <(glmnet "$file" "$rho" "$inner")
    awk -v n="$name" -v k="$kind" -v o="$t_o" -v s="$t_s" -v g="$t_g" -v a="$nz_o" -v b="$nz_s" -v c="$nz_g" \
      'BEGIN { printf "%-22s %-12s %12.6f %12.6f %12.6f %9.1fx %9.1fx %s/%s/%s\n", n, k, o, s, g, s/o, g/o, a, b, c }'
  done
done
