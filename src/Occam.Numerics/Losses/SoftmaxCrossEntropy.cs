using Occam.Numerics.Functions;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Occam.Numerics.Losses;

/// <summary>
/// Softmax cross-entropy on logits, PyTorch's <c>CrossEntropyLoss(reduction='mean')</c>. For row r with
/// logits z (K values) and class c: <c>ℓ = log Σⱼ e^{zⱼ − m} + m − z_c</c> with m = maxⱼ zⱼ (stable
/// log-sum-exp); <c>L = (1/R)·Σ ℓ</c>; <c>∂L/∂zⱼ = (softmax(z)ⱼ − [j = c])/R</c>.
/// </summary>
public static class SoftmaxCrossEntropy
{
    /// <summary>
    /// Returns the mean loss over <paramref name="rows"/> rows of <paramref name="classes"/> logits each and writes
    /// the gradient. <paramref name="labels"/> holds the class index of each row as a float (0..K−1).
    /// With AVX-512 and K ≤ 16 each row is one masked 16-wide vector (<see cref="ComputeNarrow"/>), with AVX2 and
    /// 8 ≤ K ≤ 16 two overlapping 8-wide vectors (<see cref="ComputeNarrow256"/>); the result equals
    /// <see cref="ComputeScalar"/> bit for bit.
    /// </summary>
    public static float Compute(ReadOnlySpan<float> logits, int rows, int classes, ReadOnlySpan<float> labels, Span<float> gradient)
    {
        Preconditions.CheckLength(logits.Length, rows * classes);
        Preconditions.CheckLength(labels.Length, rows);
        Preconditions.CheckLength(gradient.Length, rows * classes);
        if (rows == 0) return 0f;
        if (Avx512F.IsSupported && Simd.Use512 && classes <= 16) return ComputeNarrow(logits, rows, classes, labels, gradient);
        if (Simd.Use256 && classes is >= 8 and <= 16) return ComputeNarrow256(logits, rows, classes, labels, gradient);
        return Rows(logits, rows, classes, labels, gradient);
    }

    /// <summary>The definition of <see cref="Compute"/>: row by row, with span operations per row.</summary>
    public static float ComputeScalar(ReadOnlySpan<float> logits, int rows, int classes, ReadOnlySpan<float> labels, Span<float> gradient)
    {
        Preconditions.CheckLength(logits.Length, rows * classes);
        Preconditions.CheckLength(labels.Length, rows);
        Preconditions.CheckLength(gradient.Length, rows * classes);
        return rows == 0 ? 0f : Rows(logits, rows, classes, labels, gradient);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]   // the path for K > 16 classes: never at tier 0
    private static float Rows(ReadOnlySpan<float> logits, int rows, int classes, ReadOnlySpan<float> labels, Span<float> gradient)
    {
        double sum = 0;
        float inv = 1f / rows;
        // Blocks of rows: shifted logits z − m into the gradient buffer, one vectorized exp over the block, then per row
        // the sum (in j order), the loss term and the scaling. Same operations as one row at a time; only e^x is the
        // vectorized Exp.Apply (Functions/Exp.cs: computed in double, within 1 ulp of e^x) instead of MathF.Exp.
        const int block = 64;
        Span<float> maxima = stackalloc float[block];
        for (int r0 = 0; r0 < rows; r0 += block)
        {
            int count = Math.Min(block, rows - r0);
            for (int r = 0; r < count; r++)
            {
                var z = logits.Slice((r0 + r) * classes, classes);
                float m = z[0];
                for (int j = 1; j < classes; j++) if (z[j] > m) m = z[j];
                maxima[r] = m;
                var d = gradient.Slice((r0 + r) * classes, classes);
                for (int j = 0; j < classes; j++) d[j] = z[j] - m;
            }
            var e = gradient.Slice(r0 * classes, count * classes);
            Exp.Apply(e, e);
            for (int r = 0; r < count; r++)
            {
                var z = logits.Slice((r0 + r) * classes, classes);
                var g = gradient.Slice((r0 + r) * classes, classes);
                int c = (int)labels[r0 + r];
                System.Diagnostics.Debug.Assert((uint)c < (uint)classes, "label out of range");
                float s = 0f;
                for (int j = 0; j < classes; j++) s += g[j];
                sum += Math.Log(s) + maxima[r] - z[c];
                float t = inv / s;
                for (int j = 0; j < classes; j++) g[j] *= t;
                g[c] -= inv;
            }
        }
        return (float)(sum / rows);
    }

    /// <summary>
    /// <see cref="Compute"/> for K ≤ 16 on AVX-512: the same blocks and operations, each row one vector with the lanes
    /// past K masked off (masked loads and stores touch nothing past the row): the maximum by a reduction of the
    /// vector (the same value as the scalar scan, up to the sign of a zero maximum, which changes neither z − m nor
    /// the loss), z − m stored masked, the block's exponentials by the same <see cref="Exp.Apply"/>, then per row
    /// scalar loops with no call: the sum in j order, the loss term, e·(1/R ÷ s) and 1/R subtracted at the label
    /// (scalar on purpose: a masked vector store followed by loads of the next row in the same cache line stalls
    /// store forwarding, measured slower than the span calls).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]   // R2R code with Vector512 is rejected at run time: compile once, optimized
    private static unsafe float ComputeNarrow(ReadOnlySpan<float> logits, int rows, int classes, ReadOnlySpan<float> labels, Span<float> gradient)
    {
        System.Diagnostics.Debug.Assert(classes is >= 1 and <= 16);
        double sum = 0;
        float inv = 1f / rows;
        const int block = 64;
        float* maxima = stackalloc float[block];
        float* sums = stackalloc float[block];
        var valid = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(classes)).AsSingle();
        var lowest = Vector512.Create(float.NegativeInfinity);
        fixed (float* pz = logits)
        fixed (float* pg = gradient)
        {
            for (int r0 = 0; r0 < rows; r0 += block)
            {
                int count = Math.Min(block, rows - r0);
                float* z = pz + r0 * classes, g = pg + r0 * classes;
                for (int r = 0; r < count; r++, z += classes, g += classes)
                {
                    var zv = Avx512F.MaskLoad(z, valid, lowest);
                    var h = Vector256.MaxNative(zv.GetLower(), zv.GetUpper());
                    var q = Vector128.MaxNative(h.GetLower(), h.GetUpper());
                    q = Vector128.MaxNative(q, Vector128.Shuffle(q, Vector128.Create(2, 3, 0, 1)));
                    q = Vector128.MaxNative(q, Vector128.Shuffle(q, Vector128.Create(1, 0, 3, 2)));
                    float m = q.ToScalar();
                    maxima[r] = m;
                    Avx512F.MaskStore(g, valid, zv - Vector512.Create(m));
                }
                var e = gradient.Slice(r0 * classes, count * classes);
                Exp.Apply(e, e);
                Finish(pz, pg, r0, count, classes, labels, inv, maxima, sums, ref sum);
            }
        }
        return (float)(sum / rows);
    }

    /// <summary>
    /// <see cref="Compute"/> for 8 ≤ K ≤ 16 on AVX2 (the Vector256 path; without it each row cost two span calls, ≈ 1.7× the
    /// AVX-512 loss on 64-128-10's 128 × 10 scores): the same blocks and operations as <see cref="ComputeNarrow"/>, each
    /// row read as two 8-wide vectors at columns 0 and K − 8, which overlap when K &lt; 16 and never reach past the row:
    /// the maximum of both (a maximum is unchanged by counting lanes twice), z − m stored from both (the overlapping lanes
    /// get the same value twice), then the block's exponentials and <see cref="Finish"/>.
    /// </summary>
    internal static unsafe float ComputeNarrow256(ReadOnlySpan<float> logits, int rows, int classes, ReadOnlySpan<float> labels, Span<float> gradient)
    {
        System.Diagnostics.Debug.Assert(classes is >= 8 and <= 16);
        double sum = 0;
        float inv = 1f / rows;
        const int block = 64;
        float* maxima = stackalloc float[block];
        float* sums = stackalloc float[block];
        int tail = classes - 8;
        fixed (float* pz = logits)
        fixed (float* pg = gradient)
        {
            for (int r0 = 0; r0 < rows; r0 += block)
            {
                int count = Math.Min(block, rows - r0);
                float* z = pz + r0 * classes, g = pg + r0 * classes;
                for (int r = 0; r < count; r++, z += classes, g += classes)
                {
                    var z0 = Vector256.Load(z);
                    var z1 = Vector256.Load(z + tail);
                    var h = Vector256.MaxNative(z0, z1);
                    var q = Vector128.MaxNative(h.GetLower(), h.GetUpper());
                    q = Vector128.MaxNative(q, Vector128.Shuffle(q, Vector128.Create(2, 3, 0, 1)));
                    q = Vector128.MaxNative(q, Vector128.Shuffle(q, Vector128.Create(1, 0, 3, 2)));
                    float m = q.ToScalar();
                    maxima[r] = m;
                    var vm = Vector256.Create(m);
                    (z0 - vm).Store(g);
                    (z1 - vm).Store(g + tail);
                }
                var e = gradient.Slice(r0 * classes, count * classes);
                Exp.Apply(e, e);
                Finish(pz, pg, r0, count, classes, labels, inv, maxima, sums, ref sum);
            }
        }
        return (float)(sum / rows);
    }

    /// <summary>
    /// The end of a block of <paramref name="count"/> rows from <paramref name="r0"/> once the gradient holds e^(z − m): the
    /// sums first (rows independent, no call in the loop: their add chains overlap), then the loss terms
    /// <c>log s + m − z_c</c> (a call per row; added to <paramref name="sum"/> in row order), then the scaling
    /// <c>e·(1/R ÷ s)</c> and 1/R subtracted at the label. Shared by the narrow paths.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static unsafe void Finish(float* pz, float* pg, int r0, int count, int classes, ReadOnlySpan<float> labels, float inv, float* maxima, float* sums, ref double sum)
    {
        float* g = pg + r0 * classes;
        for (int r = 0; r < count; r++, g += classes)
        {
            float s = 0f;
            for (int j = 0; j < classes; j++) s += g[j];
            sums[r] = s;
        }
        float* z = pz + r0 * classes;
        for (int r = 0; r < count; r++, z += classes)
        {
            int c = (int)labels[r0 + r];
            if ((uint)c >= (uint)classes) ThrowLabel(c, classes);
            sum += Math.Log(sums[r]) + maxima[r] - z[c];
        }
        g = pg + r0 * classes;
        for (int r = 0; r < count; r++, g += classes)
        {
            float t = inv / sums[r];
            for (int j = 0; j < classes; j++) g[j] *= t;
            g[(int)labels[r0 + r]] -= inv;
        }
    }

    private static void ThrowLabel(int label, int classes) =>
        throw new ArgumentOutOfRangeException(nameof(label), label, $"a class label must be in 0..{classes - 1}.");

    /// <summary>Returns the mean loss only.</summary>
    public static double Value(ReadOnlySpan<float> logits, int rows, int classes, ReadOnlySpan<float> labels)
    {
        Preconditions.CheckLength(logits.Length, rows * classes);
        Preconditions.CheckLength(labels.Length, rows);
        if (rows == 0) return 0;
        double sum = 0;
        for (int r = 0; r < rows; r++)
        {
            var z = logits.Slice(r * classes, classes);
            double m = z[0];
            for (int j = 1; j < classes; j++) if (z[j] > m) m = z[j];
            double s = 0;
            for (int j = 0; j < classes; j++) s += Math.Exp(z[j] - m);
            sum += Math.Log(s) + m - z[(int)labels[r]];
        }
        return sum / rows;
    }
}
