using System.Runtime.CompilerServices;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Occam.Numerics;
using Occam.Numerics.Prox;

namespace Occam.Optimizers;

/// <summary>
/// Adam with decoupled weight decay (AdamW) and an L1 prox step; Adam is the same rule with λ_wd = 0 (coupled
/// L2 enters through the gradient, as PyTorch's <c>Adam(weight_decay)</c>). Equal to <c>torch.optim.AdamW</c> /
/// <c>Adam</c> (1.13, amsgrad off) when prox is off:
/// <code>
/// input: lr γ, β₁, β₂, ε, decoupled decay λ_wd, prox L1 λ₁;  m₀ = v₀ = 0
/// for t = 1, 2, …:
///     θ ← (1 − γ·λ_wd)·θ
///     g ← ∇θ
///     m ← β₁·m + (1 − β₁)·g
///     v ← β₂·v + (1 − β₂)·g²
///     d ← √v / √(1 − β₂ᵗ) + ε                  (per coordinate)
///     θ ← θ − (γ / (1 − β₁ᵗ))·m / d
///     θ ← soft(θ, γ·λ₁ / d)                    (L1 prox with the per-coordinate step γ/d)
/// </code>
/// Rounding follows PyTorch's CPU kernels (<c>add_(alpha)</c> and <c>addcmul_</c> are fused multiply-adds,
/// <c>addcdiv_</c> is <c>p + (s·m)/d</c>), so with prox off the trajectory equals torch's bit for bit
/// (tests/golden/torch_optimizers.json). m and v are flushed to ±0 right after they are computed when
/// <c>0 &lt; |x| &lt; 2⁻¹²⁶</c> (<see cref="Subnormals"/>; a weight whose gradient stays 0 would otherwise keep subnormal
/// moments for ever, ≈ 12× slower per element on Intel), only in steps where no subnormal v can change d
/// (<see cref="FlushBelow"/>): the flush changes m and v by less than 2⁻¹²⁶, d not at all, and that step's θ by less
/// than γ/(1 − β₁ᵗ)·2⁻¹²⁶/ε (docs/algorithms/adam.md, "Subnormal state"). Defaults: γ = 1e-3, β₁ = 0.9, β₂ = 0.999, ε = 1e-8. References: Kingma &amp; Ba, "Adam", ICLR 2015;
/// Loshchilov &amp; Hutter, "Decoupled Weight Decay Regularization", ICLR 2019; PyTorch Adam/AdamW docs.
/// </summary>
public sealed class AdamW : Optimizer
{
    private float[][] _m = [];
    private StepConstants _constants;
    private float[][] _v = [];
    private readonly string _name;

    public AdamW(double learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, string name = "adamw") : base(learningRate)
    {
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, $"beta1 must be in [0, 1) (got {beta1}).");
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, $"beta2 must be in [0, 1) (got {beta2}).");
        Numerics.Preconditions.CheckPositive(epsilon);
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        _name = name;
    }

    public double Beta1 { get; }
    public double Beta2 { get; }
    public double Epsilon { get; }

    public override string Name => _name;

    private protected override void AllocateState(IReadOnlyList<int> sizes)
    {
        _m = new float[sizes.Count][];
        _v = new float[sizes.Count][];
        for (int i = 0; i < sizes.Count; i++)
        {
            _m[i] = new float[sizes[i]];
            _v[i] = new float[sizes[i]];
        }
    }

    private protected override void OnStepBegun() => _constants = StepConstants.For(StepCount, LearningRate, Beta1, Beta2);

    private protected override void StepSlot(int slot, int start, Span<float> value, ReadOnlySpan<float> gradient, double weightDecay, double proxL1, float l2) =>
        Update(value, gradient, _m[slot].AsSpan(start, value.Length), _v[slot].AsSpan(start, value.Length), _constants, LearningRate, Beta1, Beta2, Epsilon, weightDecay, proxL1, l2);

    /// <summary><c>ηᵢ·scale = (float)(lr·scale) / (√vᵢ/√(1 − β₂ᵗ) + ε)</c>: the thresholds the folded prox uses, bit for bit.</summary>
    private protected override void ScaledStepSizes(int slot, Span<float> destination, float lrScale)
    {
        var v = _v[slot];
        float bc2Sqrt = _constants.Bc2Sqrt, eps = (float)Epsilon;
        for (int i = 0; i < destination.Length; i++) destination[i] = lrScale / Denominator(v[i], bc2Sqrt, eps);
    }

    /// <summary><c>dᵢ = √vᵢ / √(1 − β₂ᵗ) + ε</c>, the per-coordinate denominator (scalar form).</summary>
    private static float Denominator(float v, float bc2Sqrt, float eps) => MathF.Sqrt(v) / bc2Sqrt + eps;

    /// <summary>
    /// <see cref="Subnormals.MinNormalBits"/> (flush m and v below 2⁻¹²⁶) when no subnormal v changes this step's
    /// denominator, i.e. <c>√v/√(1 − β₂ᵗ) + ε == ε</c> in float for the largest subnormal v (then for all of them and for
    /// 0: every operation is monotone), else 0 (flush nothing). With ε = 1e-8 this holds for every β₂ ≤ 1 − 2⁻²⁴ and t;
    /// it fails only for ε below ≈ 2⁻³⁹ (or β₂ within 2⁻²⁴ of 1 with ε near that), where subnormal moments can carry a
    /// real step (docs/algorithms/adam.md).
    /// </summary>
    internal static int FlushBelow(float bc2Sqrt, float eps) =>
        Denominator(BitConverter.Int32BitsToSingle(Subnormals.MinNormalBits - 1), bc2Sqrt, eps) == eps ? Subnormals.MinNormalBits : 0;

    /// <summary>The per-step scalars of the update, computed in double and rounded once, as PyTorch does.</summary>
    /// <param name="StepSize">γ / (1 − β₁ᵗ).</param>
    /// <param name="Bc2Sqrt">√(1 − β₂ᵗ).</param>
    public readonly record struct StepConstants(float StepSize, float Bc2Sqrt)
    {
        public static StepConstants For(long step, double lr, double beta1, double beta2)
        {
            System.Diagnostics.Debug.Assert(step >= 1);
            return new StepConstants((float)(lr / (1 - Math.Pow(beta1, step))), (float)Math.Sqrt(1 - Math.Pow(beta2, step)));
        }
    }

    /// <summary>
    /// <c>γ / (mean_g(√v̂ᵢ) + ε)</c>: the step of a coordinate with the group's mean denominator. (Averaging the
    /// per-coordinate steps <c>γ/(√v̂ᵢ + ε)</c> instead would let a coordinate that never saw a gradient — a
    /// constant input — contribute γ/ε and wipe out the whole group.)
    /// </summary>
    private protected override float SlotGroupStepSize(int slot, int start, int length)
    {
        if (length == 0) return (float)LearningRate;
        double bc2Sqrt = _constants.Bc2Sqrt;   // √(1 − β₂ᵗ) of this step, computed once in BeginStep
        double sum = 0;
        foreach (float vi in _v[slot].AsSpan(start, length)) sum += Math.Sqrt(vi);
        return (float)(LearningRate / (sum / length / bc2Sqrt + Epsilon));
    }

    /// <summary>
    /// The update rule above at step <paramref name="step"/> (t ≥ 1), in place over spans (vectorized; equal to
    /// <see cref="UpdateScalar"/> bit for bit).
    /// </summary>
    public static void Update(Span<float> param, ReadOnlySpan<float> grad, Span<float> m, Span<float> v, long step,
        double lr, double beta1, double beta2, double eps, double weightDecay, double proxL1) =>
        Update(param, grad, m, v, StepConstants.For(step, lr, beta1, beta2), lr, beta1, beta2, eps, weightDecay, proxL1);

    /// <summary><see cref="Update(Span{float}, ReadOnlySpan{float}, Span{float}, Span{float}, long, double, double, double, double, double, double)"/> with the step's constants precomputed.</summary>
    public static void Update(Span<float> param, ReadOnlySpan<float> grad, Span<float> m, Span<float> v, StepConstants constants,
        double lr, double beta1, double beta2, double eps, double weightDecay, double proxL1) =>
        Update(param, grad, m, v, constants, lr, beta1, beta2, eps, weightDecay, proxL1, 0f);

    /// <summary>The update with the coupled L2 gradient folded in: <c>g = fma(θ, l2, ∇)</c> from θ before the update.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]   // never tier 0: the precompiled code of a Vector<float> loop is rejected at run time
    internal static void Update(Span<float> param, ReadOnlySpan<float> grad, Span<float> m, Span<float> v, StepConstants constants,
        double lr, double beta1, double beta2, double eps, double weightDecay, double proxL1, float l2)
    {
        int n = param.Length, i = 0;
        float decay = (float)(1.0 - lr * weightDecay), stepSize = constants.StepSize, bc2Sqrt = constants.Bc2Sqrt;
        float b1 = (float)beta1, b2 = (float)beta2, c1 = (float)(1 - beta1), c2 = (float)(1 - beta2);
        float proxScale = (float)(lr * proxL1);
        int flushBelow = FlushBelow(bc2Sqrt, (float)eps);
        if (Simd.Use512 && n >= Vector512<float>.Count)
            i = Update512(param, grad, m, v, decay, stepSize, bc2Sqrt, b1, b2, c1, c2, (float)eps, weightDecay != 0, proxScale, l2, flushBelow);
        if (Vector.IsHardwareAccelerated && n - i >= Vector<float>.Count)
        {
            var vDecay = new Vector<float>(decay);
            var vB1 = new Vector<float>(b1);
            var vB2 = new Vector<float>(b2);
            var vC1 = new Vector<float>(c1);
            var vC2 = new Vector<float>(c2);
            var vBc2 = new Vector<float>(bc2Sqrt);
            var vEps = new Vector<float>((float)eps);
            var vNegStep = new Vector<float>(-stepSize);
            var vProx = new Vector<float>(proxScale);
            var vL2 = new Vector<float>(l2);
            var vFlush = new Vector<int>(flushBelow);
            bool bc2IsOne = bc2Sqrt == 1f;
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
            {
                var p = new Vector<float>(param[i..]);
                var g = new Vector<float>(grad[i..]);
                if (l2 != 0f) g = Vector.FusedMultiplyAdd(p, vL2, g);
                if (weightDecay != 0) p *= vDecay;
                var mi = Subnormals.Flush(Vector.FusedMultiplyAdd(vC1, g, new Vector<float>(m[i..]) * vB1), vFlush);
                var vi = Subnormals.Flush(Vector.FusedMultiplyAdd(vC2 * g, g, new Vector<float>(v[i..]) * vB2), vFlush);
                mi.CopyTo(m[i..]);
                vi.CopyTo(v[i..]);
                var root = Vector.SquareRoot(vi);
                var d = (bc2IsOne ? root : root / vBc2) + vEps;   // x / 1 == x for every float x: no divider pass once √(1 − β₂ᵗ) rounds to 1
                p += vNegStep * mi / d;
                if (proxScale != 0f) p = SoftThreshold.Apply(p, vProx / d);
                p.CopyTo(param[i..]);
            }
        }
        Tail(param[i..], grad[i..], m[i..], v[i..], decay, stepSize, bc2Sqrt, b1, b2, c1, c2, (float)eps, weightDecay != 0, proxScale, l2, flushBelow);
    }

    /// <summary>
    /// The AVX-512 loop of <c>Update</c> over whole 16-float vectors (the same operations in the same order as the scalar
    /// <c>Tail</c>; IEEE division and square root are correctly rounded at every width, so the result is bit-identical
    /// and twice as many coordinates go through the dividers per instruction). Returns the first index not done.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]   // R2R code with Vector512 is rejected at run time: compile once, optimized
    private static int Update512(Span<float> param, ReadOnlySpan<float> grad, Span<float> m, Span<float> v, float decay, float stepSize,
        float bc2Sqrt, float b1, float b2, float c1, float c2, float eps, bool hasDecay, float proxScale, float l2, int flushBelow)
    {
        int n = param.Length, i = 0;
        var vDecay = Vector512.Create(decay);
        var vB1 = Vector512.Create(b1);
        var vB2 = Vector512.Create(b2);
        var vC1 = Vector512.Create(c1);
        var vC2 = Vector512.Create(c2);
        var vBc2 = Vector512.Create(bc2Sqrt);
        var vEps = Vector512.Create(eps);
        var vNegStep = Vector512.Create(-stepSize);
        var vProx = Vector512.Create(proxScale);
        var vL2 = Vector512.Create(l2);
        var vFlush = Vector512.Create(flushBelow);
        bool bc2IsOne = bc2Sqrt == 1f;
        bool markstein = DividesByMarkstein;
        var vRecip = Vector512.Create(1f / bc2Sqrt);      // RN(1/√(1 − β₂ᵗ)): DivideByMarkstein's y
        var vLow = Vector512.Create(bc2Sqrt * MathF.ScaleB(1f, -60));
        var vLimit = Vector512.Create(bc2Sqrt * MathF.ScaleB(1f, 126));
        ref float pr = ref MemoryMarshal.GetReference(param);
        ref float gr = ref MemoryMarshal.GetReference(grad);
        ref float mr = ref MemoryMarshal.GetReference(m);
        ref float vr = ref MemoryMarshal.GetReference(v);
        for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
        {
            nuint o = (nuint)i;
            var p = Vector512.LoadUnsafe(ref pr, o);
            var g = Vector512.LoadUnsafe(ref gr, o);
            if (l2 != 0f) g = Vector512.FusedMultiplyAdd(p, vL2, g);
            if (hasDecay) p *= vDecay;
            var mi = Subnormals.Flush(Vector512.FusedMultiplyAdd(vC1, g, Vector512.LoadUnsafe(ref mr, o) * vB1), vFlush);
            var vi = Subnormals.Flush(Vector512.FusedMultiplyAdd(vC2 * g, g, Vector512.LoadUnsafe(ref vr, o) * vB2), vFlush);
            mi.StoreUnsafe(ref mr, o);
            vi.StoreUnsafe(ref vr, o);
            var root = Vector512.Sqrt(vi);
            // x / 1 == x for every float x: no divider pass once √(1 − β₂ᵗ) rounds to 1; before that, √v/√(1 − β₂ᵗ) from its
            // reciprocal by two fused corrections, the same bits (DivideByMarkstein): the divider does √ and the quotients by d.
            var d = (bc2IsOne ? root : markstein ? DivideByMarkstein(root, vBc2, vRecip, vLow, vLimit) : root / vBc2) + vEps;
            p += vNegStep * mi / d;
            if (proxScale != 0f) p = SoftThreshold.Apply(p, vProx / d);
            p.StoreUnsafe(ref pr, o);
        }
        return i;
    }

    /// <summary>
    /// True: <c>Update</c>'s AVX-512 loop computes √v/√(1 − β₂ᵗ) from RN(1/√(1 − β₂ᵗ)) by fused corrections
    /// (<see cref="DivideByMarkstein"/>); false: with the divider. The same bits; settable for the tests and the bench's
    /// A/B (<c>steps --ab-scale</c>, <c>steps --ab-adam</c>). Default: true on Intel processors, where the corrections were
    /// measured faster (Xeon, session 13: the big net's Adam 498–581 → 420–524 µs), false on AMD processors
    /// (<see cref="Numerics.Processor.IsAmd"/>), where the divider is the faster (Zen 5, session 22: 172 µs by the divider
    /// against 236 µs by the corrections for the same 535 818 weights, the whole step at one thread 2.5 % faster;
    /// docs/algorithms/adam.md, "AMD Zen 5 (session 22)").
    /// </summary>
    internal static bool DividesByMarkstein { get; set; } = !Numerics.Processor.IsAmd;

    /// <summary>
    /// <c>RN(x / b)</c> for every lane of <paramref name="x"/> ≥ 0, given <paramref name="y"/> = RN(1/b) (a float division)
    /// for a float 0 &lt; b ≤ 1, with fused multiply-adds only: q₀ = RN(x·y); r₀ = RN(x − b·q₀), q₁ = RN(q₀ + r₀·y);
    /// r₁ = x − b·q₁ (exact), q₂ = RN(q₁ + r₁·y). Why q₂ is the division's float: y = RN(1/b) is within 2⁻²⁴ relative of
    /// 1/b for every b (half an ulp is at most 2⁻²⁴ of the value); so x·y is within 2⁻²⁴ relative of x/b and q₀ within
    /// 1.5 ulp; q₁'s exact value q₀ + r₀·y differs from x/b by (x/b − q₀)(b·y − 1) plus r₀'s rounding times y, under 3·2⁻²⁴ ulp,
    /// so q₁ is faithful (one of the two floats around x/b); then r₁ is exact and Markstein's theorem (a faithful quotient
    /// and a reciprocal within 2⁻ᵖ relative give RN(q + r·y) = RN(x/b); P. Markstein, IBM J. R&amp;D 34, 1990; D. Russinoff's
    /// mechanized proof, "Formal Verification of Floating-Point Hardware Design", ch. 13) gives RN(x/b). (The all-ones
    /// mantissa exception in the literature concerns a reciprocal computed by Newton steps; y here is the correctly
    /// rounded one.) The remainders must not underflow: r is a multiple of ulp(q)·ulp(b), so q ≥ 2⁻⁶⁰ and b ≥ 2⁻²⁷ (b =
    /// √(1 − β₂ᵗ) ≥ √(1 − β₂), and 1 − β₂ ≥ 2⁻⁵³ in double) keep it on the normal grid. x = 0 gives 0; a lane with x below
    /// <paramref name="low"/> = b·2⁻⁶⁰ (other than 0), x/b possibly above 2¹²⁶ (x ≥ <paramref name="limit"/> = b·2¹²⁶), ∞ or
    /// NaN makes the vector take the division instead (√v of a float v ≥ 2⁻¹²⁶ is ≥ 2⁻⁶³, so Adam's state takes it only for
    /// moments within a few powers of two of the flush limit).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> DivideByMarkstein(Vector512<float> x, Vector512<float> b, Vector512<float> y, Vector512<float> low, Vector512<float> limit)
    {
        var inRange = (Vector512.GreaterThanOrEqual(x, low) & Vector512.LessThan(x, limit)) | Vector512.Equals(x, Vector512<float>.Zero);
        if (!Vector512.EqualsAll(inRange.AsInt32(), Vector512<int>.AllBitsSet)) return x / b;
        var q = x * y;
        q = Vector512.FusedMultiplyAdd(Vector512.FusedMultiplyAdd(-q, b, x), y, q);
        return Vector512.FusedMultiplyAdd(Vector512.FusedMultiplyAdd(-q, b, x), y, q);
    }

    /// <summary>Scalar reference of the vectorized <c>Update</c>.</summary>
    public static void UpdateScalar(Span<float> param, ReadOnlySpan<float> grad, Span<float> m, Span<float> v, long step,
        double lr, double beta1, double beta2, double eps, double weightDecay, double proxL1)
    {
        var c = StepConstants.For(step, lr, beta1, beta2);
        float decay = (float)(1.0 - lr * weightDecay), stepSize = c.StepSize, bc2Sqrt = c.Bc2Sqrt;
        Tail(param, grad, m, v, decay, stepSize, bc2Sqrt, (float)beta1, (float)beta2, (float)(1 - beta1), (float)(1 - beta2), (float)eps, weightDecay != 0, (float)(lr * proxL1), 0f,
            FlushBelow(bc2Sqrt, (float)eps));
    }

    private static void Tail(Span<float> param, ReadOnlySpan<float> grad, Span<float> m, Span<float> v, float decay, float stepSize,
        float bc2Sqrt, float b1, float b2, float c1, float c2, float eps, bool hasDecay, float proxScale, float l2, int flushBelow)
    {
        float negStep = -stepSize;
        for (int i = 0; i < param.Length; i++)
        {
            float p = param[i], g = grad[i];
            if (l2 != 0f) g = MathF.FusedMultiplyAdd(p, l2, g);
            if (hasDecay) p *= decay;
            float mi = Subnormals.Flush(MathF.FusedMultiplyAdd(c1, g, m[i] * b1), flushBelow);
            float vi = Subnormals.Flush(MathF.FusedMultiplyAdd(c2 * g, g, v[i] * b2), flushBelow);
            m[i] = mi;
            v[i] = vi;
            float d = Denominator(vi, bc2Sqrt, eps);
            p += negStep * mi / d;
            if (proxScale != 0f) p = SoftThreshold.Scalar(p, proxScale / d);
            param[i] = p;
        }
    }
}
