using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using Occam.Numerics.LinearAlgebra;

namespace Occam.Linear;

/// <summary>
/// Duality gaps for the residual engine (p ≥ n) without a full X̃ᵀr pass for every check. Objective (standardized):
/// P(w) = ‖r‖²/(2n) + l1·Σvⱼ|wⱼ| + ½·l2·Σvⱼwⱼ², r = ỹ − X̃w. Every u ∈ ℝⁿ gives a lower bound on min P (Fenchel):
///
///     D(u) = (uᵀỹ − ½‖u‖²)/n − Σⱼ (|cⱼ(u)| − l1·vⱼ)₊² / (2·l2·vⱼ),     cⱼ(u) = x̃ⱼᵀu/n
///
/// (for l2 = 0 the sum is +∞ unless |cⱼ(u)| ≤ l1·vⱼ for all j). The certificate evaluates D at κ·u for the best feasible
/// scaling (κ* = uᵀỹ/‖u‖² clipped to |κ| ≤ l1/maxⱼ(|cⱼ(u)|/vⱼ)), at u itself when l2 &gt; 0, and scikit-learn's
/// elastic-net dual point at r (see <see cref="Gap"/>), for two candidates: the current residual r and, when that does
/// not certify, the dual extrapolation r_acc of the last <see cref="K"/> + 1 residuals (<see cref="DualExtrapolation"/>);
/// it keeps the best lower bound seen at this α, and the gap is P(w) − D_best.
///
/// cⱼ(u) is exact (double dot products) on the strong set; for the other features it is bounded without touching X̃:
/// from the reference gradients ĉ of the last full pass at residual r_ref (exact, or float with a rigorous error
/// bound, <see cref="ResidualEngine.BoundedGradients"/>), by Cauchy–Schwarz
///
///     |cⱼ(u)| ≤ |ĉⱼ| + e_abs + ‖x̃ⱼ‖/n · (e_rel + ‖u − r_ref‖),
///
/// and D is evaluated with these upper bounds (D only decreases as |cⱼ| grows), so the gap stays a valid upper bound
/// on P(w) − min P. Gap-safe screening (Fercoq, Gramfort, Salmon 2015) uses the same sphere argument. Features with
/// vⱼ = 0 are left out of the dual norm (their gradient is zero at their coordinate optimum), as in the solver's own gap.
/// </summary>
internal sealed class GaussianDualCertificate
{
    /// <summary>Residuals used by the extrapolation (Celer's default).</summary>
    public const int K = 5;

    /// <summary>Full passes kept as references for the bounds (the last <see cref="References"/>).</summary>
    public const int References = 6;

    private readonly ResidualEngine _e;
    private readonly int _n, _p;
    private readonly double[] _invV;      // 1/vⱼ, 0 for vⱼ = 0 and excluded features
    private readonly double[] _invVOut;   // 1/vⱼ outside the strong set, 0 inside
    private readonly double[] _bOut;      // ‖x̃ⱼ‖/(n·vⱼ) outside the strong set, 0 inside
    private readonly double[] _refR;      // reference residuals r⁽ᵗ⁾, t-th at [t·n, (t+1)·n)
    private readonly double[] _refC;      // their gradients ĉ⁽ᵗ⁾ ≈ X̃ᵀr⁽ᵗ⁾/n, t-th at [t·p, (t+1)·p)
    private readonly double[] _refRel = new double[References], _refAbs = new double[References];
    private readonly double[] _refGram = new double[References * References]; // r⁽ˢ⁾ᵀr⁽ᵗ⁾
    private int _refCount, _newest = -1;
    private readonly double[] _coef = new double[References];
    private readonly double[] _small = new double[References * References];
    private readonly double[] _e2;        // u − Σₜ aₜr⁽ᵗ⁾
    private readonly double[] _estR;      // Σₜ aₜĉ⁽ᵗ⁾ at the residual of the last Gap (signed)
    private readonly double[] _ratioR;    // |_estR|/vⱼ outside the strong set
    private readonly double[] _estA;      // the same at the extrapolated point
    private readonly double[] _ratioA;
    private readonly double[] _tmp;
    private readonly double[] _gs;        // exact gradients of a list of features (strong set, watched)
    private readonly double[] _ring;
    private int _ringCount;
    private readonly double[] _acc;
    private readonly double[] _scratch;
    private double _best;
    private readonly bool[] _watched;     // outside the strong set, gradient computed exactly at every check
    private readonly int[] _watchList;
    private int _watchCount;
    private bool[] _inStrong;

    public GaussianDualCertificate(ResidualEngine engine, ReadOnlySpan<double> v, bool[] excluded)
    {
        _e = engine;
        _n = engine.N;
        _p = engine.P;
        _invV = new double[_p];
        for (int j = 0; j < _p; j++) _invV[j] = excluded[j] || v[j] == 0 ? 0 : 1 / v[j];
        _invVOut = new double[_p];
        _bOut = new double[_p];
        _refR = new double[References * _n];
        _refC = new double[References * _p];
        _e2 = new double[_n];
        _estR = new double[_p];
        _ratioR = new double[_p];
        _estA = new double[_p];
        _ratioA = new double[_p];
        _tmp = new double[_p];
        _gs = new double[_p];
        _ring = new double[(K + 1) * _n];
        _acc = new double[_n];
        _scratch = new double[K * _n + K * K + K];
        _watched = new bool[_p];
        _watchList = new int[_p];
        _inStrong = new bool[_p];
    }

    /// <summary>Most features watched (exact gradients at every check) before a full pass is asked for instead.</summary>
    private int MaxWatched => Math.Max(16, _p / 16);

    /// <summary>Exact dot products spent on watched features since the last full pass.</summary>
    private long _watchWork;

    /// <summary>
    /// Whether the watched features' dot products since the last full pass have cost more than a float full pass
    /// (p columns at half the bytes of a double dot product): a new reference clears the list.
    /// </summary>
    private bool FullPassIsCheaper => _watchWork > _p / 2;

    /// <summary>Set by <see cref="Gap"/> when more features than <see cref="MaxWatched"/> would need watching: a full pass is cheaper.</summary>
    public bool WantsFullPass { get; private set; }

    /// <summary>Features outside the strong set whose gradient is computed exactly at every check.</summary>
    public int Watched => _watchCount;

    /// <summary>Starts a new α: forgets the best dual value (the dual's constraints depend on α) and the residual history.</summary>
    public void Begin()
    {
        _best = double.NegativeInfinity;
        _ringCount = 0;
    }

    /// <summary>Forgets the residual history (after a step that is not a coordinate-descent sweep).</summary>
    public void ForgetHistory() => _ringCount = 0;

    /// <summary>Records the residual after a sweep.</summary>
    public void Push()
    {
        if (_ringCount == K + 1)
        {
            Array.Copy(_ring, _n, _ring, 0, K * _n);
            _ringCount = K;
        }
        _e.Residual.CopyTo(_ring.AsSpan(_ringCount * _n, _n));
        _ringCount++;
    }

    /// <summary>
    /// A full pass at the current residual r, kept as the newest reference (r⁽ᵗ⁾ = r, ĉ⁽ᵗ⁾ ≈ X̃ᵀr/n for every feature not
    /// excluded, the oldest of <see cref="References"/> dropped), and ĉ⁽ᵗ⁾ⱼ copied into <paramref name="c"/> for every j
    /// outside the strong set (the caller keeps the strong set's exact gradients). <paramref name="exact"/>: double dot
    /// products instead of the float copy.
    /// </summary>
    public void FullPass(Span<double> c, bool[] inStrong, bool[] excluded, bool exact)
    {
        int t = (_newest + 1) % References;
        var cRef = _refC.AsSpan(t * _p, _p);
        if (exact)
        {
            for (int j = 0; j < _p; j++) if (!excluded[j]) cRef[j] = _e.Gradient(j);
            _refRel[t] = _refAbs[t] = 0;
        }
        else _e.BoundedGradients(cRef, excluded, out _refRel[t], out _refAbs[t]);
        for (int j = 0; j < _p; j++) if (!inStrong[j] && !excluded[j]) c[j] = cRef[j];
        // Fresh reference: every bound is tight again, nothing needs watching.
        var watched = _watchList.AsSpan(0, _watchCount);
        foreach (int j in watched) _watched[j] = false;
        StrongChanged(inStrong, watched);
        _watchCount = 0;
        _watchWork = 0;
        WantsFullPass = false;
        var r = _e.Residual;
        r.CopyTo(_refR.AsSpan(t * _n, _n));
        _newest = t;
        _refCount = Math.Min(_refCount + 1, References);
        for (int s = 0; s < References; s++)
        {
            double g = s < _refCount ? Dot.Compute(_refR.AsSpan(s * _n, _n), r) : 0;
            _refGram[s * References + t] = _refGram[t * References + s] = g;
        }
    }

    /// <summary>Rebuilds the bound tables for the strong set <paramref name="inStrong"/> (every feature).</summary>
    public void SetStrong(bool[] inStrong)
    {
        _inStrong = inStrong;
        for (int j = 0; j < _p; j++) Refresh(j);
    }

    /// <summary>
    /// Updates the bound tables after the strong (or watched) status of <paramref name="changed"/> features changed, the
    /// others' unchanged (every feature when <paramref name="inStrong"/> is not the array of the last call).
    /// </summary>
    public void StrongChanged(bool[] inStrong, ReadOnlySpan<int> changed)
    {
        if (!ReferenceEquals(inStrong, _inStrong)) { SetStrong(inStrong); return; }
        foreach (int j in changed) Refresh(j);
    }

    /// <summary>Feature j's entries of the bound tables: 1/vⱼ and ‖x̃ⱼ‖/(n·vⱼ) outside the strong set and not watched, else 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Refresh(int j)
    {
        bool outside = !_inStrong[j] && !_watched[j] && _invV[j] > 0;
        _invVOut[j] = outside ? _invV[j] : 0;
        _bOut[j] = outside ? _e.ColumnNormOverN[j] * _invV[j] : 0;
    }

    /// <summary>Upper bound on |cⱼ(r)| for feature j right after <see cref="FullPass"/> at r.</summary>
    public double Bound(int j) =>
        Math.Abs(_refC[_newest * _p + j]) + _refAbs[_newest] + _e.ColumnNormOverN[j] * _refRel[_newest];

    /// <summary>
    /// Estimates cⱼ(u) for every feature from the references: a = argmin ‖u − Σₜ aₜr⁽ᵗ⁾‖ (least squares over the kept
    /// references, a 1e-12 ridge), e = u − Σₜ aₜr⁽ᵗ⁾, and cⱼ(u) = Σₜ aₜcⱼ(r⁽ᵗ⁾) + x̃ⱼᵀe/n, so that
    ///
    ///     |cⱼ(u) − Σₜ aₜĉ⁽ᵗ⁾ⱼ| ≤ ‖x̃ⱼ‖/n·(‖e‖ + Σₜ|aₜ|·rel⁽ᵗ⁾) + Σₜ|aₜ|·abs⁽ᵗ⁾
    ///
    /// (Cauchy–Schwarz on e, the references' own error bounds). Writes the estimate into <paramref name="est"/> and returns
    /// spread = ‖e‖ + Σ|aₜ|rel⁽ᵗ⁾ and <paramref name="absolute"/> = Σ|aₜ|abs⁽ᵗ⁾. When the residual path is smooth (along α,
    /// and as coordinate descent converges) e is a small part of u and the bound is much tighter than a single reference's
    /// ‖x̃ⱼ‖/n·‖u − r_ref‖.
    /// </summary>
    internal double Estimate(ReadOnlySpan<double> u, Span<double> est, out double absolute)
    {
        double spread = Coefficients(u, out absolute);
        ReferenceBounds.Compute(_refC, _p, _coef.AsSpan(0, _refCount), _invVOut, _bOut, spread, absolute, double.PositiveInfinity,
            est, _ratioA, _tmp, out _, out _);
        return spread;
    }

    /// <summary>
    /// The least-squares coefficients a of u on the kept references (into <see cref="_coef"/>), and spread = ‖e‖ + Σ|aₜ|rel⁽ᵗ⁾,
    /// <paramref name="absolute"/> = Σ|aₜ|abs⁽ᵗ⁾ (see <see cref="Estimate"/>).
    /// </summary>
    private double Coefficients(ReadOnlySpan<double> u, out double absolute)
    {
        Debug.Assert(_refCount > 0);
        int m = _refCount, R = References;
        var a = _coef.AsSpan(0, m);
        var h = _small.AsSpan(0, m * m);
        double diag = 0;
        for (int s = 0; s < m; s++)
        {
            a[s] = Dot.Compute(_refR.AsSpan(s * _n, _n), u);
            for (int t = 0; t < m; t++) h[s * m + t] = _refGram[s * R + t];
            diag = Math.Max(diag, h[s * m + s]);
        }
        for (int s = 0; s < m; s++) h[s * m + s] += 1e-12 * diag;
        bool solved = diag > 0 && Cholesky.Factor(h, m);
        if (solved)
        {
            Cholesky.Solve(h, m, a);
            foreach (double v in a) solved &= double.IsFinite(v);
        }
        if (!solved)
        {
            // Degenerate references (r⁽ᵗ⁾ = 0, or a solve that overflowed): the newest alone, with a = 1.
            a.Clear();
            a[_newest] = 1;
        }
        u.CopyTo(_e2);
        double rel = 0;
        absolute = 0;
        for (int s = 0; s < m; s++)
        {
            if (a[s] == 0) continue;
            Axpy.Compute(-a[s], _refR.AsSpan(s * _n, _n), _e2);
            rel += Math.Abs(a[s]) * _refRel[s];
            absolute += Math.Abs(a[s]) * _refAbs[s];
        }
        return Math.Sqrt(Dot.Compute(_e2, _e2)) + rel;
    }

    /// <summary>
    /// Upper bounds on |cⱼ(u)|/vⱼ for the features outside the strong set and not watched (0 for the others), from the
    /// references (<see cref="ReferenceBounds"/>): the estimates into <paramref name="est"/>, |estⱼ|/vⱼ into
    /// <paramref name="ratio"/>, the bounds into <see cref="_tmp"/>. Returns the largest bound; <paramref name="maxRatio"/>
    /// the largest |estⱼ|/vⱼ, <paramref name="above"/> how many bounds exceed l1.
    /// </summary>
    private double OthersRatio(ReadOnlySpan<double> u, Span<double> est, Span<double> ratio, double l1, out double maxRatio, out int above)
    {
        double spread = Coefficients(u, out double absolute);
        return ReferenceBounds.Compute(_refC, _p, _coef.AsSpan(0, _refCount), _invVOut, _bOut, spread, absolute, l1,
            est, ratio, _tmp, out maxRatio, out above);
    }

    /// <summary>Σ over j outside the strong set and not watched of (valuesⱼ − l1)₊²·vⱼ/(2·l2), values being bounds/vⱼ.</summary>
    private double OthersConjugate(ReadOnlySpan<double> values, double l1, double l2)
    {
        double conj = 0;
        for (int j = 0; j < _p; j++)
        {
            double iv = _invVOut[j], value = values[j];
            if (iv == 0 || !(value > l1)) continue;
            double e = value - l1;
            conj += e * e / (2 * l2 * iv);
        }
        return conj;
    }

    /// <summary>
    /// The certified gap P(w) − D_best at the current coefficients, with the strong set's exact gradients at r written
    /// into <paramref name="c"/>. <paramref name="optimistic"/>: the gap with the other features' gradients taken as their
    /// estimates (no slack), a heuristic for whether a full pass would certify. Stops after the residual's candidates when
    /// they certify <paramref name="target"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Gap(ReadOnlySpan<int> strong, ReadOnlySpan<double> w, Span<double> c, double l1, double l2, double target,
        out double optimistic)
    {
        var r = _e.Residual;
        double n = _n;
        double l1n = 0, wv2 = 0, ratioS = 0, ratioSk = 0, conjS = 0;
        var gs = _gs.AsSpan(0, strong.Length);
        _e.GradientsAt(strong, r, gs);
        for (int k = 0; k < strong.Length; k++)
        {
            int j = strong[k];
            double wj = w[j], iv = _invV[j];
            double cj = gs[k];
            c[j] = cj;
            if (iv == 0) continue;
            double vj = 1 / iv;
            l1n += vj * Math.Abs(wj);
            wv2 += vj * wj * wj;
            double ratio = Math.Abs(cj) * iv;
            ratioS = Math.Max(ratioS, ratio);
            ratioSk = Math.Max(ratioSk, Math.Abs(cj - l2 * vj * wj) * iv);
            if (l2 > 0 && ratio > l1) conjS += (ratio - l1) * vj * (ratio - l1) * vj / (2 * l2 * vj);
        }
        // Watched features (wⱼ = 0): exact gradients, as the strong set's.
        var watch = _watchList.AsSpan(0, _watchCount);
        var gw = _gs.AsSpan(0, watch.Length);
        _e.GradientsAt(watch, r, gw);
        for (int k = 0; k < watch.Length; k++)
        {
            int j = watch[k];
            if (_inStrong[j]) continue;
            double cj = gw[k];
            c[j] = cj;
            Watch(j, cj, l1, l2, ref ratioS, ref ratioSk, ref conjS);
        }
        _watchWork += _watchCount;
        WantsFullPass = FullPassIsCheaper;
        double ry = TensorPrimitives.Dot(r, _e.Target), rr = TensorPrimitives.Dot(r, r);
        double primal = rr / (2 * n) + l1 * l1n + 0.5 * l2 * wv2;
        double others = OthersRatio(r, _estR, _ratioR, l1, out double othersOpt, out int above);
        if (above > 0)
        {
            // Features whose bound exceeds the threshold: computed exactly from now on (watched) when they are few, so that
            // the bound of the rest stays at or below l1; otherwise a full pass is cheaper (the caller's choice).
            WantsFullPass |= above + _watchCount > MaxWatched;
            if (!WantsFullPass)
            {
                for (int j = 0; j < _p; j++)
                {
                    if (!(_tmp[j] > l1)) continue;
                    double cj = _e.GradientAt(j, r);
                    c[j] = cj;
                    _watched[j] = true;
                    _watchList[_watchCount++] = j;
                    _invVOut[j] = _bOut[j] = _tmp[j] = _ratioR[j] = 0;
                    Watch(j, cj, l1, l2, ref ratioS, ref ratioSk, ref conjS);
                }
                others = TensorPrimitives.Max<double>(_tmp);
            }
        }
        double conjO = l2 > 0 && others > l1 ? OthersConjugate(_tmp, l1, l2) : 0;
        double conjOpt = l2 > 0 && othersOpt > l1 ? OthersConjugate(_ratioR, l1, l2) : 0;
        _likelyMax = othersOpt;
        foreach (int j in _watchList.AsSpan(0, _watchCount))
        {
            _ratioR[j] = _inStrong[j] ? 0 : Math.Abs(c[j]) * _invV[j];
            _likelyMax = Math.Max(_likelyMax, _ratioR[j]);
        }
        _best = Math.Max(_best, Value(ry, rr, Math.Max(ratioS, others), conjS + conjO, l1, l2));
        double dOpt = Value(ry, rr, Math.Max(ratioS, othersOpt), conjS + conjOpt, l1, l2);
        if (l2 > 0 && l1 > 0)
        {
            // scikit-learn's dual point for the elastic net (cd_fast.pyx): κ·(r, −√(n·l2)·V^½w) in the augmented lasso,
            // feasible for κ ≤ l1 / maxⱼ |cⱼ(r) − l2·vⱼ·wⱼ|/vⱼ (wⱼ = 0 outside the strong set); its value
            // (κ·rᵀỹ − ½κ²(‖r‖² + n·l2·Σvⱼwⱼ²))/n is a lower bound on min P as well.
            double quad = rr + n * l2 * wv2;
            double k1 = Math.Max(ratioSk, others) > l1 ? l1 / Math.Max(ratioSk, others) : 1;
            double k2 = Math.Max(ratioSk, othersOpt) > l1 ? l1 / Math.Max(ratioSk, othersOpt) : 1;
            _best = Math.Max(_best, (k1 * ry - 0.5 * k1 * k1 * quad) / n);
            dOpt = Math.Max(dOpt, (k2 * ry - 0.5 * k2 * k2 * quad) / n);
        }
        if (primal - _best > target && _ringCount == K + 1 && DualExtrapolation.Compute(_ring, _n, K, _acc, _scratch))
        {
            double ratioA = 0, conjA = 0;
            _e.GradientsAt(strong, _acc, gs);
            for (int k = 0; k < strong.Length; k++)
            {
                double iv = _invV[strong[k]];
                if (iv == 0) continue;
                double ratio = Math.Abs(gs[k]) * iv;
                ratioA = Math.Max(ratioA, ratio);
                if (l2 > 0 && ratio > l1) conjA += (ratio - l1) * (ratio - l1) / (2 * l2 * iv);
            }
            var watchA = _watchList.AsSpan(0, _watchCount);
            var ga = _gs.AsSpan(0, watchA.Length);
            _e.GradientsAt(watchA, _acc, ga);
            for (int k = 0; k < watchA.Length; k++)
            {
                int j = watchA[k];
                if (_inStrong[j]) continue;
                double iv = _invV[j];
                if (iv == 0) continue;
                double ratio = Math.Abs(ga[k]) * iv;
                ratioA = Math.Max(ratioA, ratio);
                if (l2 > 0 && ratio > l1) conjA += (ratio - l1) * (ratio - l1) / (2 * l2 * iv);
            }
            double othersA = OthersRatio(_acc, _estA, _ratioA, l1, out _, out _);
            if (l2 > 0 && othersA > l1) conjA += OthersConjugate(_tmp, l1, l2);
            double ay = TensorPrimitives.Dot<double>(_acc, _e.Target), aa = TensorPrimitives.Dot<double>(_acc, _acc);
            _best = Math.Max(_best, Value(ay, aa, Math.Max(ratioA, othersA), conjA, l1, l2));
        }
        optimistic = Math.Max(primal - Math.Max(_best, dOpt), 0);
        double gap = primal - _best;
        Debug.Assert(!double.IsNaN(gap));
        return Math.Max(gap, 0);
    }

    /// <summary>The largest |estⱼ|/vⱼ outside the strong set at the last <see cref="Gap"/> (no feature is a likely violator below it).</summary>
    private double _likelyMax;

    /// <summary>
    /// After <see cref="Gap"/>: marks as strong every feature outside the strong set whose estimated gradient at that
    /// residual exceeds its threshold, |estⱼ|/vⱼ &gt; l1 (a likely KKT violation, found without a full pass), and lists
    /// them in <paramref name="added"/> in column order. Returns how many were added (no scan when the largest
    /// estimate is at or below l1).
    /// </summary>
    public int AddLikelyViolators(bool[] inStrong, double l1, Span<int> added)
    {
        if (!(_likelyMax > l1)) return 0;
        int k = 0;
        for (int j = 0; j < _p; j++)
            if (_ratioR[j] > l1 && !inStrong[j]) { inStrong[j] = true; added[k++] = j; }
        return k;
    }

    /// <summary>
    /// After <see cref="Gap"/>: writes the estimated gradients at that residual into <paramref name="c"/> for the
    /// features outside the strong set (the next α's strong rule reads them).
    /// </summary>
    public void CopyEstimates(Span<double> c, bool[] inStrong, bool[] excluded)
    {
        for (int j = 0; j < _p; j++)
            if (!inStrong[j] && !excluded[j] && !_watched[j]) c[j] = _estR[j];
    }

    /// <summary>Folds the exact gradient cⱼ of a watched feature (wⱼ = 0) into the strong set's dual terms.</summary>
    private void Watch(int j, double cj, double l1, double l2, ref double ratioS, ref double ratioSk, ref double conjS)
    {
        double iv = _invV[j];
        if (iv == 0) return;
        double ratio = Math.Abs(cj) * iv;
        ratioS = Math.Max(ratioS, ratio);
        ratioSk = Math.Max(ratioSk, ratio);
        if (l2 > 0 && ratio > l1) conjS += (ratio - l1) * (ratio - l1) / (2 * l2 * iv);
    }

    /// <summary>
    /// max of D(κu) over κ with |κ|·ratio ≤ l1 (conjugate term zero) and, when l2 &gt; 0, D(u) itself, where
    /// uy = uᵀỹ, uu = ‖u‖², ratio ≥ maxⱼ |cⱼ(u)|/vⱼ and conj ≥ Σⱼ (|cⱼ(u)| − l1·vⱼ)₊²/(2·l2·vⱼ).
    /// </summary>
    private double Value(double uy, double uu, double ratio, double conj, double l1, double l2)
    {
        double n = _n;
        double best = 0;
        if (uu > 0)
        {
            double kappa = uy / uu;
            if (ratio > 0) kappa = Math.Clamp(kappa, -l1 / ratio, l1 / ratio);
            best = (kappa * uy - 0.5 * kappa * kappa * uu) / n;
        }
        if (l2 > 0) best = Math.Max(best, (uy - 0.5 * uu) / n - conj);
        return best;
    }
}
