using System.Runtime.CompilerServices;
namespace Occam.Numerics;

/// <summary>
/// The 4×4 scalar micro-kernel, for hardware without SIMD: 16 accumulators
/// <c>acc[i][j] += Ã[p][i] · B̃[p][j]</c>, then <c>C = fma(alpha, acc, beta·C)</c>
/// (or <c>alpha·acc</c> when <c>beta == 0</c>). Each product is fused into its accumulator, so
/// the result is bit-identical to the vector kernels' lanes.
/// </summary>
internal static unsafe class GemmTileScalar
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile4x4(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (int p = 0; p < kc; p++)
        {
            float b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
            float ai = a[0];
            c00 = MathF.FusedMultiplyAdd(ai, b0, c00); c01 = MathF.FusedMultiplyAdd(ai, b1, c01);
            c02 = MathF.FusedMultiplyAdd(ai, b2, c02); c03 = MathF.FusedMultiplyAdd(ai, b3, c03);
            ai = a[1];
            c10 = MathF.FusedMultiplyAdd(ai, b0, c10); c11 = MathF.FusedMultiplyAdd(ai, b1, c11);
            c12 = MathF.FusedMultiplyAdd(ai, b2, c12); c13 = MathF.FusedMultiplyAdd(ai, b3, c13);
            ai = a[2];
            c20 = MathF.FusedMultiplyAdd(ai, b0, c20); c21 = MathF.FusedMultiplyAdd(ai, b1, c21);
            c22 = MathF.FusedMultiplyAdd(ai, b2, c22); c23 = MathF.FusedMultiplyAdd(ai, b3, c23);
            ai = a[3];
            c30 = MathF.FusedMultiplyAdd(ai, b0, c30); c31 = MathF.FusedMultiplyAdd(ai, b1, c31);
            c32 = MathF.FusedMultiplyAdd(ai, b2, c32); c33 = MathF.FusedMultiplyAdd(ai, b3, c33);
            a += 4;
            b += 4;
        }
        Row(c, c00, c01, c02, c03, alpha, beta); c += ldc;
        Row(c, c10, c11, c12, c13, alpha, beta); c += ldc;
        Row(c, c20, c21, c22, c23, alpha, beta); c += ldc;
        Row(c, c30, c31, c32, c33, alpha, beta);
    }

    private static void Row(float* c, float x0, float x1, float x2, float x3, float alpha, float beta)
    {
        if (beta == 0)
        {
            c[0] = alpha * x0; c[1] = alpha * x1; c[2] = alpha * x2; c[3] = alpha * x3;
        }
        else
        {
            c[0] = MathF.FusedMultiplyAdd(alpha, x0, beta * c[0]);
            c[1] = MathF.FusedMultiplyAdd(alpha, x1, beta * c[1]);
            c[2] = MathF.FusedMultiplyAdd(alpha, x2, beta * c[2]);
            c[3] = MathF.FusedMultiplyAdd(alpha, x3, beta * c[3]);
        }
    }
}
