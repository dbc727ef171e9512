"""Golden values for Occam's linear models from scikit-learn 1.2.1 (Debian python3-sklearn).

Run from the repository root:  /usr/bin/python3 tests/golden/linear/sklearn_golden.py
Writes tests/golden/linear/sklearn.json.

Diabetes is prepared as scikit-learn prepares it (sklearn.datasets.load_diabetes(scaled=True)):
each feature column centred and scaled to unit Euclidean norm, target raw; an unpenalized
intercept is fitted. Occam solves the same objective with Standardize = false:
    (1/(2n))·||y − Xw − b||² + α·(ρ·||w||₁ + (1−ρ)/2·||w||²)
which is scikit-learn's ElasticNet/Lasso objective with alpha = α, l1_ratio = ρ, and
Ridge(alpha = n·α).
"""
import json
import os

import numpy as np
import sklearn
from sklearn.linear_model import ElasticNet, Lasso, LassoCV, ElasticNetCV, Ridge, enet_path, lasso_path
from sklearn.model_selection import KFold

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
OUT = os.path.join(ROOT, "tests", "golden", "linear", "sklearn.json")


def load_diabetes():
    path = os.path.join(ROOT, "data", "diabetes.csv")
    raw = np.loadtxt(path, delimiter=",", skiprows=1)
    X, y = raw[:, :-1], raw[:, -1]
    X = X - X.mean(axis=0)
    X = X / np.sqrt((X ** 2).sum(axis=0))
    return X, y


def main():
    X, y = load_diabetes()
    n, p = X.shape
    tight = dict(tol=1e-12, max_iter=1_000_000)
    out = {"sklearn": sklearn.__version__, "n": n, "p": p,
           "xPrepared": X.ravel().tolist()}

    # Paths (lasso_path/enet_path work on centred data; fit the intercept ourselves).
    Xc = X - X.mean(axis=0)
    yc = y - y.mean()
    for name, ratio in (("lassoPath", 1.0), ("enetPath", 0.5)):
        alphas, coefs, _ = enet_path(Xc, yc, l1_ratio=ratio, eps=1e-3, n_alphas=100, **tight)
        out[name] = {
            "l1Ratio": ratio,
            "alphas": alphas.tolist(),
            "coefs": coefs.T.tolist(),
            "nonzero": [int(np.count_nonzero(c)) for c in coefs.T],
        }

    # Single fits with intercept.
    fits = []
    for alpha, ratio in ((0.01, 1.0), (0.1, 1.0), (1.0, 1.0), (0.005, 0.5), (0.05, 0.3), (0.001, 0.9)):
        m = ElasticNet(alpha=alpha, l1_ratio=ratio, **tight).fit(X, y)
        fits.append({"alpha": alpha, "l1Ratio": ratio, "coef": m.coef_.tolist(), "intercept": float(m.intercept_)})
    out["fits"] = fits

    ridge = []
    for alpha in (0.001, 0.1, 1.0):
        m = Ridge(alpha=n * alpha, solver="cholesky").fit(X, y)
        ridge.append({"alpha": alpha, "coef": m.coef_.tolist(), "intercept": float(m.intercept_)})
    out["ridge"] = ridge

    # 5-fold contiguous CV (KFold without shuffling), as LassoCV(cv=5) does.
    cv = {}
    for key, tol in (("tight", 1e-10), ("default", 1e-4)):
        m = LassoCV(cv=KFold(5), eps=1e-3, n_alphas=100, tol=tol, max_iter=100_000).fit(X, y)
        cv[key] = {"tol": tol, "alphaMin": float(m.alpha_), "alphas": m.alphas_.tolist(),
                   "meanMse": m.mse_path_.mean(axis=1).tolist(),
                   "coef": m.coef_.tolist(), "intercept": float(m.intercept_)}
    m = ElasticNetCV(l1_ratio=0.5, cv=KFold(5), eps=1e-3, n_alphas=100, tol=1e-10, max_iter=100_000).fit(X, y)
    cv["enet"] = {"tol": 1e-10, "l1Ratio": 0.5, "alphaMin": float(m.alpha_), "alphas": m.alphas_.tolist(),
                  "meanMse": m.mse_path_.mean(axis=1).tolist()}
    out["cv"] = cv

    with open(OUT, "w") as f:
        json.dump(out, f)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
