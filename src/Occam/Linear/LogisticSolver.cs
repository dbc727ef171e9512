using System.Runtime.CompilerServices;
using System.Diagnostics;
using System.Numerics.Tensors;
using Occam.Numerics.LinearAlgebra;
using Occam.Numerics.Prox;

namespace Occam.Linear;

/// <summary>
/// Proximal Newton (IRLS) with coordinate descent for penalized binary logistic regression, as glmnet:
/// minimizes (1/n)·Σᵢ [log(1 + e^ηᵢ) − yᵢηᵢ] + α·Σⱼ vⱼ(ρ|wⱼ| + (1−ρ)/2·wⱼ²), ηᵢ = b + x̃ᵢᵀw, yᵢ ∈ {0, 1}.
/// Each Newton step minimizes the penalized weighted least-squares model with weights pᵢ(1 − pᵢ) by cyclic CD
/// (intercept updated as an unpenalized coordinate), followed by a backtracking step if the objective rose.
/// </summary>
internal sealed partial class LogisticSolver
{
    private readonly int _n, _p;
    private readonly double[] _x;   // column-major, centred/scaled
    private readonly double[] _y;
    private readonly bool[] _excluded;
    private readonly double[] _v;
    private readonly LinearOptions _o;
    private readonly double[] _w, _wOld, _c, _xv, _eta, _prob, _wt, _r, _tmp, _dual;
    private readonly bool[] _strong;
    private readonly int[] _list;
    private double _b;
    private double _loss;
    private readonly double _ySum;
    private double[] _h = [];
    private double[] _step = [];
    private double[]? _sqrtWt;
    private bool _supportChanged;
    private bool _gradientFresh;   // _c (and the optimized intercept) belong to the current (w, b)

    /// <summary>Largest support on which <see cref="SupportNewton"/> is tried (its matrix has (m + 1)² entries).</summary>
    private const int MaxNewtonSupport = 2048;

    public LogisticSolver(double[] xColumnMajor, int n, int p, double[] y, bool[] excluded, LinearOptions o)
    {
        _n = n; _p = p; _x = xColumnMajor; _y = y; _excluded = excluded; _o = o;
        _v = o.PenaltyFactors ?? Enumerable.Repeat(1.0, p).ToArray();
        _w = new double[p]; _wOld = new double[p]; _c = new double[p]; _xv = new double[p];
        _eta = new double[n]; _prob = new double[n]; _wt = new double[n]; _r = new double[n]; _tmp = new double[n]; _dual = new double[n];
        _strong = new bool[p];
        _list = new int[p];
        _ySum = TensorPrimitives.Sum(y);
        double ybar = y.Average();
        if (!(ybar > 0 && ybar < 1))
            throw new ArgumentException("y holds a single class; binary logistic regression needs both 0 and 1 in the training rows.", nameof(y));
        NullLoss = o.FitIntercept ? -(ybar * Math.Log(ybar) + (1 - ybar) * Math.Log(1 - ybar)) : Math.Log(2);
        _b = o.FitIntercept ? Math.Log(ybar / (1 - ybar)) : 0;
        Refresh();
    }

    /// <summary>Mean log-loss of the intercept-only model (log 2 without an intercept).</summary>
    public double NullLoss { get; }
    public double[] W => _w;
    public double B => _b;

    private Span<double> Column(int j) => _x.AsSpan(j * _n, _n);

    /// <summary>η, p and the mean log-loss from (w, b).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Refresh()
    {
        _gradientFresh = false;
        Array.Fill(_eta, _b);
        for (int j = 0; j < _p; j++)
            if (_w[j] != 0) Axpy.Compute(_w[j], Column(j), _eta);
        RefreshFromEta();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RefreshFromEta()
    {
        _loss = LogisticTerms.Compute(_eta, _y, _prob) / _n;
    }

    /// <summary>
    /// Newton iterations on the intercept alone (w fixed) until Σ(yᵢ − pᵢ) = 0 to rounding, so that θ = y − p meets
    /// the intercept's dual constraint and the duality gap below is a valid bound.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void OptimizeIntercept()
    {
        if (!_o.FitIntercept) return;
        for (int it = 0; it < 100; it++)
        {
            // g = Σ(yᵢ − pᵢ), h = Σpᵢ(1 − pᵢ)
            double sp = TensorPrimitives.Sum(_prob);
            double g = _ySum - sp, h = sp - TensorPrimitives.Dot(_prob, _prob);
            if (!(h > 0) || Math.Abs(g) <= 1e-13 * _n) break;
            double db = g / h;
            _b += db;
            TensorPrimitives.Add(_eta, db, _eta);
            RefreshFromEta();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FullGradient()
    {
        OptimizeIntercept();
        TensorPrimitives.Subtract(_y, _prob, _tmp);
        DotColumns.Compute(_x, _n, _tmp, _excluded, _n, _c, 1, 0, DotColumns.Threads);   // cⱼ = x̃ⱼᵀ(y − p)/n, the same bits on any thread count
        _gradientFresh = true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double Objective(double l1, double l2)
    {
        double pen = 0;
        for (int j = 0; j < _p; j++) pen += _v[j] * (l1 * Math.Abs(_w[j]) + 0.5 * l2 * _w[j] * _w[j]);
        return _loss + pen;
    }

    /// <summary>Fits unpenalized features (if any) with the penalized ones at 0, then returns α_max with ρ' = max(ρ, 1e-3).</summary>
    public double AlphaMax()
    {
        Array.Clear(_w);
        _b = _o.FitIntercept ? Math.Log(_y.Average() / (1 - _y.Average())) : 0;
        Refresh();
        if (Enumerable.Range(0, _p).Any(j => !_excluded[j] && _v[j] == 0))
            Solve(1e300, 1e300);
        FullGradient();
        double rho = Math.Max(_o.L1Ratio, 1e-3), amax = 0;
        for (int j = 0; j < _p; j++)
            if (!_excluded[j] && _v[j] > 0) amax = Math.Max(amax, Math.Abs(_c[j]) / (rho * _v[j]));
        // Rounded up by a few ulps so that the fit at α_max itself is exactly zero despite rounding in α·ρ·vⱼ.
        return amax * (1 + 1e-15);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public SolveReport Solve(double alpha, double alphaPrev, int? maxIterations = null)
    {
        int maxIter = maxIterations ?? _o.MaxIterations;
        double rho = _o.L1Ratio, l1 = alpha * rho, l2 = alpha * (1 - rho);
        bool screen = _o.Screening == Screening.StrongRules && rho > 0;
        double threshold = rho * (2 * alpha - alphaPrev);
        // Along a path the previous Solve ended with a full gradient at the same (w, b): no need for another pass.
        if (!_gradientFresh) FullGradient();
        for (int j = 0; j < _p; j++)
            _strong[j] = !_excluded[j] && (!screen || _v[j] == 0 || _w[j] != 0 || Math.Abs(_c[j]) >= threshold * _v[j]);
        double gapTol = _o.Tolerance * NullLoss;
        int iter = 0;
        double gap = double.PositiveInfinity;
        bool converged = false;
        double innerTol = gapTol;
        for (int newton = 0; newton < 500; newton++)
        {
            bool added = false;
            for (int j = 0; j < _p; j++)
                if (!_strong[j] && !_excluded[j] && Math.Abs(_c[j]) > l1 * _v[j]) { _strong[j] = true; added = true; }
            gap = Gap(l1, l2);
            if (!added && gap <= gapTol) { converged = true; break; }
            if (iter >= maxIter) break;
            // The first Newton step of an α may use the curvature of an earlier one (see LogisticSolver.Covariance.cs);
            // if one step did not meet the gap, the next ones use the exact curvature (quadratic convergence).
            iter += NewtonStep(l1, l2, innerTol, maxIter - iter, exactCurvature: newton > 0);
            innerTol = Math.Max(innerTol * 0.01, 1e-300);
            FullGradient();
        }
        double dev = 1 - _loss / NullLoss;
        return new SolveReport(iter, gap, gapTol, converged, dev);
    }

    /// <summary>One proximal Newton step; returns the CD sweeps used (a support Newton solve counts as one).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int NewtonStep(double l1, double l2, double innerTol, int budget, bool exactCurvature)
    {
        double objOld = Objective(l1, l2);
        double bOld = _b;
        _w.CopyTo(_wOld, 0);
        // ωᵢ = max(pᵢ(1 − pᵢ), 1e-5), rᵢ = yᵢ − pᵢ, ξⱼ = Σᵢωᵢx̃ᵢⱼ²/n on the strong set.
        TensorPrimitives.Subtract(1.0, _prob, _wt);
        TensorPrimitives.Multiply(_wt, _prob, _wt);
        TensorPrimitives.Max(_wt, 1e-5, _wt);
        TensorPrimitives.Subtract(_y, _prob, _r);
        double sw = TensorPrimitives.Sum(_wt) / _n;
        int sweeps = UseCovariance()
            ? CovarianceModel(l1, l2, innerTol * CovarianceTolFactor, budget, exactCurvature)
            : NaiveModel(l1, l2, innerTol, budget, sw);
        Refresh();
        double obj = Objective(l1, l2);
        // Backtracking: the quadratic model can overshoot far from the optimum.
        for (int k = 0; k < 40 && obj > objOld + 1e-13 * Math.Abs(objOld); k++)
        {
            for (int j = 0; j < _p; j++) _w[j] = _wOld[j] + 0.5 * (_w[j] - _wOld[j]);
            _b = bOld + 0.5 * (_b - bOld);
            Refresh();
            obj = Objective(l1, l2);
        }
        return Math.Max(sweeps, 1);
    }

    /// <summary>Minimizes the quadratic model by cyclic CD on the residual (naive updates); returns the sweeps used.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int NaiveModel(double l1, double l2, double innerTol, int budget, double sw)
    {
        for (int j = 0; j < _p; j++)
        {
            if (!_strong[j]) continue;
            var col = Column(j);
            TensorPrimitives.Multiply(_wt, col, _tmp);
            _xv[j] = Dot.Compute(_tmp, col) / _n;
        }
        int sweeps = 0, sinceNewton = 0;
        bool newtonOk = _o.SupportNewton, weightsReady = false;
        double newtonAfter = -1;
        // Support Newton (as in GaussianSolver): when the last sweep left the support unchanged and the sweeps spent on
        // this model reach the cost of solving it exactly on the support, solve it there; then sweep the strong set again.
        bool TryNewton(int m, double d)
        {
            if (!newtonOk || _supportChanged || d == 0 || sweeps >= budget) return false;
            if (newtonAfter < 0) newtonAfter = m / 16.0 + 1;
            if (sinceNewton < newtonAfter) return false;
            if (!weightsReady)
            {
                _sqrtWt ??= new double[_n];
                TensorPrimitives.Sqrt(_wt, _sqrtWt);
                weightsReady = true;
            }
            newtonOk = SupportNewton(l1, l2);
            sweeps++;
            sinceNewton = 0;
            newtonAfter = Math.Max(newtonAfter, 1);
            return true;
        }
        while (sweeps < budget)
        {
            int m = Collect(activeOnly: false);
            double d = Sweep(m, l1, l2, sw);
            sweeps++;
            sinceNewton++;
            if (TryNewton(m, d)) continue;
            if (d <= innerTol) break;
            m = Collect(activeOnly: true);
            while (d > innerTol && sweeps < budget)
            {
                d = Sweep(m, l1, l2, sw);
                sweeps++;
                sinceNewton++;
                if (d > innerTol && TryNewton(m, d))
                {
                    m = Collect(activeOnly: true);
                    d = double.PositiveInfinity;
                }
            }
        }
        return sweeps;
    }

    /// <summary>
    /// Exact minimizer of the current Newton step's quadratic model on the support A = {j : wⱼ ≠ 0} with signs sⱼ fixed
    /// (and the intercept free): with Ω = diag(ωᵢ) and r the model's weighted residual,
    /// [X̃_AᵀΩX̃_A/n + α(1−ρ)V_A, X̃_AᵀΩ1/n; 1ᵀΩX̃_A/n, Σωᵢ/n]·(d_w, d_b) = (X̃_Aᵀr/n − αρV_As_A − α(1−ρ)V_Aw_A, Σrᵢ/n).
    /// A sign change stops the step at the first zero crossing (that coordinate set to 0), as in
    /// <see cref="GaussianSolver"/>. Returns false (no change) if the matrix is not positive definite to rounding or A is
    /// too large. Requires the square roots of the weights in <see cref="_sqrtWt"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool SupportNewton(double l1, double l2)
    {
        int m = Collect(activeOnly: true);
        bool icpt = _o.FitIntercept;
        int q = m + (icpt ? 1 : 0);
        if (q == 0 || m > MaxNewtonSupport || m >= _n) return false;
        if (_h.Length < q * q) _h = new double[Math.Max(q * q, Math.Min(2 * _h.Length, (MaxNewtonSupport + 1) * (MaxNewtonSupport + 1)))];
        if (_step.Length < q) _step = new double[_p + 1];
        var list = _list.AsSpan(0, m);
        var h = _h.AsSpan(0, q * q);
        var d = _step.AsSpan(0, q);
        Gram.ComputeColumns(_x, _n, list, _sqrtWt, icpt, _h);
        TensorPrimitives.Multiply(h, 1.0 / _n, h);
        for (int a = 0; a < m; a++)
        {
            int j = list[a];
            double v = _v[j], w = _w[j];
            h[a * q + a] += l2 * v;
            d[a] = Dot.Compute(Column(j), _r) / _n - l1 * v * Math.Sign(w) - l2 * v * w;
        }
        if (icpt) d[m] = TensorPrimitives.Sum(_r) / _n;
        if (!Cholesky.Factor(h, q)) return false;
        Cholesky.Solve(h, q, d);
        double t = SignChangeStep.Length(list, _w, d, out int block);
        for (int a = 0; a < m; a++)
        {
            int j = list[a];
            double delta = a == block ? -_w[j] : t * d[a];
            if (delta == 0) continue;
            _w[j] = a == block ? 0.0 : _w[j] + delta;
            WeightedAxpy.Compute(-delta, _wt, Column(j), _r);
        }
        if (icpt && d[m] != 0)
        {
            double db = t * d[m];
            _b += db;
            Axpy.Compute(-db, _wt, _r);
        }
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double Sweep(int m, double l1, double l2, double sw)
    {
        double d = 0;
        _supportChanged = false;
        for (int k = 0; k < m; k++)
        {
            int j = _list[k];
            var col = Column(j);
            double old = _w[j], xv = _xv[j];
            double z = Dot.Compute(col, _r) / _n + xv * old;
            double t = l1 * _v[j], den = xv + l2 * _v[j];
            double shrunk = SoftThreshold.Scalar(z, t);
            double nw = shrunk == 0 ? 0.0 : shrunk / den;
            if (nw == old) continue;
            if (old == 0 || nw == 0) _supportChanged = true;
            double delta = nw - old;
            _w[j] = nw;
            WeightedAxpy.Compute(-delta, _wt, col, _r);
            d = Math.Max(d, xv * delta * delta);
        }
        if (_o.FitIntercept)
        {
            double db = TensorPrimitives.Sum(_r) / _n / sw;
            if (db != 0)
            {
                _b += db;
                Axpy.Compute(-db, _wt, _r);
                d = Math.Max(d, sw * db * db);
            }
        }
        return d;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Collect(bool activeOnly)
    {
        int m = 0;
        for (int j = 0; j < _p; j++)
            if (_strong[j] && (!activeOnly || _w[j] != 0)) _list[m++] = j;
        return m;
    }

    /// <summary>
    /// Fenchel duality gap at θ = κ(y − p): D(θ) = −(1/n)Σ H(yᵢ − θᵢ) − Σⱼ (|κcⱼ| − αρvⱼ)₊²/(2α(1−ρ)vⱼ) with
    /// H(s) = s·ln s + (1−s)·ln(1−s) and cⱼ = x̃ⱼᵀ(y − p)/n. κ = 1 when ρ &lt; 1; for ρ &gt; 0 also κ = min(1, αρ/maxⱼ|cⱼ|/vⱼ)
    /// (feasible for the L1 part), and the smaller gap is kept. The intercept's dual constraint Σθᵢ = 0 holds at the
    /// intercept's optimum, which each sweep enforces.
    /// </summary>
    private double Gap(double l1, double l2)
    {
        double primal = Objective(l1, l2);
        double maxRatio = 0;
        for (int j = 0; j < _p; j++)
            if (!_excluded[j] && _v[j] > 0) maxRatio = Math.Max(maxRatio, Math.Abs(_c[j]) / _v[j]);
        return DualScaling.Gap(primal, maxRatio, l1, l2, kappa => DualValue(kappa, l1, l2));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double DualValue(double kappa, double l1, double l2)
    {
        // sᵢ = yᵢ − κ(yᵢ − pᵢ)
        TensorPrimitives.Subtract(_y, _prob, _dual);
        TensorPrimitives.Multiply(_dual, kappa, _dual);
        TensorPrimitives.Subtract(_y, _dual, _dual);
        double h = BinaryEntropy.Compute(_dual);
        double conj = 0;
        for (int j = 0; j < _p; j++)
        {
            if (_excluded[j] || _v[j] == 0) continue;
            double e = Math.Abs(kappa * _c[j]) - l1 * _v[j];
            if (e > 0) conj += l2 > 0 ? e * e / (2 * l2 * _v[j]) : double.PositiveInfinity;
        }
        return -h / _n - conj;
    }
}
