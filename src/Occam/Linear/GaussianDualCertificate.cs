using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

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

    private readonly ResidualEngine _e;
    private readonly int _n, _p;
    private readonly double[] _invV;      // 1/vⱼ, 0 for vⱼ = 0 and excluded features
    private readonly double[] _cRef;      // ĉ at r_ref
    private readonly double[] _rRef;
    private double _errRel, _errAbs;
    private readonly double[] _aOut;      // (|ĉⱼ| + e_abs)/vⱼ outside the strong set, 0 inside
    private readonly double[] _bOut;      // ‖x̃ⱼ‖/(n·vⱼ) outside the strong set, 0 inside
    private readonly double[] _tmp;
    private double _aOutMax;
    private readonly double[] _ring;
    private int _ringCount;
    private readonly double[] _acc;
    private readonly double[] _scratch;
    private readonly double[] _cAcc;
    private double _best;

    public GaussianDualCertificate(ResidualEngine engine, ReadOnlySpan<double> v, bool[] excluded)
    {
        _e = engine;
        _n = engine.N;
        _p = engine.P;
        _invV = new double[_p];
        for (int j = 0; j < _p; j++) _invV[j] = excluded[j] || v[j] == 0 ? 0 : 1 / v[j];
        _cRef = new double[_p];
        _rRef = new double[_n];
        _aOut = new double[_p];
        _bOut = new double[_p];
        _tmp = new double[_p];
        _ring = new double[(K + 1) * _n];
        _acc = new double[_n];
        _scratch = new double[K * _n + K * K + K];
        _cAcc = new double[_p];
    }

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
    /// A full pass at the current residual r: the reference ĉⱼ ≈ cⱼ(r) of every feature not excluded, r_ref = r, and ĉⱼ
    /// copied into <paramref name="c"/> for every j outside the strong set (the caller keeps the strong set's exact
    /// gradients). <paramref name="exact"/>: double dot products instead of the float copy.
    /// </summary>
    public void FullPass(Span<double> c, bool[] inStrong, bool[] excluded, bool exact)
    {
        if (exact)
        {
            for (int j = 0; j < _p; j++) if (!excluded[j]) _cRef[j] = _e.Gradient(j);
            _errRel = _errAbs = 0;
        }
        else _e.BoundedGradients(_cRef, excluded, out _errRel, out _errAbs);
        for (int j = 0; j < _p; j++) if (!inStrong[j] && !excluded[j]) c[j] = _cRef[j];
        _e.Residual.CopyTo(_rRef);
        SetStrong(inStrong);
    }

    /// <summary>Rebuilds the bound tables after the strong set or the reference changed.</summary>
    public void SetStrong(bool[] inStrong)
    {
        var cn = _e.ColumnNormOverN;
        for (int j = 0; j < _p; j++)
        {
            bool outside = !inStrong[j] && _invV[j] > 0;
            _aOut[j] = outside ? (Math.Abs(_cRef[j]) + _errAbs) * _invV[j] : 0;
            _bOut[j] = outside ? cn[j] * _invV[j] : 0;
        }
        _aOutMax = _p == 0 ? 0 : TensorPrimitives.Max<double>(_aOut);
    }

    /// <summary>Upper bound on |cⱼ(r)| for feature j outside the strong set right after <see cref="FullPass"/>.</summary>
    public double Bound(int j) => Math.Abs(_cRef[j]) + _errAbs + _e.ColumnNormOverN[j] * _errRel;

    /// <summary>‖u − r_ref‖.</summary>
    private double Distance(ReadOnlySpan<double> u)
    {
        double s = 0;
        for (int i = 0; i < _n; i++)
        {
            double d = u[i] - _rRef[i];
            s += d * d;
        }
        return Math.Sqrt(s);
    }

    /// <summary>max over j outside the strong set of the bound on |cⱼ(u)|/vⱼ, with ‖u − r_ref‖ = <paramref name="distance"/>.</summary>
    private double OthersRatio(double distance)
    {
        if (_p == 0) return 0;
        TensorPrimitives.FusedMultiplyAdd(_bOut, _errRel + distance, _aOut, _tmp);
        return TensorPrimitives.Max<double>(_tmp);
    }

    /// <summary>Σ over j outside the strong set of (bound on |cⱼ(u)| − l1·vⱼ)₊²/(2·l2·vⱼ).</summary>
    private double OthersConjugate(double distance, double l1, double l2)
    {
        double conj = 0, spread = _errRel + distance;
        for (int j = 0; j < _p; j++)
        {
            double ratio = _aOut[j] + _bOut[j] * spread; // bound/vⱼ
            if (ratio > l1)
            {
                double vj = 1 / _invV[j], e = (ratio - l1) * vj;
                conj += e * e / (2 * l2 * vj);
            }
        }
        return conj;
    }

    /// <summary>
    /// The certified gap P(w) − D_best at the current coefficients, with the strong set's exact gradients at r written
    /// into <paramref name="c"/>. <paramref name="kktSafe"/>: no feature outside the strong set can violate
    /// |cⱼ(r)| ≤ l1·vⱼ. <paramref name="optimistic"/>: the gap with the other features' gradients taken as ĉ (no
    /// slack), a heuristic for whether a full pass would certify. Stops after the residual's candidates when they
    /// certify <paramref name="target"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Gap(ReadOnlySpan<int> strong, ReadOnlySpan<double> w, Span<double> c, double l1, double l2, double target,
        out bool kktSafe, out double optimistic)
    {
        var r = _e.Residual;
        double n = _n;
        double l1n = 0, wv2 = 0, ratioS = 0, ratioSk = 0, conjS = 0;
        foreach (int j in strong)
        {
            double wj = w[j], iv = _invV[j];
            double cj = _e.GradientAt(j, r);
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
        double ry = TensorPrimitives.Dot(r, _e.Target), rr = TensorPrimitives.Dot(r, r);
        double primal = rr / (2 * n) + l1 * l1n + 0.5 * l2 * wv2;
        double others = OthersRatio(Distance(r));
        kktSafe = others <= l1;
        double conjO = l2 > 0 && others > l1 ? OthersConjugate(Distance(r), l1, l2) : 0;
        double conjOpt = l2 > 0 && _aOutMax > l1 ? OthersConjugate(-_errRel, l1, l2) : 0;
        _best = Math.Max(_best, Value(ry, rr, Math.Max(ratioS, others), conjS + conjO, l1, l2));
        double dOpt = Value(ry, rr, Math.Max(ratioS, _aOutMax), conjS + conjOpt, l1, l2);
        if (l2 > 0 && l1 > 0)
        {
            // scikit-learn's dual point for the elastic net (cd_fast.pyx): κ·(r, −√(n·l2)·V^½w) in the augmented lasso,
            // feasible for κ ≤ l1 / maxⱼ |cⱼ(r) − l2·vⱼ·wⱼ|/vⱼ (wⱼ = 0 outside the strong set); its value
            // (κ·rᵀỹ − ½κ²(‖r‖² + n·l2·Σvⱼwⱼ²))/n is a lower bound on min P as well.
            double quad = rr + n * l2 * wv2;
            double k1 = Math.Max(ratioSk, others) > l1 ? l1 / Math.Max(ratioSk, others) : 1;
            double k2 = Math.Max(ratioSk, _aOutMax) > l1 ? l1 / Math.Max(ratioSk, _aOutMax) : 1;
            _best = Math.Max(_best, (k1 * ry - 0.5 * k1 * k1 * quad) / n);
            dOpt = Math.Max(dOpt, (k2 * ry - 0.5 * k2 * k2 * quad) / n);
        }
        if (primal - _best > target && _ringCount == K + 1 && DualExtrapolation.Compute(_ring, _n, K, _acc, _scratch))
        {
            double ratioA = 0, conjA = 0;
            foreach (int j in strong)
            {
                double iv = _invV[j];
                if (iv == 0) continue;
                double ratio = Math.Abs(_e.GradientAt(j, _acc)) * iv;
                ratioA = Math.Max(ratioA, ratio);
                if (l2 > 0 && ratio > l1) conjA += (ratio - l1) * (ratio - l1) / (2 * l2 * iv);
            }
            double da = Distance(_acc);
            double othersA = OthersRatio(da);
            if (l2 > 0 && othersA > l1) conjA += OthersConjugate(da, l1, l2);
            double ay = TensorPrimitives.Dot<double>(_acc, _e.Target), aa = TensorPrimitives.Dot<double>(_acc, _acc);
            _best = Math.Max(_best, Value(ay, aa, Math.Max(ratioA, othersA), conjA, l1, l2));
        }
        optimistic = Math.Max(primal - Math.Max(_best, dOpt), 0);
        double gap = primal - _best;
        Debug.Assert(!double.IsNaN(gap));
        return Math.Max(gap, 0);
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
