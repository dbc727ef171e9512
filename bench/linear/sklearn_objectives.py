"""Objective of scikit-learn's enet_path solution at every alpha of the bench grid, for bench/linear/objective_gap.sh.

usage: sklearn_objectives.py <csv> <l1_ratio> <out.csv>
The same call as sklearn_bench.py (centred data, 100 alphas to 1e-3 alpha_max, tol 1e-4); the intercept is recovered
as mean(y) - mean(X)·w and the objective (1/(2n))||y - Xw - b||^2 + alpha*(rho|w|_1 + (1-rho)/2 |w|^2) evaluated on the
raw data, exactly as LinearBench evaluates Occam's. Writes "alpha,objective,nonzero".
"""
import sys

import numpy as np
from sklearn.linear_model import enet_path

path, ratio, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
raw = np.loadtxt(path, delimiter=",", skiprows=1)
X0, y0 = np.ascontiguousarray(raw[:, :-1]), raw[:, -1].copy()
n = X0.shape[0]
alphas, coefs, _ = enet_path(X0 - X0.mean(axis=0), y0 - y0.mean(), l1_ratio=ratio, eps=1e-3, n_alphas=100, tol=1e-4, max_iter=1000)
with open(out, "w") as f:
    f.write("alpha,objective,nonzero\n")
    for k, a in enumerate(alphas):
        w = coefs[:, k]
        b = y0.mean() - X0.mean(axis=0) @ w
        r = y0 - X0 @ w - b
        obj = r @ r / (2 * n) + a * (ratio * np.abs(w).sum() + (1 - ratio) / 2 * (w @ w))
        f.write(f"{a!r},{obj!r},{np.count_nonzero(w)}\n")
