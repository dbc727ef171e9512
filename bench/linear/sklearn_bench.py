"""Times scikit-learn's lasso_path / enet_path on a CSV (last column = target), best of N runs.

usage: sklearn_bench.py <csv> <l1_ratio> <repeats> [tol]
The data are centred first (lasso_path fits no intercept; Occam and glmnet centre internally), which is
included in the time, as is the Gram matrix (precompute='auto' uses it when n > p). Same grid as Occam:
100 alphas from alpha_max down to 1e-3 * alpha_max. Tolerance: tol (default 1e-4) on the duality gap,
relative to ||y||^2, exactly Occam's rule.
"""
import sys
import time

import numpy as np
from sklearn.linear_model import enet_path

path, ratio, repeats = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
tol = float(sys.argv[4]) if len(sys.argv) > 4 else 1e-4
raw = np.loadtxt(path, delimiter=",", skiprows=1)
X0, y0 = np.ascontiguousarray(raw[:, :-1]), raw[:, -1].copy()


def run():
    X = X0 - X0.mean(axis=0)
    y = y0 - y0.mean()
    return enet_path(X, y, l1_ratio=ratio, eps=1e-3, n_alphas=100, tol=tol, max_iter=1000)


run()
best = float("inf")
for _ in range(repeats):
    t = time.perf_counter()
    alphas, coefs, gaps = run()
    best = min(best, time.perf_counter() - t)
print(f"{best!r} {int(np.count_nonzero(coefs[:, -1]))}")
