using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using Occam.Numerics.LinearAlgebra;
using Occam.Numerics.Prox;

namespace Occam.Linear;

/// <summary>
/// Covariance ("Gram") minimization of one Newton step's quadratic model (docs/algorithms/logistic-regression.md,
/// "Covariance Newton steps"). With S the strong set, Ω = diag(ωᵢ) the IRLS weights at the current point (w⁰, b⁰) and
/// g = (X̃_Sᵀ(y − p)/n, Σᵢ(yᵢ − pᵢ)/n) the gradient of the mean log-likelihood there, the model
///
///     M(u) = −gᵀ(u − u⁰) + ½(u − u⁰)ᵀH(u − u⁰) + α·Σ_{j∈S} vⱼ(ρ|uⱼ| + (1−ρ)/2·uⱼ²),   u = (w_S, b),
///     H = [X̃_SᵀΩX̃_S, X̃_SᵀΩ1; 1ᵀΩX̃_S, Σωᵢ] / n
///
/// is minimized by cyclic coordinate descent on H (each update costs |S| + 1 multiply-adds instead of the naive
/// update's 2n), keeping the model's negative gradient q = g − H(u − u⁰) current, plus support Newton solves of the
/// face on H's active block. H costs n(|S| + 1)²/2 multiply-adds once per Newton step (<see cref="Gram.ComputeColumns"/>).
/// </summary>
internal sealed partial class LogisticSolver
{
    /// <summary>
    /// Model tolerance relative to the naive inner tolerance: a covariance sweep costs |S|² instead of 2n|S|, so the model
    /// is solved nearly exactly and one Newton step usually meets the duality gap (whose dual point needs the gradient
    /// to about 1e-4·α: a loosely solved model leaves the gap above tolerance although the objective is already there).
    /// </summary>
    private const double CovarianceTolFactor = 1e-8;
    /// <summary>Covariance steps are used while the strong set has at most n / this many features.</summary>
    private const int CovarianceRowsPerFeature = 4;
    /// <summary>Largest strong set for covariance steps (H has (|S| + 1)² entries).</summary>
    private const int MaxCovarianceSupport = 1024;

    private double[] _hc = [], _qg = [], _hf = [], _df = [];
    private int[] _facePos = [], _faceList = [];

    private bool UseCovariance()
    {
        int m = 0;
        for (int j = 0; j < _p; j++) if (_strong[j]) m++;
        return m > 0 && m <= MaxCovarianceSupport && (long)m * CovarianceRowsPerFeature <= _n;
    }

    /// <summary>
    /// Minimizes the current Newton step's model M (see the class remarks) over the strong set and the intercept, in
    /// place in (w, b); requires the weights ω in <see cref="_wt"/>, y − p in <see cref="_r"/> and the current full
    /// gradient in <see cref="_c"/>. Stops when a full sweep moves no coordinate by more than tol in Hⱼⱼδ² units or
    /// the sweep budget is spent; returns the sweeps used (a face solve counts as one).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int CovarianceModel(double l1, double l2, double tol, int budget)
    {
        int m = Collect(activeOnly: false);
        bool icpt = _o.FitIntercept;
        int q = m + (icpt ? 1 : 0);
        if (_hc.Length < q * q) { _hc = new double[q * q]; _hf = new double[q * q]; }
        if (_qg.Length < q) { _qg = new double[q]; _df = new double[q]; _facePos = new int[q]; _faceList = new int[q]; }
        _sqrtWt ??= new double[_n];
        TensorPrimitives.Sqrt(_wt, _sqrtWt);
        Gram.ComputeColumns(_x, _n, _list.AsSpan(0, m), _sqrtWt, icpt, _hc);
        var h = _hc.AsSpan(0, q * q);
        TensorPrimitives.Multiply(h, 1.0 / _n, h);
        var g = _qg.AsSpan(0, q);
        for (int a = 0; a < m; a++) g[a] = _c[_list[a]];
        if (icpt) g[m] = TensorPrimitives.Sum(_r) / _n;

        int sweeps = 0;
        while (sweeps < budget)
        {
            double d = CovarianceSweep(m, q, l1, l2, activeOnly: false, out bool supportChanged);
            sweeps++;
            if (d <= tol) break;
            if (_o.SupportNewton && !supportChanged && sweeps < budget)
            {
                // Same support before and after a full sweep: solve the face exactly, then verify with a full sweep.
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

    /// <summary>One cyclic pass over the strong set (or its non-zero part) and the intercept; returns max Hⱼⱼδⱼ².</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double CovarianceSweep(int m, int q, double l1, double l2, bool activeOnly, out bool supportChanged)
    {
        var h = _hc.AsSpan(0, q * q);
        var g = _qg.AsSpan(0, q);
        double d = 0;
        supportChanged = false;
        for (int a = 0; a < m; a++)
        {
            int j = _list[a];
            double old = _w[j];
            if (activeOnly && old == 0) continue;
            double hjj = h[a * q + a];
            double z = g[a] + hjj * old;
            double shrunk = SoftThreshold.Scalar(z, l1 * _v[j]);
            double nw = shrunk == 0 ? 0.0 : shrunk / (hjj + l2 * _v[j]);
            if (nw == old) continue;
            if (old == 0 || nw == 0) supportChanged = true;
            double delta = nw - old;
            _w[j] = nw;
            Axpy.Compute(-delta, h.Slice(a * q, q), g);
            d = Math.Max(d, hjj * delta * delta);
        }
        if (q > m)
        {
            double hbb = h[m * q + m], db = g[m] / hbb;
            if (db != 0)
            {
                _b += db;
                Axpy.Compute(-db, h.Slice(m * q, q), g);
                d = Math.Max(d, hbb * db * db);
            }
        }
        return d;
    }

    /// <summary>
    /// Minimizes M on the face {u : uⱼ = 0 for j ∉ A, sign(uⱼ) = sⱼ for j ∈ A} (A the non-zero strong coefficients, the
    /// intercept free): [H_AA + α(1−ρ)V_A, H_Ab; H_bA, H_bb]·(d_A, d_b) = (q_A − αρV_As_A − α(1−ρ)V_Au_A, q_b), stopped
    /// at the first sign change (<see cref="SignChangeStep"/>). Returns false (nothing changed) when the face is empty or
    /// its matrix is not positive definite to rounding.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool CovarianceFace(int m, int q, double l1, double l2)
    {
        var h = _hc.AsSpan(0, q * q);
        var g = _qg.AsSpan(0, q);
        int k = 0;
        for (int a = 0; a < m; a++)
            if (_w[_list[a]] != 0) { _facePos[k] = a; _faceList[k] = _list[a]; k++; }
        bool icpt = q > m;
        if (icpt) _facePos[k] = m;
        int f = k + (icpt ? 1 : 0);
        if (k == 0) return false;
        var hf = _hf.AsSpan(0, f * f);
        var df = _df.AsSpan(0, f);
        for (int r = 0; r < f; r++)
        {
            int ar = _facePos[r];
            for (int c = 0; c < f; c++) hf[r * f + c] = h[ar * q + _facePos[c]];
            df[r] = g[ar];
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
            int a = _facePos[r];
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
            Axpy.Compute(-delta, h.Slice(a * q, q), g);
        }
        Debug.Assert(t > 0 || block >= 0);
        return true;
    }
}
