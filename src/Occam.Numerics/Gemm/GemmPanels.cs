using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Occam.Numerics;

/// <summary>
/// The forward product of a dense layer for inference, computed transposed so that the weights are read where they
/// are stored and nothing is packed per call: <c>Yᵀ = W·Xᵀ + b·1ᵀ</c>, W stored <c>[out][in]</c> (leading dimension
/// ldw), with the batch kept in column panels of NR rows.
/// <para>
/// Panel layout of a batch H (<c>rows × units</c>): panel q holds rows <c>q·NR .. q·NR + NR − 1</c>, unit by unit,
/// <c>P[q·stride + u·NR + c] = H[q·NR + c, u]</c>. A panel of X is exactly the packed B̃ micro-panel the register
/// tile streams (NR values per k step), and the tile writes its MR×NR block of Yᵀ into the same layout, so a layer's
/// output is the next layer's packed input and activations never leave the panels. Rows of a panel past the batch
/// are columns of Yᵀ that are computed and ignored (columns never mix); output panels hold ⌈out/MR⌉·MR units so
/// that every tile is whole (the rows of W past <c>out</c> are the last row again, and ignored).
/// </para>
/// <para>
/// Each element is the GEMM's chain of fused multiply-adds (<see cref="Gemm"/>): over k in the blocks of
/// <see cref="GemmKernelInfo.DepthStep"/>, in order, <c>acc = fma(W[j, p], X[r, p], acc)</c> from 0 within a block,
/// then <c>Y = acc + b[j]</c> after the first block and <c>Y = acc + Y</c> after each later one. That is what
/// <c>Gemm.Multiply(false, true, ...)</c> with C preloaded with the bias and beta = 1 computes, so the results are
/// bit-identical to the training forward pass, for any kernel, panel width and thread split.
/// With <c>relu</c>, the store of the last k block writes <c>max(Y, 0)</c> instead of Y (IEEE maximum: NaN stays
/// NaN, −0 becomes +0): exactly what <see cref="Activations.Relu.Forward"/> computes on the stored Y, without a
/// separate pass over the activations.
/// </para>
/// <para>
/// Loop order per call: k block, then panel, then tiles of MR output units: the k block of W (out × kc) stays in L2
/// while the panels pass, and one panel's k block (kc × NR) stays in L1 while the tiles pass.
/// </para>
/// </summary>
[SkipLocalsInit]
internal static unsafe class GemmPanels
{
    /// <summary>Tile rows MR (output units) and panel width NR (batch rows) of a kernel; V128 runs the scalar tile.</summary>
    public static (int MR, int NR) Shape(GemmKernel kind) => Resolve(kind) switch
    {
        GemmKernel.V512 => (8, 32),
        GemmKernel.V256 => (6, 16),
        _ => (4, 16),
    };

    /// <summary>The kernel <see cref="GemmKernel.Auto"/> stands for: the widest accelerated one of V512, V256, scalar.</summary>
    public static GemmKernel Resolve(GemmKernel kind) => kind switch
    {
        GemmKernel.Auto => Vector512.IsHardwareAccelerated ? GemmKernel.V512
            : Vector256.IsHardwareAccelerated ? GemmKernel.V256 : GemmKernel.Scalar,
        GemmKernel.V512 or GemmKernel.V256 => kind,
        _ => GemmKernel.Scalar,
    };

    /// <summary>Output units rounded up to whole tiles: the unit count of an output panel.</summary>
    public static int PaddedUnits(GemmKernel kind, int units)
    {
        int mr = Shape(kind).MR;
        return (units + mr - 1) / mr * mr;
    }

    /// <summary>
    /// <c>Yᵀ = W·Xᵀ + b</c> for panels <c>[q0, q1)</c>: input panel q at <c>x + q·xStride</c> (k units), output panel q
    /// at <c>y + q·yStride</c> (<see cref="PaddedUnits"/> units); with <paramref name="relu"/>, <c>max(Yᵀ, 0)</c>.
    /// W is read from <paramref name="packed"/> when given (<see cref="PackWeights"/> of the same W: one sequential
    /// stream per tile), else in place: the tiles then always compute MR whole units, and when n is not a multiple of
    /// MR the last tile's rows of each k block of W (and its bias) are copied once per k block into a small block of
    /// MR rows on the stack, the last row repeated. Both read the same values in the same order: the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(GemmKernel kind, int n, int k, float* w, nint ldw, float* bias,
        float* x, nint xStride, float* y, nint yStride, int q0, int q1, bool relu = false, float* packed = null)
    {
        kind = Resolve(kind);
        (int mr, int nr) = Shape(kind);
        Debug.Assert(n >= 1 && k >= 1 && ldw >= k && xStride >= (nint)k * nr && yStride >= (nint)PaddedUnits(kind, n) * nr);
        int kStep = GemmKernelInfo.DepthStep(k);
        int whole = n / mr * mr, padded = PaddedUnits(kind, n);
        bool copyEdge = whole < n && packed == null;
        // The edge tile's W rows (MR × kc, leading dimension kc) and bias; at most 8 × 256 floats.
        Debug.Assert(kStep <= GemmKernelInfo.BlockDepth);
        float* edge = stackalloc float[copyEdge ? mr * kStep : 0];
        float* edgeBias = stackalloc float[mr];
        for (int r = 0; r < mr && whole < n; r++) edgeBias[r] = bias[Math.Min(whole + r, n - 1)];
        for (int pc = 0; pc < k; pc += kStep)
        {
            int kc = Math.Min(kStep, k - pc);
            float* wk = w + pc;
            float* pk = packed == null ? null : packed + (nint)pc * padded;
            bool first = pc == 0, last = relu && pc + kc == k;
            for (int r = 0; r < mr && copyEdge; r++)
                new ReadOnlySpan<float>(wk + Math.Min(whole + r, n - 1) * ldw, kc).CopyTo(new Span<float>(edge + r * kc, kc));
            for (int q = q0; q < q1; q++)
            {
                float* b = x + q * xStride + (nint)pc * nr;
                float* c = y + q * yStride;
                for (int i = 0; i < n; i += mr)
                {
                    bool full = i < whole;
                    float* wi = packed != null ? pk + (nint)i * kc : full ? wk + i * ldw : edge;
                    nint rows = packed != null ? 1 : full ? ldw : kc, steps = packed != null ? mr : 1;
                    float* bi = !first ? null : full ? bias + i : edgeBias;
                    switch (kind)
                    {
                        case GemmKernel.V512: Tile8x32(kc, wi, rows, steps, b, c + i * nr, bi, last); break;
                        case GemmKernel.V256: Tile6x16(kc, wi, rows, steps, b, c + i * nr, bi, last); break;
                        default: TileScalar(kc, wi, rows, steps, mr, nr, b, c + i * nr, bi, last); break;
                    }
                }
            }
        }
    }

    /// <summary>Floats of <see cref="PackWeights"/>'s layout for an n × k layer: <c>PaddedUnits(n) · k</c>.</summary>
    public static long PackedLength(GemmKernel kind, int n, int k) => (long)PaddedUnits(kind, n) * k;

    /// <summary>
    /// W (<c>[n][k]</c>, leading dimension ldw) in the order the tiles read it: for each k block of
    /// <see cref="GemmKernelInfo.DepthStep"/> (start pc, depth kc) and each tile of MR units (first unit i), a block of
    /// kc × MR floats at <c>pc·PaddedUnits(n) + i·kc</c> holding <c>W[min(i + r, n − 1), pc + p]</c> at <c>p·MR + r</c>
    /// (the last row repeated past n, as the in-place edge tile reads it). A tile then reads one sequential stream of
    /// MR floats per k step instead of MR rows of W.
    /// </summary>
    public static void PackWeights(GemmKernel kind, int n, int k, float* w, nint ldw, float* packed)
    {
        kind = Resolve(kind);
        int mr = Shape(kind).MR, padded = PaddedUnits(kind, n), kStep = GemmKernelInfo.DepthStep(k);
        for (int pc = 0; pc < k; pc += kStep)
            PackBlock(mr, n, padded, pc, Math.Min(kStep, k - pc), w, ldw, packed + (nint)pc * padded);
    }

    private static void PackBlock(int mr, int n, int padded, int pc, int kc, float* w, nint ldw, float* packed)
    {
        for (int i = 0; i < padded; i += mr)
        {
            float* d = packed + (nint)i * kc;
            if (Avx.IsSupported && mr == 8 && i + mr <= n)
            {
                // 8 whole rows: an 8 × 8 transpose in registers per 8 k steps.
                GemmPacking.PackTransposed(d, w + i * ldw + pc, ldw, kc, 8, 8);
                continue;
            }
            for (int r = 0; r < mr; r++)
            {
                float* s = w + Math.Min(i + r, n - 1) * ldw + pc;
                for (int p = 0; p < kc; p++) d[p * mr + r] = s[p];
            }
        }
    }

    /// <summary>
    /// Scalar tile: <c>c[i·NR + j] = acc(i, j) + (bias ? b[i] : c[i·NR + j])</c>,
    /// <c>acc(i, j) = Σ_p fma(w[i·rowStride + p·kStride], x[p·NR + j])</c> in order, then <c>max(·, 0)</c> with
    /// <paramref name="relu"/> (rows in place: rowStride = ldw, kStride = 1; packed: 1 and MR).
    /// </summary>
    public static void TileScalar(int kc, float* w, nint rowStride, nint kStride, int mr, int nr, float* x, float* c, float* bias, bool relu)
    {
        for (int i = 0; i < mr; i++)
        {
            float* wi = w + i * rowStride;
            for (int j = 0; j < nr; j++)
            {
                float acc = 0;
                for (int p = 0; p < kc; p++) acc = MathF.FusedMultiplyAdd(wi[p * kStride], x[p * nr + j], acc);
                float v = acc + (bias is null ? c[i * nr + j] : bias[i]);
                c[i * nr + j] = relu ? MathF.Max(v, 0f) : v;
            }
        }
    }

    /// <summary>
    /// Vector512 tile: 8 units × 32 batch rows, 16 zmm accumulators, W's unit r at k step p broadcast from
    /// <c>w[r·rowStride + p·kStride]</c>: its 8 rows in place (rowStride = ldw, kStride = 1) or packed
    /// (<see cref="PackWeights"/>: rowStride = 1, kStride = 8). Addressed as two moving pointers plus 1, 2, 3 × rowStride,
    /// so that no pointer is spilled in the loop.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile8x32(int kc, float* w, nint rowStride, nint kStride, float* x, float* c, float* bias, bool relu)
    {
        float* w0 = w, w4 = w + 4 * rowStride, end = w + kc * kStride;
        nint l1 = rowStride, l2 = 2 * rowStride, l3 = 3 * rowStride;
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default, c70 = default, c71 = default;
        // Two k steps per pass where there are two (the same multiply-adds in the same order).
        for (float* end2 = end - kStride; w0 < end2; w0 += 2 * kStride, w4 += 2 * kStride, x += 64)
        {
            Step8x32(w0, w4, l1, l2, l3, x, ref c00, ref c01, ref c10, ref c11, ref c20, ref c21, ref c30, ref c31,
                ref c40, ref c41, ref c50, ref c51, ref c60, ref c61, ref c70, ref c71);
            Step8x32(w0 + kStride, w4 + kStride, l1, l2, l3, x + 32, ref c00, ref c01, ref c10, ref c11, ref c20, ref c21, ref c30, ref c31,
                ref c40, ref c41, ref c50, ref c51, ref c60, ref c61, ref c70, ref c71);
        }
        if (w0 < end)
            Step8x32(w0, w4, l1, l2, l3, x, ref c00, ref c01, ref c10, ref c11, ref c20, ref c21, ref c30, ref c31,
                ref c40, ref c41, ref c50, ref c51, ref c60, ref c61, ref c70, ref c71);
        Store512(c, c00, c01, bias, 0, relu); c += 32;
        Store512(c, c10, c11, bias, 1, relu); c += 32;
        Store512(c, c20, c21, bias, 2, relu); c += 32;
        Store512(c, c30, c31, bias, 3, relu); c += 32;
        Store512(c, c40, c41, bias, 4, relu); c += 32;
        Store512(c, c50, c51, bias, 5, relu); c += 32;
        Store512(c, c60, c61, bias, 6, relu); c += 32;
        Store512(c, c70, c71, bias, 7, relu);
    }

    /// <summary>One k step of <see cref="Tile8x32"/>: <c>c_r0 += w_r·x[0..15]</c>, <c>c_r1 += w_r·x[16..31]</c> for the 8 units.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step8x32(float* w0, float* w4, nint l1, nint l2, nint l3, float* x,
        ref Vector512<float> c00, ref Vector512<float> c01, ref Vector512<float> c10, ref Vector512<float> c11,
        ref Vector512<float> c20, ref Vector512<float> c21, ref Vector512<float> c30, ref Vector512<float> c31,
        ref Vector512<float> c40, ref Vector512<float> c41, ref Vector512<float> c50, ref Vector512<float> c51,
        ref Vector512<float> c60, ref Vector512<float> c61, ref Vector512<float> c70, ref Vector512<float> c71)
    {
        Vector512<float> b0 = Vector512.Load(x);
        Vector512<float> b1 = Vector512.Load(x + 16);
        Vector512<float> a = Vector512.Create(*w0);
        c00 = Vector512.FusedMultiplyAdd(a, b0, c00);
        c01 = Vector512.FusedMultiplyAdd(a, b1, c01);
        a = Vector512.Create(w0[l1]);
        c10 = Vector512.FusedMultiplyAdd(a, b0, c10);
        c11 = Vector512.FusedMultiplyAdd(a, b1, c11);
        a = Vector512.Create(w0[l2]);
        c20 = Vector512.FusedMultiplyAdd(a, b0, c20);
        c21 = Vector512.FusedMultiplyAdd(a, b1, c21);
        a = Vector512.Create(w0[l3]);
        c30 = Vector512.FusedMultiplyAdd(a, b0, c30);
        c31 = Vector512.FusedMultiplyAdd(a, b1, c31);
        a = Vector512.Create(*w4);
        c40 = Vector512.FusedMultiplyAdd(a, b0, c40);
        c41 = Vector512.FusedMultiplyAdd(a, b1, c41);
        a = Vector512.Create(w4[l1]);
        c50 = Vector512.FusedMultiplyAdd(a, b0, c50);
        c51 = Vector512.FusedMultiplyAdd(a, b1, c51);
        a = Vector512.Create(w4[l2]);
        c60 = Vector512.FusedMultiplyAdd(a, b0, c60);
        c61 = Vector512.FusedMultiplyAdd(a, b1, c61);
        a = Vector512.Create(w4[l3]);
        c70 = Vector512.FusedMultiplyAdd(a, b0, c70);
        c71 = Vector512.FusedMultiplyAdd(a, b1, c71);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store512(float* c, Vector512<float> a0, Vector512<float> a1, float* bias, int i, bool relu)
    {
        var b0 = bias is null ? Vector512.Load(c) : Vector512.Create(bias[i]);
        var b1 = bias is null ? Vector512.Load(c + 16) : b0;
        a0 += b0;
        a1 += b1;
        if (relu)
        {
            a0 = Vector512.Max(a0, Vector512<float>.Zero);
            a1 = Vector512.Max(a1, Vector512<float>.Zero);
        }
        a0.Store(c);
        a1.Store(c + 16);
    }

    /// <summary>
    /// Vector256 tile: 6 units × 16 batch rows, 12 ymm accumulators, W's unit r at k step p broadcast from
    /// <c>w[r·rowStride + p·kStride]</c> (rows in place or packed, as <see cref="Tile8x32"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile6x16(int kc, float* w, nint rowStride, nint kStride, float* x, float* c, float* bias, bool relu)
    {
        float* w0 = w, w3 = w + 3 * rowStride, end = w + kc * kStride;
        nint l1 = rowStride, l2 = 2 * rowStride;
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (; w0 < end; w0 += kStride, w3 += kStride, x += 16)
        {
            Vector256<float> b0 = Vector256.Load(x);
            Vector256<float> b1 = Vector256.Load(x + 8);
            Vector256<float> a = Vector256.Create(*w0);
            c00 = Vector256.FusedMultiplyAdd(a, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(a, b1, c01);
            a = Vector256.Create(w0[l1]);
            c10 = Vector256.FusedMultiplyAdd(a, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(a, b1, c11);
            a = Vector256.Create(w0[l2]);
            c20 = Vector256.FusedMultiplyAdd(a, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(a, b1, c21);
            a = Vector256.Create(*w3);
            c30 = Vector256.FusedMultiplyAdd(a, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(a, b1, c31);
            a = Vector256.Create(w3[l1]);
            c40 = Vector256.FusedMultiplyAdd(a, b0, c40);
            c41 = Vector256.FusedMultiplyAdd(a, b1, c41);
            a = Vector256.Create(w3[l2]);
            c50 = Vector256.FusedMultiplyAdd(a, b0, c50);
            c51 = Vector256.FusedMultiplyAdd(a, b1, c51);
        }
        Store256(c, c00, c01, bias, 0, relu); c += 16;
        Store256(c, c10, c11, bias, 1, relu); c += 16;
        Store256(c, c20, c21, bias, 2, relu); c += 16;
        Store256(c, c30, c31, bias, 3, relu); c += 16;
        Store256(c, c40, c41, bias, 4, relu); c += 16;
        Store256(c, c50, c51, bias, 5, relu);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store256(float* c, Vector256<float> a0, Vector256<float> a1, float* bias, int i, bool relu)
    {
        var b0 = bias is null ? Vector256.Load(c) : Vector256.Create(bias[i]);
        var b1 = bias is null ? Vector256.Load(c + 8) : b0;
        a0 += b0;
        a1 += b1;
        if (relu)
        {
            a0 = Vector256.Max(a0, Vector256<float>.Zero);
            a1 = Vector256.Max(a1, Vector256<float>.Zero);
        }
        a0.Store(c);
        a1.Store(c + 8);
    }

    /// <summary>
    /// Packs <paramref name="rows"/> row-major rows of k values (leading dimension ld) into ⌈rows/NR⌉ panels of
    /// stride k·NR: <c>p[q·k·NR + u·NR + c] = src[(q·NR + c)·ld + u]</c>, zeros for rows past the batch.
    /// </summary>
    public static void PackRows(float* panels, float* src, nint ld, int rows, int k, int nr) =>
        PackRows<NoCheck>(panels, src, ld, rows, k, nr);

    /// <summary>
    /// <see cref="PackRows(float*, float*, nint, int, int, int)"/>, and whether every value it read is finite (no
    /// second pass over the rows: the packing's own loads are checked). False tells the caller to find and report the
    /// bad value; the panels are packed either way.
    /// </summary>
    public static bool PackRowsChecked(float* panels, float* src, nint ld, int rows, int k, int nr) =>
        PackRows<FiniteCheck>(panels, src, ld, rows, k, nr);

    private static bool PackRows<TCheck>(float* panels, float* src, nint ld, int rows, int k, int nr) where TCheck : struct
    {
        bool finite = true;
        for (int q = 0, r0 = 0; r0 < rows; q++, r0 += nr)
        {
            int valid = Math.Min(nr, rows - r0);
            float* d = panels + (nint)q * k * nr;
            if (Avx.IsSupported && (nr & 7) == 0)
            {
                finite &= GemmPacking.PackTransposed<StridedLines, TCheck>(d, new StridedLines(src + r0 * ld, ld), k, nr, valid);
                continue;
            }
            for (int u = 0; u < k; u++)
                for (int c = 0; c < nr; c++)
                {
                    float v = c < valid ? src[(r0 + c) * ld + u] : 0f;
                    if (typeof(TCheck) == typeof(FiniteCheck)) finite &= float.IsFinite(v);
                    d[u * nr + c] = v;
                }
        }
        return finite;
    }

    /// <summary>The inverse for the first <paramref name="units"/> units: <c>dst[r·ld + u] = p[q·stride + u·NR + c]</c>, r = q·NR + c &lt; rows.</summary>
    public static void UnpackRows(float* dst, nint ld, float* panels, nint stride, int rows, int units, int nr)
    {
        for (int r = 0; r < rows; r++)
        {
            float* p = panels + (r / nr) * stride + r % nr;
            float* d = dst + r * ld;
            for (int u = 0; u < units; u++) d[u] = p[u * nr];
        }
    }
}
