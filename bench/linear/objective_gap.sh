#!/usr/bin/env bash
# Is a faster solver a sloppier one? Objectives of Occam, glmnet and scikit-learn at every alpha of the bench paths.
#
#   bench/linear/objective_gap.sh        (after or without bench/linear/compare.sh; writes bench/linear/out/objectives/)
#
# For each path of compare.sh (Gaussian lasso and enet(0.5) on diabetes, 10000 x 200 and 200 x 10000; L1-logistic on
# breast cancer and the binary 10000 x 200) the objective of each tool's returned coefficients is evaluated with one
# formula (see glmnet_objectives.R) at every alpha, and objective_gap.py prints by how much Occam's is above (worse) or
# below (better) each reference's, relative to the objective at alpha_max. Occam and scikit-learn stop on the duality
# gap <= 1e-4 * ||y - ybar||^2 / n (Gaussian), Occam logistic on gap <= 1e-4 * null log-loss; glmnet on thresh = 1e-7.
# scikit-learn's logistic solvers are not compared here (saga takes minutes on the big path; liblinear penalizes the
# intercept, another problem).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
source "$here/../openblas.sh"
out="$here/out"
obj="$out/objectives"
mkdir -p "$obj"
for f in synthetic-10000x200 synthetic-200x10000 synthetic-binary-10000x200; do
  [[ -f "$out/$f.csv" ]] || { echo "missing $out/$f.csv: run bench/linear/compare.sh once first" >&2; exit 1; }
done
dotnet build -c Release "$here/LinearBench/LinearBench.csproj" -o "$out/LinearBench" >"$out/build.log" 2>&1 || { cat "$out/build.log" >&2; exit 1; }
for spec in "diabetes|$root/data/diabetes.csv|progression" "synthetic-10000x200|$out/synthetic-10000x200.csv|y" "wide-200x10000|$out/synthetic-200x10000.csv|y"; do
  IFS='|' read -r name file target <<<"$spec"
  for rho in 1 0.5; do
    tag="$name-rho$rho"
    dotnet "$out/LinearBench/LinearBench.dll" "$file" "$target" "$rho" 0 1e-4 gaussian 1e-3 "$obj/$tag-occam.csv" >/dev/null
    Rscript "$here/glmnet_objectives.R" "$file" gaussian "$rho" 1e-3 "$obj/$tag-glmnet.csv"
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE LD_LIBRARY_PATH="$OPENBLAS_DIR" /usr/bin/python3 "$here/sklearn_objectives.py" "$file" "$rho" "$obj/$tag-sklearn.csv"
    /usr/bin/python3 "$here/objective_gap.py" "$tag" "$obj/$tag-occam.csv" "glmnet=$obj/$tag-glmnet.csv" "sklearn=$obj/$tag-sklearn.csv"
  done
done
for spec in "breast_cancer|$root/data/breast_cancer.csv|benign" "binary-10000x200|$out/synthetic-binary-10000x200.csv|y"; do
  IFS='|' read -r name file target <<<"$spec"
  tag="$name-logistic-l1"
  dotnet "$out/LinearBench/LinearBench.dll" "$file" "$target" 1 0 1e-4 binomial 1e-2 "$obj/$tag-occam.csv" >/dev/null
  Rscript "$here/glmnet_objectives.R" "$file" binomial 1 1e-2 "$obj/$tag-glmnet.csv"
  /usr/bin/python3 "$here/objective_gap.py" "$tag" "$obj/$tag-occam.csv" "glmnet=$obj/$tag-glmnet.csv"
done
