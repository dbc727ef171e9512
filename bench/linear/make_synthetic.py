"""Writes a synthetic problem for bench/linear/compare.sh (fixed seed).

usage: make_synthetic.py OUT [ROWS COLUMNS [gaussian|binomial]]   (default 10000 200 gaussian)

Columns are correlated (a shared factor plus independent noise, pairwise correlation ~0.2), 20 of the
true coefficients are non-zero. gaussian: y = 3 + Xβ + N(0, 1) noise. binomial: y ~ Bernoulli(sigmoid(0.5·Xβ)), 0/1.
Values are written with 12 significant digits, so every tool reads exactly the same numbers.
"""
import sys

import numpy as np

out = sys.argv[1]
n, p = (int(sys.argv[2]), int(sys.argv[3])) if len(sys.argv) > 3 else (10000, 200)
family = sys.argv[4] if len(sys.argv) > 4 else "gaussian"
rng = np.random.default_rng(20261127)
factor = rng.standard_normal((n, 1))
X = rng.standard_normal((n, p)) + 0.5 * factor
beta = np.zeros(p)
beta[:20] = rng.choice([-1, 1], 20) * rng.uniform(0.5, 2.0, 20)
if family == "binomial":
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-0.5 * (X @ beta)))).astype(float)
else:
    y = 3.0 + X @ beta + rng.standard_normal(n)
header = ",".join([f"x{j}" for j in range(p)] + ["y"])
np.savetxt(out, np.column_stack([X, y]), delimiter=",", header=header, comments="", fmt="%.12g")
