"""Writes the synthetic 10000 x 200 regression problem for bench/linear/compare.sh (fixed seed).

Columns are correlated (a shared factor plus independent noise, pairwise correlation ~0.2), 20 of the
200 true coefficients are non-zero, the noise standard deviation is 1. Values are written with 12
significant digits, so every tool reads exactly the same numbers.
"""
import sys

import numpy as np

out = sys.argv[1]
rng = np.random.default_rng(20261127)
n, p = 10000, 200
factor = rng.standard_normal((n, 1))
X = rng.standard_normal((n, p)) + 0.5 * factor
beta = np.zeros(p)
beta[:20] = rng.choice([-1, 1], 20) * rng.uniform(0.5, 2.0, 20)
y = 3.0 + X @ beta + rng.standard_normal(n)
header = ",".join([f"x{j}" for j in range(p)] + ["y"])
np.savetxt(out, np.column_stack([X, y]), delimiter=",", header=header, comments="", fmt="%.12g")
