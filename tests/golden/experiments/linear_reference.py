#!/usr/bin/python3
"""Independent references for the linear-model experiments (src/Occam.Experiments: polynomial, biases-unpenalized,
geometry, multicollinearity), computed with numpy, scipy and scikit-learn on the *same* data sets.

The data are the same because this script re-implements Occam's generator (xoshiro256** seeded through SplitMix64,
uniform doubles from the top 53 bits, normals by Marsaglia's polar method with a cached spare: Occam.Numerics.Random.Rng)
and each experiment's draw order. Everything else is computed independently:

* polynomial: least squares by numpy.linalg.lstsq; lasso paths by sklearn.linear_model.lasso_path (tol 1e-12) on columns
  standardized on each fold's training rows; ridge in closed form; the K-fold CV (contiguous folds, as
  sklearn.model_selection.KFold without shuffling), α_min and the 1-SE rule re-implemented here.
* geometry: the L1-ball optimum from the exact LARS-lasso path (sklearn.linear_model.lars_path_gram: piecewise linear,
  so the point with ‖w‖₁ = t is found by linear interpolation between knots); the L2-ball optimum by scipy.optimize.brentq
  on ‖(H + μI)⁻¹Hw*‖₂ = t.
* multicollinearity: as polynomial, with sklearn's enet_path for the elastic net.
* biases: sklearn Lasso at 10·α_max, Ridge at a huge α and LogisticRegression (newton-cholesky, l2, C = 1e-10: Newton steps do not care
  that the loss is scaled by C) leave the
  intercept at ȳ and at log(p̂/(1 − p̂)).

Output: linear_reference.json beside this script (deterministic; regenerate with
`/usr/bin/python3 tests/golden/experiments/linear_reference.py` from the repository root; about a minute).
Fields: see the keys written in main(); per-data-set arrays are in data-set order.
"""
import json
import math
import os
import warnings

import numpy as np
from scipy.optimize import brentq
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression, enet_path, lars_path_gram, lasso_path

warnings.simplefilter("ignore", ConvergenceWarning)
M64 = (1 << 64) - 1


class Rng:
    """Occam.Numerics.Random.Rng: xoshiro256** seeded by SplitMix64."""

    def __init__(self, seed):
        x = seed & M64
        s = []
        for _ in range(4):
            x = (x + 0x9E3779B97F4A7C15) & M64
            z = x
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
            s.append(z ^ (z >> 31))
        self.s = s
        self.spare = None

    @staticmethod
    def _rotl(v, k):
        return ((v << k) | (v >> (64 - k))) & M64

    def next_u64(self):
        s0, s1, s2, s3 = self.s
        result = (self._rotl((s1 * 5) & M64, 7) * 9) & M64
        t = (s1 << 17) & M64
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = self._rotl(s3, 45)
        self.s = [s0, s1, s2, s3]
        return result

    def next_double(self):
        return (self.next_u64() >> 11) * (1.0 / (1 << 53))

    def next_normal(self):
        if self.spare is not None:
            v, self.spare = self.spare, None
            return v
        while True:
            u = 2 * self.next_double() - 1
            v = 2 * self.next_double() - 1
            s = u * u + v * v
            if 0 < s < 1:
                break
        f = math.sqrt(-2 * math.log(s) / s)
        self.spare = v * f
        return u * f


# ---------------------------------------------------------------------------------------------------- generators
def poly_draw(seed, rows, noise=1.0):
    rng = Rng(seed)
    x = np.empty(rows)
    y = np.empty(rows)
    for i in range(rows):
        x[i] = 2 * rng.next_double() - 1
        y[i] = 2 + 3 * x[i] + 4 * x[i] * x[i] + noise * rng.next_normal()
    return x, y


def geometry_draw(seed, rows):
    rng = Rng(seed)
    r = 0.9 * (2 * rng.next_double() - 1)
    w1, w2 = rng.next_normal(), rng.next_normal()
    s = math.sqrt(1 - r * r)
    X = np.empty((rows, 2))
    y = np.empty(rows)
    for i in range(rows):
        z1, z2 = rng.next_normal(), rng.next_normal()
        X[i] = (z1, r * z1 + s * z2)
        y[i] = w1 * X[i, 0] + w2 * X[i, 1] + rng.next_normal()
    H = X.T @ X / rows
    b = X.T @ y / rows
    return H, np.linalg.solve(H, b)


MC_MEAN = np.array([100.0, 4.0, 30.0, 500.0])
MC_SD = np.array([30.0, 1.0, 15.0, 100.0])
MC_COEF = np.array([2.0, 40.0, -2.0, 0.0])
MC_NOISE = 50.0


def collinear_draw(seed, rows, r):
    rng = Rng(seed)
    s = math.sqrt(1 - r * r)
    X = np.empty((rows, 4))
    y = np.empty(rows)
    for i in range(rows):
        z1, z2, z3, z4, e = rng.next_normal(), rng.next_normal(), rng.next_normal(), rng.next_normal(), rng.next_normal()
        X[i] = (MC_MEAN[0] + MC_SD[0] * z1, MC_MEAN[1] + MC_SD[1] * (r * z1 + s * z2), MC_MEAN[2] + MC_SD[2] * z3,
                MC_MEAN[3] + MC_SD[3] * z4)
        y[i] = MC_COEF @ X[i] + MC_NOISE * e
    return X, y


def binary_draw(seed, rows):
    rng = Rng(seed)
    X = np.empty((rows, 3))
    y = np.empty(rows)
    for i in range(rows):
        for j in range(3):
            X[i, j] = rng.next_normal()
        y[i] = 1.0 if X[i, 0] + rng.next_normal() > 0.8 else 0.0
    return X, y


# ---------------------------------------------------------------------------------------------------- linear models
def powers(x, degree):
    return np.column_stack([x ** k for k in range(1, degree + 1)])


def standardize(X):
    mean = X.mean(axis=0)
    sd = X.std(axis=0)  # population sd, as Occam
    return mean, sd


def alpha_max(X, y, rho):
    mean, sd = standardize(X)
    Xs = (X - mean) / sd
    return np.max(np.abs(Xs.T @ (y - y.mean()))) / len(y) / max(rho, 1e-3)


def grid(amax, count, eps):
    return np.array([10 ** (math.log10(amax) - (math.log10(amax) - math.log10(amax * eps)) * k / (count - 1)) for k in range(count)])


def fit_path(X, y, alphas, rho):
    """Coefficients (original units) and intercepts along alphas for (1/(2n))‖y − Xw − b‖² + α(ρ‖w‖₁ + (1−ρ)/2‖w‖²)
    with columns standardized (population sd) and an unpenalized intercept."""
    mean, sd = standardize(X)
    Xs = (X - mean) / sd
    yc = y - y.mean()
    n = len(y)
    if rho == 0:
        G = Xs.T @ Xs / n
        b = Xs.T @ yc / n
        W = np.array([np.linalg.solve(G + a * np.eye(X.shape[1]), b) for a in alphas]).T
    elif rho == 1:
        _, W, _ = lasso_path(Xs, yc, alphas=alphas, tol=1e-12, max_iter=1_000_000)
    else:
        _, W, _ = enet_path(Xs, yc, l1_ratio=rho, alphas=alphas, tol=1e-12, max_iter=1_000_000)
    coefs = (W / sd[:, None]).T
    intercepts = y.mean() - coefs @ mean
    return coefs, intercepts


def cross_validate(X, y, rho, count, eps, folds=5):
    """Occam's CrossValidation.ElasticNet: grid on all rows, contiguous folds, mean held-out MSE, α_min (largest on ties),
    α_1se = largest α with mean ≤ mean_min + se_min (se = sample sd over folds / √K)."""
    n = len(y)
    amax = alpha_max(X, y, rho)
    alphas = grid(amax, count, eps if rho > 0 else eps * 1e-3)
    sizes = [n // folds + (1 if f < n % folds else 0) for f in range(folds)]
    errors = []
    start = 0
    for size in sizes:
        test = np.arange(start, start + size)
        train = np.setdiff1d(np.arange(n), test)
        start += size
        coefs, intercepts = fit_path(X[train], y[train], alphas, rho)
        pred = X[test] @ coefs.T + intercepts
        errors.append(((pred - y[test][:, None]) ** 2).mean(axis=0))
    errors = np.array(errors)
    mean = errors.mean(axis=0)
    se = errors.std(axis=0, ddof=1) / math.sqrt(folds)
    best = int(np.argmin(mean))
    one_se = next(a for a in range(best + 1) if mean[a] <= mean[best] + se[best])
    return alphas, best, one_se


def refit(X, y, alpha, rho):
    coefs, intercepts = fit_path(X, y, np.array([alpha]), rho)
    return coefs[0], intercepts[0]


def excess_risk(intercept, coef):
    d = np.concatenate([[intercept], coef])
    d[:3] -= [2, 3, 4]
    return sum(d[j] * d[k] / (j + k + 1) for j in range(len(d)) for k in range(len(d)) if (j + k) % 2 == 0)


# ---------------------------------------------------------------------------------------------------- experiments
def polynomial(datasets=200, rows=20, degree=5, seed=1):
    out = {"datasets": datasets, "rows": rows, "degree": degree, "seed": seed,
           "ols2_test": [], "ols5_test": [], "lasso_min_test": [], "lasso_1se_test": [], "ridge_min_test": [],
           "lasso_min_zero": [0] * degree, "lasso_1se_zero": [0] * degree, "lasso_min_alpha": [], "ridge_min_alpha": [],
           "ols5_coef": [], "lasso_min_coef": [], "lasso_huge_intercept": [], "ridge_huge_intercept": [], "mean_y": []}
    for d in range(datasets):
        x, y = poly_draw(seed + d, rows)
        X2, X5 = powers(x, 2), powers(x, degree)
        A2 = np.column_stack([np.ones(rows), X2])
        A5 = np.column_stack([np.ones(rows), X5])
        c2 = np.linalg.lstsq(A2, y, rcond=None)[0]
        c5 = np.linalg.lstsq(A5, y, rcond=None)[0]
        out["ols2_test"].append(1 + excess_risk(c2[0], c2[1:]))
        out["ols5_test"].append(1 + excess_risk(c5[0], c5[1:]))
        out["ols5_coef"].append([float(v) for v in c5])
        alphas, best, one_se = cross_validate(X5, y, 1.0, 30, 1e-3)
        out["lasso_min_alpha"].append(float(alphas[best]))
        for key, idx, zero in (("lasso_min", best, "lasso_min_zero"), ("lasso_1se", one_se, "lasso_1se_zero")):
            w, b = refit(X5, y, alphas[idx], 1.0)
            out[key + "_test"].append(1 + excess_risk(b, w))
            if key == "lasso_min":
                out["lasso_min_coef"].append([float(b)] + [float(v) for v in w])
            for k in range(degree):
                out[zero][k] += int(w[k] == 0)
        alphas, best, _ = cross_validate(X5, y, 0.0, 30, 1e-3)
        out["ridge_min_alpha"].append(float(alphas[best]))
        w, b = refit(X5, y, alphas[best], 0.0)
        out["ridge_min_test"].append(1 + excess_risk(b, w))
        Xs_mean, Xs_sd = standardize(X5)
        from sklearn.linear_model import Lasso, Ridge
        lasso = Lasso(alpha=10 * alpha_max(X5, y, 1.0), tol=1e-12).fit((X5 - Xs_mean) / Xs_sd, y)
        out["lasso_huge_intercept"].append(float(lasso.intercept_))
        ridge = Ridge(alpha=1e8 * rows).fit((X5 - Xs_mean) / Xs_sd, y)
        out["ridge_huge_intercept"].append(float(ridge.intercept_))
        out["mean_y"].append(float(y.mean()))
    return out


def l1_optimum(H, wstar, t):
    """Point of the exact lasso path (LARS) with ‖w‖₁ = t (the L1-ball optimum when ‖w*‖₁ > t)."""
    if np.abs(wstar).sum() <= t:
        return wstar.copy()
    _, _, coefs = lars_path_gram(Xy=H @ wstar, Gram=H, n_samples=1, method="lasso")
    # A variable that leaves the active set at a knot is left there as a rounding residue (e.g. 2.8e-17): it is 0.
    coefs[np.abs(coefs) <= 1e-12 * np.abs(coefs).max()] = 0.0
    norms = np.abs(coefs).sum(axis=0)
    k = int(np.searchsorted(norms, t))  # norms increase along the path from 0 to ‖w*‖₁
    lo, hi = coefs[:, k - 1], coefs[:, k]
    f = (t - norms[k - 1]) / (norms[k] - norms[k - 1])
    w = lo + f * (hi - lo)
    w[(lo == 0) & (hi == 0)] = 0.0
    return w


def l2_optimum(H, wstar, t):
    if np.linalg.norm(wstar) <= t:
        return wstar.copy()
    g = H @ wstar
    w = lambda mu: np.linalg.solve(H + mu * np.eye(2), g)
    hi = 1.0
    while np.linalg.norm(w(hi)) > t:
        hi *= 2
    mu = brentq(lambda m: np.linalg.norm(w(m)) - t, 0, hi, xtol=1e-300, rtol=4 * np.finfo(float).eps, maxiter=500)
    return w(mu)


def geometry(problems=2000, rows=20, budgets=(0.1, 0.25, 0.5, 0.75, 0.9), seed=1, keep=50):
    out = {"problems": problems, "rows": rows, "budgets": list(budgets), "seed": seed,
           "l1_on_axis": [0] * len(budgets), "l2_on_axis": [0] * len(budgets), "l1_optima": [], "l2_optima": []}
    for d in range(problems):
        H, ws = geometry_draw(seed + d, rows)
        l1_row, l2_row = [], []
        for b, s in enumerate(budgets):
            w1 = l1_optimum(H, ws, s * np.abs(ws).sum())
            t2 = s * np.linalg.norm(ws)
            w2 = l2_optimum(H, ws, t2)
            out["l1_on_axis"][b] += int(w1[0] == 0 or w1[1] == 0)
            out["l2_on_axis"][b] += int(min(abs(w2[0]), abs(w2[1])) <= 1e-9 * t2)
            l1_row.append([float(v) for v in w1])
            l2_row.append([float(v) for v in w2])
        if d < keep:
            out["l1_optima"].append(l1_row)
            out["l2_optima"].append(l2_row)
    return out


def multicollinearity(correlations=(0.0, 0.9, 0.99), resamples=200, rows=50, seed=1):
    out = {"correlations": list(correlations), "resamples": resamples, "rows": rows, "seed": seed, "levels": []}
    for c, r in enumerate(correlations):
        level = {"correlation": r, "ols_effects": [], "effects": {"ridge": [], "lasso": [], "elasticnet": []},
                 "kept": {}, "test": {"ols": [], "ridge": [], "lasso": [], "elasticnet": []}}
        cov = np.array([[900, 30 * r, 0, 0], [30 * r, 1, 0, 0], [0, 0, 225, 0], [0, 0, 0, 10_000]])
        for d in range(resamples):
            X, y = collinear_draw(seed + 1000 * c + d, rows, r)
            A = np.column_stack([np.ones(rows), X])
            ols = np.linalg.lstsq(A, y, rcond=None)[0]
            fits = {"ols": (ols[1:], ols[0])}
            for name, rho in (("ridge", 0.0), ("lasso", 1.0), ("elasticnet", 0.5)):
                alphas, best, _ = cross_validate(X, y, rho, 30, 1e-3)
                fits[name] = refit(X, y, alphas[best], rho)
            for name, (w, b) in fits.items():
                dw = w - MC_COEF
                shift = b + dw @ MC_MEAN
                level["test"][name].append(float(MC_NOISE ** 2 + shift ** 2 + dw @ cov @ dw))
                effects = [float(v) for v in w * MC_SD]
                if name == "ols":
                    level["ols_effects"].append(effects)
                else:
                    level["effects"][name].append(effects)
        for name in ("lasso", "elasticnet"):
            e = np.array(level["effects"][name])
            a, rm = e[:, 0] != 0, e[:, 1] != 0
            level["kept"][name] = {"area_only": int((a & ~rm).sum()), "rooms_only": int((~a & rm).sum()),
                                   "both": int((a & rm).sum()), "neither": int((~a & ~rm).sum()),
                                   "lot_zero": int((e[:, 3] == 0).sum())}
        out["levels"].append(level)
    return out


def biases(datasets=200, rows=200, seed=1):
    out = {"datasets": datasets, "rows": rows, "seed": seed, "logistic_intercept": [], "log_odds": []}
    for d in range(datasets):
        X, y = binary_draw(seed + 500_000 + d, rows)
        p = y.mean()
        m = LogisticRegression(penalty="l2", C=1e-10, solver="newton-cholesky", tol=1e-14, max_iter=1000).fit(X, y)
        out["logistic_intercept"].append(float(m.intercept_[0]))
        out["log_odds"].append(math.log(p / (1 - p)))
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    result = {
        "generator": "xoshiro256** + SplitMix64, Marsaglia polar normals (Occam.Numerics.Random.Rng)",
        "numpy": np.__version__,
        "sklearn": __import__("sklearn").__version__,
        "polynomial": polynomial(),
        "geometry": geometry(),
        "multicollinearity": multicollinearity(),
        "biases": biases(),
    }
    with open(os.path.join(here, "linear_reference.json"), "w") as f:
        json.dump(result, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
