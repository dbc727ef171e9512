using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Occam.Numerics;

/// <summary>
/// The 6×8 Vector128 micro-kernel (SSE / NEON): 6 rows × 2 vectors = 12 xmm accumulators, 2 B
/// vectors and one A broadcast, the same register shape as <see cref="GemmTileV256"/> at half width.
/// <c>acc[i][v] += Ã[p][i] · B̃[p][v]</c> with fused multiply-adds, then <c>C = fma(alpha, acc, beta·C)</c>.
/// </summary>
internal static unsafe class GemmTileV128
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile6x8(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        if (Sse.IsSupported)
        {
            // The C tile is needed only after the k loop: start fetching it now.
            float* cp = c;
            for (int i = 0; i < 6; i++, cp += ldc)
            {
                Sse.Prefetch0(cp);
                Sse.Prefetch0(cp + 7);
            }
        }
        Vector128<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector128<float> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector128<float> c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector128<float> b0 = Vector128.LoadAligned(b);
            Vector128<float> b1 = Vector128.LoadAligned(b + 4);
            Vector128<float> ai = Vector128.Create(a[0]);
            c00 = Vector128.FusedMultiplyAdd(ai, b0, c00);
            c01 = Vector128.FusedMultiplyAdd(ai, b1, c01);
            ai = Vector128.Create(a[1]);
            c10 = Vector128.FusedMultiplyAdd(ai, b0, c10);
            c11 = Vector128.FusedMultiplyAdd(ai, b1, c11);
            ai = Vector128.Create(a[2]);
            c20 = Vector128.FusedMultiplyAdd(ai, b0, c20);
            c21 = Vector128.FusedMultiplyAdd(ai, b1, c21);
            ai = Vector128.Create(a[3]);
            c30 = Vector128.FusedMultiplyAdd(ai, b0, c30);
            c31 = Vector128.FusedMultiplyAdd(ai, b1, c31);
            ai = Vector128.Create(a[4]);
            c40 = Vector128.FusedMultiplyAdd(ai, b0, c40);
            c41 = Vector128.FusedMultiplyAdd(ai, b1, c41);
            ai = Vector128.Create(a[5]);
            c50 = Vector128.FusedMultiplyAdd(ai, b0, c50);
            c51 = Vector128.FusedMultiplyAdd(ai, b1, c51);
            a += 6;
            b += 8;
        }
        Vector128<float> va = Vector128.Create(alpha);
        if (beta == 0)
        {
            (va * c00).Store(c); (va * c01).Store(c + 4); c += ldc;
            (va * c10).Store(c); (va * c11).Store(c + 4); c += ldc;
            (va * c20).Store(c); (va * c21).Store(c + 4); c += ldc;
            (va * c30).Store(c); (va * c31).Store(c + 4); c += ldc;
            (va * c40).Store(c); (va * c41).Store(c + 4); c += ldc;
            (va * c50).Store(c); (va * c51).Store(c + 4);
        }
        else
        {
            Vector128<float> vb = Vector128.Create(beta);
            Update(c, c00, c01, va, vb); c += ldc;
            Update(c, c10, c11, va, vb); c += ldc;
            Update(c, c20, c21, va, vb); c += ldc;
            Update(c, c30, c31, va, vb); c += ldc;
            Update(c, c40, c41, va, vb); c += ldc;
            Update(c, c50, c51, va, vb);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update(float* c, Vector128<float> x0, Vector128<float> x1, Vector128<float> va, Vector128<float> vb)
    {
        Vector128.FusedMultiplyAdd(va, x0, vb * Vector128.Load(c)).Store(c);
        Vector128.FusedMultiplyAdd(va, x1, vb * Vector128.Load(c + 4)).Store(c + 4);
    }
}
