namespace Occam.Numerics;

/// <summary>
/// The direct path for small products: no packing, no threads, one fused multiply-add chain per
/// element of C over k in blocks of <see cref="GemmKernelInfo.BlockDepth"/>, with the same update
/// rule as the micro-kernels (<c>C = alpha·acc</c> when beta is 0, else <c>fma(alpha, acc, beta·C)</c>,
/// and beta = 1 after the first block). Results are therefore bit-identical to the packed path.
/// </summary>
internal static unsafe class GemmSmall
{
    public static void Multiply(int m, int n, int k, float alpha,
        float* a, nint rsA, nint csA, float* b, nint rsB, nint csB, float beta, float* c, nint ldc)
    {
        for (int pc = 0; pc < k; pc += GemmKernelInfo.BlockDepth)
        {
            int kc = Math.Min(GemmKernelInfo.BlockDepth, k - pc);
            float be = pc == 0 ? beta : 1f;
            float* ap = a + pc * csA;
            float* bp = b + pc * rsB;
            for (int i = 0; i < m; i++)
            {
                float* ai = ap + i * rsA;
                float* ci = c + i * ldc;
                for (int j = 0; j < n; j++)
                {
                    float* bj = bp + j * csB;
                    float acc = 0;
                    for (int p = 0; p < kc; p++) acc = MathF.FusedMultiplyAdd(ai[p * csA], bj[p * rsB], acc);
                    ci[j] = be == 0 ? alpha * acc : MathF.FusedMultiplyAdd(alpha, acc, be * ci[j]);
                }
            }
        }
    }
}
