using System.Diagnostics;
using System.Runtime.CompilerServices;
using Occam.Numerics.LinearAlgebra;

namespace Occam.Linear;

/// <summary>
/// Penalized multinomial logistic regression on centred/scaled columns, as glmnet's <c>family = "multinomial"</c>:
/// minimizes
/// <code>(1/n)·Σᵢ [log Σₖ e^ηᵢₖ − ηᵢ,yᵢ] + α·Σⱼ vⱼ·((1−ρ)/2·‖βⱼ‖² + ρ·‖βⱼ‖_q),  ηᵢₖ = bₖ + x̃ᵢᵀβ_·ₖ</code>
/// over the p × K matrix B (row βⱼ = feature j across the K classes) and the K intercepts; q = 1 (ungrouped) or
/// q = 2 (grouped, glmnet's <c>type.multinomial = "grouped"</c>).
/// Ungrouped: cyclic over classes, one proximal Newton step per class (the class block's exact Hessian, weights
/// pᵢₖ(1 − pᵢₖ)) solved by coordinate descent, with backtracking. Grouped: one proximal step on all classes with the
/// per-row isotropic bound tᵢ = 2·maxₖ pᵢₖ(1 − pᵢₖ) ≥ λ_max(diag pᵢ − pᵢpᵢᵀ) (Gershgorin; glmnet uses the maximum over
/// rows) and block soft-thresholding, with backtracking. The loss is invariant under βⱼ → βⱼ + c·1 and b → b + c·1:
/// after every round each βⱼ is shifted by the c that minimizes its penalty (glmnet's <c>elc</c>) and the intercepts are
/// centred to sum 0. Stops on the Fenchel duality gap (see docs/algorithms/multinomial-regression.md).
/// </summary>
internal sealed class MultinomialSolver
{
    private readonly int _n, _p, _k;
    private readonly double[] _x;      // column-major n × p, centred/scaled
    private readonly int[] _y;         // class index per row
    private readonly bool[] _excluded;
    private readonly double[] _v;
    private readonly LinearOptions _o;
    private readonly bool _grouped;
    private readonly double[] _w;      // p × K, feature-major: _w[j·K + k]
    private readonly double[] _wOld, _c, _xv;
    private readonly double[] _b, _bOld;
    private readonly double[] _eta, _prob;   // K × n, class-major
    private readonly double[] _wt, _r;       // weights (n) and working residuals (K × n)
    private readonly double[] _tmp;
    private readonly bool[] _strong;
    private readonly int[] _list;
    private readonly double[] _shiftBuf;
    private double _loss;
    private const int StallRounds = 50;

    public MultinomialSolver(double[] xColumnMajor, int n, int p, int[] y, int classes, bool[] excluded, LinearOptions o, bool grouped)
    {
        _n = n; _p = p; _k = classes; _x = xColumnMajor; _y = y; _excluded = excluded; _o = o; _grouped = grouped;
        _v = o.PenaltyFactors ?? Enumerable.Repeat(1.0, p).ToArray();
        _w = new double[p * classes]; _wOld = new double[p * classes]; _c = new double[p * classes];
        _xv = new double[p];
        _b = new double[classes]; _bOld = new double[classes];
        _eta = new double[classes * n]; _prob = new double[classes * n];
        _wt = new double[n]; _r = new double[classes * n]; _tmp = new double[n];
        _strong = new bool[p];
        _list = new int[p];
        _shiftBuf = new double[classes];
        var counts = new double[classes];
        foreach (int c in y) counts[c]++;
        double nullLoss = 0;
        for (int k = 0; k < classes; k++)
        {
            if (counts[k] == 0)
                throw new ArgumentException($"class {k} has no rows in the training data; multinomial regression needs every class present.", nameof(y));
            double f = counts[k] / n;
            nullLoss -= f * Math.Log(f);
        }
        NullLoss = o.FitIntercept ? nullLoss : Math.Log(classes);
        ResetToNull();
    }

    /// <summary>Mean log-loss of the intercept-only model (log K without an intercept).</summary>
    public double NullLoss { get; }
    /// <summary>Coefficients (standardized units), feature-major p × K.</summary>
    public double[] W => _w;
    /// <summary>Intercepts, one per class (sum 0 with an intercept).</summary>
    public double[] B => _b;
    public int Classes => _k;

    private Span<double> Column(int j) => _x.AsSpan(j * _n, _n);
    private Span<double> Eta(int k) => _eta.AsSpan(k * _n, _n);
    private Span<double> Prob(int k) => _prob.AsSpan(k * _n, _n);
    private Span<double> Res(int k) => _r.AsSpan(k * _n, _n);

    private void ResetToNull()
    {
        Array.Clear(_w);
        Array.Clear(_b);
        if (_o.FitIntercept)
        {
            var counts = new double[_k];
            foreach (int c in _y) counts[c]++;
            for (int k = 0; k < _k; k++) _b[k] = Math.Log(counts[k] / _n);
            CenterIntercepts();
        }
        Refresh();
    }

    private void CenterIntercepts()
    {
        if (!_o.FitIntercept) return;
        double m = _b.Average();
        for (int k = 0; k < _k; k++) _b[k] -= m;
    }

    /// <summary>η, probabilities and the mean log-loss from (B, b).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Refresh()
    {
        for (int k = 0; k < _k; k++) RefreshEta(k);
        RefreshFromEta();
    }

    private void RefreshEta(int k)
    {
        var eta = Eta(k);
        eta.Fill(_b[k]);
        for (int j = 0; j < _p; j++)
        {
            double w = _w[j * _k + k];
            if (w != 0) Axpy.Compute(w, Column(j), eta);
        }
    }

    /// <summary>Softmax probabilities and the mean log-loss (log-sum-exp with the row maximum subtracted).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RefreshFromEta()
    {
        double loss = 0;
        for (int i = 0; i < _n; i++)
        {
            double m = double.NegativeInfinity;
            for (int k = 0; k < _k; k++) m = Math.Max(m, _eta[k * _n + i]);
            double s = 0;
            for (int k = 0; k < _k; k++) s += Math.Exp(_eta[k * _n + i] - m);
            double lse = m + Math.Log(s);
            loss += lse - _eta[_y[i] * _n + i];
            for (int k = 0; k < _k; k++) _prob[k * _n + i] = Math.Exp(_eta[k * _n + i] - lse);
        }
        _loss = loss / _n;
    }

    /// <summary>
    /// Newton on the K intercepts jointly (B fixed) until Σᵢ(yᵢₖ − pᵢₖ) = 0 for every class to rounding, so that
    /// Θ = Y − P meets the intercepts' dual constraints; then the intercepts are centred (the loss does not change).
    /// The Hessian H = Σᵢ(diag pᵢ − pᵢpᵢᵀ) is singular along 1; H + 11ᵀ has the same Newton step on gradients that sum
    /// to 0 (they do: Σₖ(yᵢₖ − pᵢₖ) = 0), and is positive definite.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void OptimizeIntercepts()
    {
        if (!_o.FitIntercept) return;
        int K = _k;
        var h = new double[K * K];
        var g = new double[K];
        for (int it = 0; it < 100; it++)
        {
            Array.Clear(g);
            Array.Clear(h);
            for (int i = 0; i < _n; i++)
            {
                g[_y[i]] += 1;
                for (int k = 0; k < K; k++)
                {
                    double pk = _prob[k * _n + i];
                    g[k] -= pk;
                    h[k * K + k] += pk;
                    for (int m = 0; m <= k; m++) h[k * K + m] -= pk * _prob[m * _n + i];
                }
            }
            double worst = 0;
            for (int k = 0; k < K; k++) worst = Math.Max(worst, Math.Abs(g[k]));
            if (worst <= 1e-13 * _n) break;
            for (int k = 0; k < K; k++)
                for (int m = 0; m <= k; m++) { h[k * K + m] += 1; h[m * K + k] = h[k * K + m]; }
            if (!Cholesky.Factor(h, K)) break;
            Cholesky.Solve(h, K, g);
            // Damped: halve the step while the loss rises (the applied step goes from s to s/2 by adding −(s/2)·g).
            double before = _loss, applied = 0;
            for (int t = 0; t < 30; t++)
            {
                double target = t == 0 ? 1 : applied / 2;
                for (int k = 0; k < K; k++)
                {
                    double db = (target - applied) * g[k];
                    _b[k] += db;
                    var eta = Eta(k);
                    for (int i = 0; i < _n; i++) eta[i] += db;
                }
                applied = target;
                RefreshFromEta();
                if (_loss <= before + 1e-15 * Math.Abs(before)) break;
            }
        }
        double mean = _b.Average();
        for (int k = 0; k < K; k++)
        {
            _b[k] -= mean;
            var eta = Eta(k);
            for (int i = 0; i < _n; i++) eta[i] -= mean;
        }
        RefreshFromEta();
    }

    /// <summary>Intercepts optimized, then cⱼₖ = x̃ⱼᵀ(yₖ − pₖ)/n for every feature and class.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FullGradient()
    {
        OptimizeIntercepts();
        for (int k = 0; k < _k; k++)
        {
            var pk = Prob(k);
            for (int i = 0; i < _n; i++) _tmp[i] = (_y[i] == k ? 1 : 0) - pk[i];
            DotColumns.Compute(_x, _n, _tmp, _excluded, _n, _c, _k, k, DotColumns.Threads);   // the same bits on any thread count
        }
    }

    /// <summary>‖cⱼ‖_∞ (ungrouped) or ‖cⱼ‖₂ (grouped): the dual norm of the feature's penalty.</summary>
    private double DualNorm(double[] a, int j)
    {
        double s = 0;
        for (int k = 0; k < _k; k++)
        {
            double v = a[j * _k + k];
            s = _grouped ? s + v * v : Math.Max(s, Math.Abs(v));
        }
        return _grouped ? Math.Sqrt(s) : s;
    }

    private double PrimalNorm(int j)
    {
        double s = 0;
        for (int k = 0; k < _k; k++)
        {
            double v = _w[j * _k + k];
            s += _grouped ? v * v : Math.Abs(v);
        }
        return _grouped ? Math.Sqrt(s) : s;
    }

    private bool RowNonZero(int j)
    {
        for (int k = 0; k < _k; k++)
            if (_w[j * _k + k] != 0) return true;
        return false;
    }

    private double Objective(double l1, double l2)
    {
        double pen = 0;
        for (int j = 0; j < _p; j++)
        {
            if (_v[j] == 0 || !RowNonZero(j)) continue;
            double sq = 0;
            for (int k = 0; k < _k; k++) sq += _w[j * _k + k] * _w[j * _k + k];
            pen += _v[j] * (l1 * PrimalNorm(j) + 0.5 * l2 * sq);
        }
        return _loss + pen;
    }

    /// <summary>Fits unpenalized features (if any) with the penalized ones at 0, then returns α_max with ρ' = max(ρ, 1e-3).</summary>
    public double AlphaMax()
    {
        ResetToNull();
        if (Enumerable.Range(0, _p).Any(j => !_excluded[j] && _v[j] == 0))
            Solve(1e300, 1e300);
        FullGradient();
        double rho = Math.Max(_o.L1Ratio, 1e-3), amax = 0;
        for (int j = 0; j < _p; j++)
            if (!_excluded[j] && _v[j] > 0) amax = Math.Max(amax, DualNorm(_c, j) / (rho * _v[j]));
        // Rounded up so that the fit at α_max itself is exactly zero despite rounding in α·ρ·vⱼ.
        return amax * (1 + 1e-15);
    }

    public SolveReport Solve(double alpha, double alphaPrev)
    {
        double rho = _o.L1Ratio, l1 = alpha * rho, l2 = alpha * (1 - rho);
        bool screen = _o.Screening == Screening.StrongRules && rho > 0;
        double threshold = rho * (2 * alpha - alphaPrev);
        FullGradient();
        for (int j = 0; j < _p; j++)
            _strong[j] = !_excluded[j] && (!screen || _v[j] == 0 || RowNonZero(j) || DualNorm(_c, j) >= threshold * _v[j]);
        double gapTol = _o.Tolerance * NullLoss;
        int iter = 0;
        double gap = double.PositiveInfinity;
        bool converged = false;
        double lastObj = double.PositiveInfinity;
        int stalled = 0;
        for (int round = 0; round < 100_000; round++)
        {
            bool added = false;
            for (int j = 0; j < _p; j++)
                if (!_strong[j] && !_excluded[j] && DualNorm(_c, j) > l1 * _v[j]) { _strong[j] = true; added = true; }
            gap = Gap(l1, l2);
            if (!added && gap <= gapTol) { converged = true; break; }
            if (iter >= _o.MaxIterations) break;
            // No progress for 50 rounds: the gap is at the rounding level of its own evaluation (tol too small for this
            // n·K); stop and report not converged rather than spin until the iteration limit.
            double obj = Objective(l1, l2);
            stalled = obj >= lastObj - 1e-15 * Math.Abs(lastObj) ? stalled + 1 : 0;
            lastObj = Math.Min(lastObj, obj);
            if (stalled >= StallRounds) break;
            // Inner accuracy follows the current gap: a quadratic model solved much more finely than the outer
            // iterate is accurate wastes sweeps, and a fixed tiny tolerance never ends on rounding noise.
            double innerTol = Math.Max(1e-2 * gap, 1e-3 * gapTol);
            if (_grouped)
            {
                iter += GroupedStep(l1, l2, innerTol, _o.MaxIterations - iter);
            }
            else
            {
                for (int k = 0; k < _k && iter < _o.MaxIterations; k++)
                    iter += ClassStep(k, l1, l2, innerTol, _o.MaxIterations - iter);
                ShiftRows(rho);
            }
            FullGradient();
        }
        double dev = 1 - _loss / NullLoss;
        return new SolveReport(iter, gap, gapTol, converged, dev);
    }

    /// <summary>Weighted column norms ξⱼ = Σᵢ ωᵢx̃ᵢⱼ²/n of the strong features, for the current weights.</summary>
    private void ColumnNorms()
    {
        for (int j = 0; j < _p; j++)
        {
            if (!_strong[j]) continue;
            var col = Column(j);
            double s = 0;
            for (int i = 0; i < _n; i++) s += _wt[i] * col[i] * col[i];
            _xv[j] = s / _n;
        }
    }

    /// <summary>
    /// One proximal Newton step on class k's coefficients and intercept (the other classes fixed): the block's exact
    /// Hessian has weights pᵢₖ(1 − pᵢₖ), so this is a binary logistic Newton step with the other classes as offset.
    /// Returns the coordinate sweeps used.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int ClassStep(int k, double l1, double l2, double innerTol, int budget)
    {
        double objOld = Objective(l1, l2);
        double bOld = _b[k];
        for (int j = 0; j < _p; j++) _wOld[j] = _w[j * _k + k];
        var pk = Prob(k);
        var r = Res(k);
        for (int i = 0; i < _n; i++)
        {
            _wt[i] = Math.Max(pk[i] * (1 - pk[i]), 1e-5);
            r[i] = (_y[i] == k ? 1 : 0) - pk[i];
        }
        double sw = PrepareWeightedNorms();
        int sweeps = 0;
        while (sweeps < budget)
        {
            int m = Collect(k, activeOnly: false);
            double d = SweepClass(k, m, l1, l2, sw);
            sweeps++;
            if (d <= innerTol) break;
            m = Collect(k, activeOnly: true);
            do { d = SweepClass(k, m, l1, l2, sw); sweeps++; } while (d > innerTol && sweeps < budget);
        }
        RefreshEta(k);
        RefreshFromEta();
        double obj = Objective(l1, l2);
        for (int t = 0; t < 40 && obj > objOld + 1e-13 * Math.Abs(objOld); t++)
        {
            for (int j = 0; j < _p; j++) _w[j * _k + k] = _wOld[j] + 0.5 * (_w[j * _k + k] - _wOld[j]);
            _b[k] = bOld + 0.5 * (_b[k] - bOld);
            RefreshEta(k);
            RefreshFromEta();
            obj = Objective(l1, l2);
        }
        return Math.Max(sweeps, 1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double SweepClass(int k, int m, double l1, double l2, double sw)
    {
        double d = 0;
        var r = Res(k);
        for (int q = 0; q < m; q++)
        {
            int j = _list[q];
            var col = Column(j);
            double old = _w[j * _k + k], xv = _xv[j];
            double z = Dot.Compute(col, r) / _n + xv * old;
            double t = l1 * _v[j], den = xv + l2 * _v[j];
            double nw = z > t ? (z - t) / den : z < -t ? (z + t) / den : 0.0;
            if (nw == old) continue;
            double delta = nw - old;
            _w[j * _k + k] = nw;
            WeightedAxpy.Compute(-delta, _wt, col, r);
            d = Math.Max(d, xv * delta * delta);
        }
        if (_o.FitIntercept)
        {
            double sr = 0;
            for (int i = 0; i < _n; i++) sr += r[i];
            double db = sr / _n / sw;
            if (db != 0)
            {
                _b[k] += db;
                Axpy.Compute(-db, _wt, r);
                d = Math.Max(d, sw * db * db);
            }
        }
        return d;
    }

    /// <summary>
    /// One proximal step on all classes with the per-row isotropic curvature tᵢ = 2·maxₖ pᵢₖ(1 − pᵢₖ): the model is
    /// separable over features with the same weight in every class, so each βⱼ gets a closed-form block
    /// soft-thresholding update. Backtracking as in <see cref="ClassStep"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int GroupedStep(double l1, double l2, double innerTol, int budget)
    {
        double objOld = Objective(l1, l2);
        _b.CopyTo(_bOld, 0);
        _w.CopyTo(_wOld, 0);
        for (int i = 0; i < _n; i++)
        {
            double t = 0;
            for (int k = 0; k < _k; k++) { double q = _prob[k * _n + i]; t = Math.Max(t, q * (1 - q)); }
            _wt[i] = Math.Max(2 * t, 1e-5);
        }
        for (int k = 0; k < _k; k++)
        {
            var pk = Prob(k);
            var r = Res(k);
            for (int i = 0; i < _n; i++) r[i] = (_y[i] == k ? 1 : 0) - pk[i];
        }
        double sw = PrepareWeightedNorms();
        int sweeps = 0;
        while (sweeps < budget)
        {
            int m = Collect(-1, activeOnly: false);
            double d = SweepGrouped(m, l1, l2, sw);
            sweeps++;
            if (d <= innerTol) break;
            m = Collect(-1, activeOnly: true);
            do { d = SweepGrouped(m, l1, l2, sw); sweeps++; } while (d > innerTol && sweeps < budget);
        }
        CenterIntercepts();
        Refresh();
        double obj = Objective(l1, l2);
        for (int t = 0; t < 40 && obj > objOld + 1e-13 * Math.Abs(objOld); t++)
        {
            for (int a = 0; a < _w.Length; a++) _w[a] = _wOld[a] + 0.5 * (_w[a] - _wOld[a]);
            for (int k = 0; k < _k; k++) _b[k] = _bOld[k] + 0.5 * (_b[k] - _bOld[k]);
            Refresh();
            obj = Objective(l1, l2);
        }
        return Math.Max(sweeps, 1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double SweepGrouped(int m, double l1, double l2, double sw)
    {
        double d = 0;
        var z = _shiftBuf;
        for (int q = 0; q < m; q++)
        {
            int j = _list[q];
            var col = Column(j);
            double xv = _xv[j], norm = 0;
            for (int k = 0; k < _k; k++)
            {
                z[k] = Dot.Compute(col, Res(k)) / _n + xv * _w[j * _k + k];
                norm += z[k] * z[k];
            }
            norm = Math.Sqrt(norm);
            double t = l1 * _v[j], den = xv + l2 * _v[j];
            double scale = norm > t ? (1 - t / norm) / den : 0.0;
            for (int k = 0; k < _k; k++)
            {
                double nw = scale * z[k], old = _w[j * _k + k];
                if (nw == old) continue;
                double delta = nw - old;
                _w[j * _k + k] = nw;
                WeightedAxpy.Compute(-delta, _wt, col, Res(k));
                d = Math.Max(d, xv * delta * delta);
            }
        }
        if (_o.FitIntercept)
        {
            for (int k = 0; k < _k; k++)
            {
                var r = Res(k);
                double sr = 0;
                for (int i = 0; i < _n; i++) sr += r[i];
                double db = sr / _n / sw;
                if (db == 0) continue;
                _b[k] += db;
                Axpy.Compute(-db, _wt, r);
                d = Math.Max(d, sw * db * db);
            }
        }
        return d;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Collect(int k, bool activeOnly)
    {
        int m = 0;
        for (int j = 0; j < _p; j++)
        {
            if (!_strong[j]) continue;
            if (activeOnly && (k >= 0 ? _w[j * _k + k] == 0 : !RowNonZero(j))) continue;
            _list[m++] = j;
        }
        return m;
    }

    /// <summary>
    /// Ungrouped only: βⱼ ← βⱼ − c·1 with c minimizing the penalty (1−ρ)/2·Σₖ(βⱼₖ − c)² + ρ·Σₖ|βⱼₖ − c| (the loss does not
    /// change); the mean for ρ = 0 or unpenalized features, the median for ρ = 1 (the midpoint of the two middle values
    /// for even K, as glmnet), in between otherwise. Intercepts are centred the same way (to mean 0).
    /// </summary>
    private void ShiftRows(double rho)
    {
        bool changed = false;
        for (int j = 0; j < _p; j++)
        {
            if (_excluded[j] || !RowNonZero(j)) continue;
            for (int k = 0; k < _k; k++) _shiftBuf[k] = _w[j * _k + k];
            double c = PenaltyCenter(_shiftBuf, _v[j] == 0 ? 0 : rho);
            if (c == 0) continue;
            for (int k = 0; k < _k; k++) _w[j * _k + k] -= c;
            changed = true;
        }
        CenterIntercepts();
        if (changed || _o.FitIntercept) Refresh();
    }

    /// <summary>argmin over c of (1−ρ)/2·Σₖ(aₖ − c)² + ρ·Σₖ|aₖ − c| (sorts <paramref name="a"/>).</summary>
    internal static double PenaltyCenter(double[] a, double rho)
    {
        int n = a.Length;
        double mean = a.Average();
        if (rho == 0) return mean;
        Array.Sort(a);
        if (rho == 1)
            return n % 2 == 1 ? a[n / 2] : 0.5 * (a[n / 2 - 1] + a[n / 2]);
        // φ'(c) = (1−ρ)(n·c − Σa) + ρ(#{a < c} − #{a > c}): increasing; find its zero.
        double sum = a.Sum();
        for (int i = 0; i < n; i++)
        {
            // Breakpoint a[i]: subgradient interval with `lt` values below and `gt` above.
            int lt = 0, gt = 0;
            for (int q = 0; q < n; q++) { if (a[q] < a[i]) lt++; else if (a[q] > a[i]) gt++; }
            double smooth = (1 - rho) * (n * a[i] - sum);
            double lo = smooth + rho * (lt - gt - (n - lt - gt)), hi = smooth + rho * (lt - gt + (n - lt - gt));
            if (lo <= 0 && hi >= 0) return a[i];
            // Open interval (a[i], a[i+1]): i+1 values below.
            if (i + 1 < n && a[i + 1] > a[i])
            {
                double c = (sum - rho * (2 * (i + 1) - n) / (1 - rho)) / n;
                if (c > a[i] && c < a[i + 1]) return c;
            }
        }
        double below = (sum - rho * (-n) / (1 - rho)) / n, above = (sum - rho * n / (1 - rho)) / n;
        return below < a[0] ? below : above;
    }

    /// <summary>Mean of the current IRLS weights (the curvature scale of the quadratic model), after refreshing the weighted column norms.</summary>
    private double PrepareWeightedNorms()
    {
        double sw = 0;
        for (int i = 0; i < _n; i++) sw += _wt[i];
        ColumnNorms();
        return sw / _n;
    }

    /// <summary>
    /// Fenchel duality gap at Θ = κ(Y − P): D(Θ) = −(1/n)·Σᵢ Σₖ sᵢₖ ln sᵢₖ − Σⱼ (‖κcⱼ‖_* − αρvⱼ)₊²/(2α(1−ρ)vⱼ), with
    /// sᵢ = yᵢ − θᵢ = (1 − κ)yᵢ + κpᵢ (a point of the simplex), cⱼ = X̃ⱼᵀ(Y − P)/n and ‖·‖_* the dual norm of the penalty
    /// (max-abs ungrouped, Euclidean grouped). κ = 1 when ρ &lt; 1; for ρ &gt; 0 also κ = min(1, αρ/maxⱼ ‖cⱼ‖_*/vⱼ).
    /// The intercepts' dual constraints Σᵢ θᵢₖ = 0 hold because <see cref="FullGradient"/> optimizes them first.
    /// </summary>
    private double Gap(double l1, double l2)
    {
        double primal = Objective(l1, l2);
        double maxRatio = 0;
        for (int j = 0; j < _p; j++)
            if (!_excluded[j] && _v[j] > 0) maxRatio = Math.Max(maxRatio, DualNorm(_c, j) / _v[j]);
        return DualScaling.Gap(primal, maxRatio, l1, l2, kappa => DualValue(kappa, l1, l2));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double DualValue(double kappa, double l1, double l2)
    {
        double h = 0;
        for (int k = 0; k < _k; k++)
        {
            var pk = Prob(k);
            for (int i = 0; i < _n; i++)
            {
                double s = (_y[i] == k ? 1 - kappa : 0) + kappa * pk[i];
                if (s > 0) h += s * Math.Log(s);
            }
        }
        double conj = 0;
        for (int j = 0; j < _p; j++)
        {
            if (_excluded[j] || _v[j] == 0) continue;
            if (_grouped)
            {
                double e = kappa * DualNorm(_c, j) - l1 * _v[j];
                if (e > 0) conj += l2 > 0 ? e * e / (2 * l2 * _v[j]) : double.PositiveInfinity;
            }
            else
            {
                for (int k = 0; k < _k; k++)
                {
                    double e = Math.Abs(kappa * _c[j * _k + k]) - l1 * _v[j];
                    if (e > 0) conj += l2 > 0 ? e * e / (2 * l2 * _v[j]) : double.PositiveInfinity;
                }
            }
        }
        return -h / _n - conj;
    }
}
