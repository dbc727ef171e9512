using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using Occam.Numerics.LinearAlgebra;
using Occam.Numerics.Prox;

namespace Occam.Linear;

/// <summary>
/// Covariance ("Gram") minimization of one Newton step's quadratic model (docs/algorithms/logistic-regression.md,
/// "Covariance Newton steps"). With S the strong set, g = (X̃_Sᵀ(y − p)/n, Σᵢ(yᵢ − pᵢ)/n) the gradient of the mean
/// log-likelihood at the current point u⁰ = (w⁰_S, b⁰), and the curvature matrix over a column set C ⊇ S
///
///     H = [Σωᵢ⁰, 1ᵀΩ⁰X̃_C; X̃_CᵀΩ⁰1, X̃_CᵀΩ⁰X̃_C] / n     (position 0 the intercept, then the columns of C),
///
/// the model M(u) = −gᵀ(u − u⁰) + ½(u − u⁰)ᵀH(u − u⁰) + α·Σ_{j∈S} vⱼ(ρ|uⱼ| + (1−ρ)/2·uⱼ²) is minimized by cyclic
/// coordinate descent on H (an update costs |C| + 1 multiply-adds instead of the naive update's 2n), keeping the model's
/// negative gradient q = g − H(u − u⁰) current, plus support Newton solves of the face on H's active block.
/// H is built at the weights Ω⁰ of the step that needed it (n(|S| + 1)²/2 multiply-adds, <see cref="Gram.ComputeColumns"/>)
/// and kept for the first Newton step of later α values while every weight stays within (1 ± τ)·ωᵢ⁰,
/// τ = <see cref="CurvatureDrift"/>; features that join the strong set meanwhile get their rows at Ω⁰ (n·|C| each).
/// With kept weights the step is a proximal quasi-Newton step, (1 − τ)·H_exact ⪯ H ⪯ (1 + τ)·H_exact on the
/// likelihood part, and the backtracking of the Newton step keeps it a descent step; a second Newton step at the same α
/// rebuilds H at the current weights (exact proximal Newton, quadratic convergence).
/// </summary>
internal sealed partial class LogisticSolver
{
    /// <summary>
    /// Model tolerance relative to the naive inner tolerance: a covariance sweep costs |C| instead of 2n per update, so the
    /// model is solved nearly exactly and one Newton step usually meets the duality gap (whose dual point needs the
    /// gradient to about 1e-4·α: a loosely solved model leaves the gap above tolerance although the objective is there).
    /// </summary>
    private const double CovarianceTolFactor = 1e-8;
    /// <summary>Covariance steps are used while the strong set has at most n / this many features.</summary>
    private const int CovarianceRowsPerFeature = 4;
    /// <summary>Largest strong set for covariance steps.</summary>
    private const int MaxCovarianceSupport = 1024;
    /// <summary>
    /// H is rebuilt once a weight has moved by more than this fraction of its value when H was built (and at the second
    /// and later Newton steps of one α). Measured on the binary 10000 × 200 path: τ = 0.2 → 36 builds, 15 α needing a
    /// second Newton step; τ = 0.5 → 28 builds, 27 second steps, and the fastest of 0.2 / 0.3 / 0.5 / 1.
    /// </summary>
    private const double CurvatureDrift = 0.5;

    private double[] _hc = [], _hd = [], _qg = [], _hf = [], _df = [], _tb = [];
    private int[] _hpos = [], _facePos = [], _faceList = [], _posOf = [], _hcols = [], _fresh = [];
    private double[]? _wt0;
    private int _hs, _nc = -1;   // H's row stride (capacity) and number of columns (−1: no H)
    /// <summary>How often H was built from scratch and extended by new strong features (for tests and traces).</summary>
    internal int CurvatureBuilds { get; private set; }
    internal int CurvatureExtensions { get; private set; }

    private int CovarianceCapacity => Math.Min(Math.Min(_p, MaxCovarianceSupport), _n / CovarianceRowsPerFeature);

    private bool UseCovariance()
    {
        int m = 0;
        for (int j = 0; j < _p; j++) if (_strong[j]) m++;
        return m > 0 && m <= CovarianceCapacity;
    }

    /// <summary>
    /// Minimizes the current Newton step's model M (see the class remarks) over the strong set and the intercept, in
    /// place in (w, b); requires the weights ω in <see cref="_wt"/>, y − p in <see cref="_r"/> and the current full
    /// gradient in <see cref="_c"/>. Stops when a full sweep moves no coordinate by more than tol in Hⱼⱼδ² units or
    /// the sweep budget is spent; returns the sweeps used (a face solve counts as one).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int CovarianceModel(double l1, double l2, double tol, int budget, bool exactCurvature)
    {
        int m = Collect(activeOnly: false);
        PrepareCurvature(m, exactCurvature);
        int q = _nc + 1;
        if (_qg.Length < q) { _qg = new double[q]; _df = new double[q]; _facePos = new int[q]; _faceList = new int[q]; }
        if (_hpos.Length < m) _hpos = new int[_p];
        var g = _qg.AsSpan(0, q);
        for (int c = 1; c < q; c++) g[c] = _c[_hcols[c]];
        g[0] = TensorPrimitives.Sum(_r) / _n;
        for (int a = 0; a < m; a++) _hpos[a] = _posOf[_list[a]];

        int sweeps = 0;
        while (sweeps < budget)
        {
            double d = CovarianceSweep(m, q, l1, l2, activeOnly: false, out bool supportChanged);
            sweeps++;
            if (d <= tol) break;
            if (_o.SupportNewton && !supportChanged && sweeps < budget)
            {
                // Same support before and after a full sweep: solve its face exactly, then verify with a full sweep.
                if (CovarianceFace(m, q, l1, l2)) { sweeps++; continue; }
            }
            while (sweeps < budget)
            {
                d = CovarianceSweep(m, q, l1, l2, activeOnly: true, out supportChanged);
                sweeps++;
                if (d <= tol) break;
                // The active sweeps settled on a support: solve its face, then check all of S with a full sweep.
                if (_o.SupportNewton && !supportChanged && sweeps < budget && CovarianceFace(m, q, l1, l2)) { sweeps++; break; }
            }
        }
        return sweeps;
    }

    /// <summary>
    /// Makes H cover the strong set in <see cref="_list"/>: kept (weights within the drift), extended by the new features,
    /// or rebuilt at the current weights (always when <paramref name="exact"/>).
    /// </summary>
    private void PrepareCurvature(int m, bool exact)
    {
        int cap = CovarianceCapacity + 1;
        if (_hs != cap)
        {
            _hs = cap;
            _hc = new double[cap * cap];
            _posOf = new int[_p];
            _hcols = new int[cap];
            _nc = -1;
        }
        if (_nc >= 0 && !exact && WeightsWithin(CurvatureDrift))
        {
            int k = 0;
            for (int a = 0; a < m; a++) if (_posOf[_list[a]] < 0) k++;
            if (k == 0) return;
            if (_nc + k < cap) { ExtendCurvature(m); CurvatureExtensions++; return; }
        }
        BuildCurvature(m);
        CurvatureBuilds++;
    }

    /// <summary>H over the strong set at the current weights (which become Ω⁰).</summary>
    private void BuildCurvature(int m)
    {
        _wt0 ??= new double[_n];
        _wt.CopyTo(_wt0, 0);
        _sqrtWt ??= new double[_n];
        for (int a = 0; a < m; a++) _hcols[a + 1] = _list[a];
        WeightedCurvature.Build(_x, _n, _hcols, m, _wt0, _sqrtWt, ref _hd, _hc, _hs);
        Array.Fill(_posOf, -1);
        for (int a = 0; a < m; a++) _posOf[_list[a]] = a + 1;
        _nc = m;
    }

    /// <summary>Appends the strong features not yet in H at the weights Ω⁰ (<see cref="WeightedCurvature.Extend"/>).</summary>
    private void ExtendCurvature(int m)
    {
        Debug.Assert(_wt0 is not null);
        if (_fresh.Length < _p) _fresh = new int[_p];
        int k = 0;
        for (int a = 0; a < m; a++)
            if (_posOf[_list[a]] < 0) _fresh[k++] = _list[a];
        WeightedCurvature.Extend(_x, _n, _hcols, _nc, _fresh.AsSpan(0, k), _wt0, ref _tb, _hc, _hs);
        for (int f = 0; f < k; f++) _posOf[_hcols[_nc + 1 + f]] = _nc + 1 + f;
        _nc += k;
    }

    /// <summary>True when every current weight ωᵢ lies within (1 ± tau)·ωᵢ⁰ of the weights H was built at.</summary>
    private bool WeightsWithin(double tau)
    {
        Debug.Assert(_wt0 is not null);
        TensorPrimitives.Divide(_wt, _wt0, _tmp);
        return TensorPrimitives.Max(_tmp) <= 1 + tau && TensorPrimitives.Min(_tmp) >= 1 - tau;
    }

    /// <summary>One cyclic pass over the strong set (or its non-zero part) and the intercept; returns max Hⱼⱼδⱼ².</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double CovarianceSweep(int m, int q, double l1, double l2, bool activeOnly, out bool supportChanged)
    {
        var h = _hc.AsSpan();
        var g = _qg.AsSpan(0, q);
        int hs = _hs;
        double d = 0;
        supportChanged = false;
        for (int a = 0; a < m; a++)
        {
            int j = _list[a];
            double old = _w[j];
            if (activeOnly && old == 0) continue;
            int s = _hpos[a];
            double hjj = h[s * hs + s];
            double z = g[s] + hjj * old;
            double shrunk = SoftThreshold.Scalar(z, l1 * _v[j]);
            double nw = shrunk == 0 ? 0.0 : shrunk / (hjj + l2 * _v[j]);
            if (nw == old) continue;
            if (old == 0 || nw == 0) supportChanged = true;
            double delta = nw - old;
            _w[j] = nw;
            Axpy.Compute(-delta, h.Slice(s * hs, q), g);
            d = Math.Max(d, hjj * delta * delta);
        }
        if (_o.FitIntercept)
        {
            double hbb = h[0], db = g[0] / hbb;
            if (db != 0)
            {
                _b += db;
                Axpy.Compute(-db, h[..q], g);
                d = Math.Max(d, hbb * db * db);
            }
        }
        return d;
    }

    /// <summary>
    /// Minimizes M on the face {u : uⱼ = 0 for j ∉ A, sign(uⱼ) = sⱼ for j ∈ A} (A the non-zero strong coefficients, the
    /// intercept free): [H_bb, H_bA; H_Ab, H_AA + α(1−ρ)V_A]·(d_b, d_A) = (q_b, q_A − αρV_As_A − α(1−ρ)V_Au_A), stopped
    /// at the first sign change (<see cref="SignChangeStep"/>). Returns false (nothing changed) when the face is empty or
    /// its matrix is not positive definite to rounding.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool CovarianceFace(int m, int q, double l1, double l2)
    {
        var h = _hc.AsSpan();
        var g = _qg.AsSpan(0, q);
        int hs = _hs;
        int k = 0;
        for (int a = 0; a < m; a++)
            if (_w[_list[a]] != 0) { _facePos[k] = _hpos[a]; _faceList[k] = _list[a]; k++; }
        if (k == 0) return false;
        bool icpt = _o.FitIntercept;
        if (icpt) _facePos[k] = 0;
        int f = k + (icpt ? 1 : 0);
        if (_hf.Length < f * f) _hf = new double[f * f];
        var hf = _hf.AsSpan(0, f * f);
        var df = _df.AsSpan(0, f);
        for (int r = 0; r < f; r++)
        {
            int pr = _facePos[r];
            for (int c = 0; c < f; c++) hf[r * f + c] = h[pr * hs + _facePos[c]];
            df[r] = g[pr];
        }
        for (int r = 0; r < k; r++)
        {
            int j = _faceList[r];
            double v = _v[j], w = _w[j];
            hf[r * f + r] += l2 * v;
            df[r] -= l1 * v * Math.Sign(w) + l2 * v * w;
        }
        if (!Cholesky.Factor(hf, f)) return false;
        Cholesky.Solve(hf, f, df);
        double t = SignChangeStep.Length(_faceList.AsSpan(0, k), _w, df, out int block);
        for (int r = 0; r < f; r++)
        {
            double delta;
            if (r < k)
            {
                int j = _faceList[r];
                delta = r == block ? -_w[j] : t * df[r];
                if (delta == 0) continue;
                _w[j] = r == block ? 0.0 : _w[j] + delta;
            }
            else
            {
                delta = t * df[r];
                if (delta == 0) continue;
                _b += delta;
            }
            Axpy.Compute(-delta, h.Slice(_facePos[r] * hs, q), g);
        }
        return true;
    }
}
