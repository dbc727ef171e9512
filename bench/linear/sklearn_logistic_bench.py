"""Times scikit-learn's L1-penalized logistic regression along a 100-alpha path (last CSV column = 0/1 target).

usage: sklearn_logistic_bench.py <csv> <solver: saga|liblinear> <repeats> [eps]

The same problem as Occam's BinaryLogisticRegression.Path and glmnet's family = "binomial": columns standardized
(StandardScaler, population sd; included in the time), intercept, objective (1/n)·Σ log-loss + α·|w|₁, i.e.
LogisticRegression(penalty="l1", C = 1/(n·α)); the grid is 100 α from α_max = max|X̃ᵀ(y − ȳ)|/n down to eps·α_max
(default eps 1e-2). saga runs warm-started along the path (warm_start=True), liblinear has no warm start (it
also penalizes the intercept, its documented behaviour; intercept_scaling=1). tol = 1e-4, max_iter = 1000.
Prints "best_seconds non_zero_at_last_alpha".
"""
import sys
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

warnings.simplefilter("ignore", ConvergenceWarning)
path, solver, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3])
eps = float(sys.argv[4]) if len(sys.argv) > 4 else 1e-2
raw = np.loadtxt(path, delimiter=",", skiprows=1)
X0, y0 = np.ascontiguousarray(raw[:, :-1]), raw[:, -1].copy()
n = X0.shape[0]


def run():
    X = StandardScaler().fit_transform(X0)
    amax = np.max(np.abs(X.T @ (y0 - y0.mean()))) / n
    alphas = np.geomspace(amax, amax * eps, 100)
    clf = LogisticRegression(penalty="l1", solver=solver, tol=1e-4, max_iter=1000, warm_start=(solver == "saga"))
    coef = None
    for a in alphas:
        clf.set_params(C=1.0 / (n * a))
        clf.fit(X, y0)
        coef = clf.coef_
    return coef


best = float("inf")   # no warm-up run: the solvers are compiled code, and one fit of the big problem takes minutes
for _ in range(repeats):
    t = time.perf_counter()
    coef = run()
    best = min(best, time.perf_counter() - t)
print(f"{best!r} {int(np.count_nonzero(coef))}")
