using System.Runtime.CompilerServices;
using System.Diagnostics;

namespace Occam.Numerics;

/// <summary>
/// One packed GEMM product, described by raw pointers (the caller pins the spans for the call).
/// op(A)(i, p) = A[i·RsA + p·CsA], op(B)(p, j) = B[p·RsB + j·CsB], C[i, j] = C[i·Ldc + j].
/// </summary>
internal unsafe struct GemmJob
{
    public GemmKernelInfo Kernel;
    public int M, N, K;
    public float* A; public nint RsA, CsA;
    public float* B; public nint RsB, CsB;
    public float* C; public nint Ldc;
    public float Alpha, Beta;
    /// <summary>The packed B block shared by all threads (the calling thread's buffer).</summary>
    public float* PackedB;
    public int Threads;
    /// <summary>Threads split the rows of C (sharing B̃); otherwise they split its NR-column panels.</summary>
    public bool SplitRows;
}

/// <summary>
/// The BLIS loop nest (Goto and van de Geijn 2008; Van Zee and van de Geijn 2015):
/// <code>
/// for jc in 0..n step NC            // B̃ block (kc×nc) lives in L3
///   for pc in 0..k step KC          // pack B̃ = op(B)[pc.., jc..]; beta applies at pc = 0 only
///     for ic in 0..m step MC        // pack Ã = op(A)[ic.., pc..] (mc×kc), lives in L2
///       for jr in 0..nc step NR     // B̃ micro-panel (kc×NR) lives in L1
///         for ir in 0..mc step MR   // micro-kernel: C[ic+ir, jc+jr] (MR×NR) += Ã panel · B̃ panel
/// </code>
/// With several threads, either the rows of C are split (B̃ packed cooperatively, then a barrier;
/// each thread packs its own Ã) or the NR panels are split (each thread packs and uses only its own
/// panels of B̃, and packs all of Ã). Split points fall on MR rows or NR columns, so the tile grid,
/// and with it every result bit, is the same for every thread count.
/// </summary>
internal static unsafe class GemmDriver
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Execute(ref GemmJob job, int tid, GemmBarrier? barrier)
    {
        GemmKernelInfo kern = job.Kernel;
        int mr = kern.MR, nr = kern.NR, threads = job.Threads;
        int m = job.M, n = job.N, k = job.K;
        float* tileBuffer = stackalloc float[8 * 32 + 16];
        float* tile = (float*)(((nint)tileBuffer + 63) & ~(nint)63);
        int kStep = GemmKernelInfo.DepthStep(k);
        float* aPack = GemmBuffers.PackedA(kern.MC * kStep);
        nint panelStride = (nint)nr * kStep;

        int m0 = 0, m1 = m;
        if (job.SplitRows)
        {
            (int r0, int r1) = Partition((m + mr - 1) / mr, threads, tid);
            m0 = r0 * mr;
            m1 = Math.Min(m, r1 * mr);
        }

        int mStep = GemmKernelInfo.BlockStep(m1 - m0, kern.MC, mr);
        int nStep = GemmKernelInfo.BlockStep(n, kern.NC, nr);
        for (int jc = 0; jc < n; jc += nStep)
        {
            int nc = Math.Min(nStep, n - jc);
            int panels = (nc + nr - 1) / nr;
            (int q0, int q1) = Partition(panels, threads, tid);
            for (int pc = 0; pc < k; pc += kStep)
            {
                int kc = Math.Min(kStep, k - pc);
                float beta = pc == 0 ? job.Beta : 1f;
                GemmPacking.PackB(job.PackedB, job.B + pc * job.RsB + jc * job.CsB, job.RsB, job.CsB, kc, nc, nr, q0, q1, panelStride);
                if (job.SplitRows) barrier?.SignalAndWait();
                int p0 = job.SplitRows ? 0 : q0, p1 = job.SplitRows ? panels : q1;
                for (int ic = m0; ic < m1; ic += mStep)
                {
                    int mc = Math.Min(mStep, m1 - ic);
                    GemmPacking.PackA(aPack, job.A + ic * job.RsA + pc * job.CsA, job.RsA, job.CsA, mc, kc, mr);
                    MacroKernel(kern, mc, kc, nc, p0, p1, aPack, job.PackedB, panelStride, job.C + ic * job.Ldc + jc, job.Ldc, job.Alpha, beta, tile);
                }
                if (job.SplitRows) barrier?.SignalAndWait();
            }
        }
    }

    /// <summary>Runs the micro-kernel over micro-panels q0..q1 of B̃ against every MR panel of Ã.</summary>
    private static void MacroKernel(in GemmKernelInfo kern, int mc, int kc, int nc, int q0, int q1,
        float* aPack, float* bPack, nint panelStride, float* c, nint ldc, float alpha, float beta, float* tile)
    {
        int mr = kern.MR, nr = kern.NR;
        var kernel = kern.Tile;
        for (int q = q0; q < q1; q++)
        {
            int cols = Math.Min(nr, nc - q * nr);
            float* bp = bPack + q * panelStride;
            float* cq = c + q * nr;
            for (int ir = 0; ir < mc; ir += mr)
            {
                int rows = Math.Min(mr, mc - ir);
                float* ap = aPack + (nint)ir * kc;
                float* cc = cq + ir * ldc;
                if (rows == mr && cols == nr)
                {
                    kernel(kc, ap, bp, cc, ldc, alpha, beta);
                }
                else
                {
                    kernel(kc, ap, bp, tile, nr, 1f, 0f);
                    StoreEdge(tile, nr, cc, ldc, rows, cols, alpha, beta);
                }
            }
        }
    }

    /// <summary>Writes the valid rows×cols corner of a full tile with the kernels' own update rule.</summary>
    private static void StoreEdge(float* tile, int nr, float* c, nint ldc, int rows, int cols, float alpha, float beta)
    {
        for (int i = 0; i < rows; i++)
        {
            float* t = tile + i * nr;
            float* ci = c + i * ldc;
            if (beta == 0)
                for (int j = 0; j < cols; j++) ci[j] = alpha * t[j];
            else
                for (int j = 0; j < cols; j++) ci[j] = MathF.FusedMultiplyAdd(alpha, t[j], beta * ci[j]);
        }
    }

    /// <summary>Contiguous share <c>[start, end)</c> of <paramref name="count"/> items for thread <paramref name="tid"/>.</summary>
    public static (int Start, int End) Partition(int count, int threads, int tid)
    {
        Debug.Assert(threads >= 1 && tid >= 0 && tid < threads);
        int q = count / threads, r = count % threads;
        int start = tid * q + Math.Min(tid, r);
        return (start, start + q + (tid < r ? 1 : 0));
    }
}
