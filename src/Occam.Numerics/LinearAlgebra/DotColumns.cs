using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Occam.Numerics.LinearAlgebra;

/// <summary>
/// The full gradient pass of the logistic solvers, X̃ᵀu/n over every column of a column-major n × p double matrix:
/// <c>result[j·stride + offset] = excluded[j] ? 0 : Dot.Compute(x[j·n .. j·n + n), u) / divisor</c> for j = 0 … p − 1.
/// Every value is exactly what that one <see cref="Dot.Compute"/> call gives, whichever thread computes it, so the
/// result has the same bits on any number of threads.
/// </summary>
/// <remarks>
/// The pass reads all of X̃ once (8·n·p bytes) and is bound by memory: from n·p ≥ <see cref="ParallelCells"/> (X̃ ≥ 8 MiB,
/// more than a core's L2) and threads ≥ 2, the columns are cut into up to <see cref="Items"/> fixed ranges run as work
/// items on the GEMM pool (<see cref="GemmThreadPool.RunItems"/>: each thread starts on the same ranges every call and
/// the caller takes over any item a delayed helper has not claimed), so two cores read X̃ at about twice one core's rate.
/// </remarks>
internal static unsafe class DotColumns
{
    /// <summary>Size of X̃ (n·p) from which the columns are split over threads.</summary>
    public const long ParallelCells = 1 << 20;

    /// <summary>Most work items (column ranges) one call is cut into.</summary>
    public const int Items = 8;

    /// <summary>
    /// Threads the logistic solvers' full passes use (default: the processor count, at most 8). Settable for benchmarks
    /// (A/B one thread against two) and tests; any value gives the same bits.
    /// </summary>
    public static int Threads
    {
        get => Volatile.Read(ref s_threads);
        set => Volatile.Write(ref s_threads, Math.Max(1, value));
    }

    private static int s_threads = Math.Min(Environment.ProcessorCount, 8);

    /// <summary>Every column on the calling thread (two at a time, see <see cref="Pair"/>).</summary>
    public static void Serial(ReadOnlySpan<double> x, int n, ReadOnlySpan<double> u, ReadOnlySpan<bool> excluded, double divisor,
        Span<double> result, int stride, int offset)
    {
        int p = excluded.Length;
        Check(x, n, u, p, result, stride, offset);
        fixed (double* px = x, pu = u, pr = result)
        fixed (bool* pe = excluded)
        {
            var job = new Job { X = px, N = n, P = p, U = pu, Excluded = pe, Divisor = divisor, Result = pr, Stride = stride, Offset = offset, Count = 1 };
            Run(0, (nint)(&job));
        }
    }

    /// <summary>
    /// <see cref="Serial"/>'s values, on up to <paramref name="threads"/> threads when X̃ is large (see the remarks).
    /// </summary>
    /// <param name="x">X̃, column-major: column j at <c>x[j·n .. j·n + n)</c>; p = <paramref name="excluded"/>.Length columns.</param>
    /// <param name="n">Rows.</param>
    /// <param name="u">The vector (length ≥ n; the first n entries are used).</param>
    /// <param name="excluded">Columns whose entry is set to 0 without reading them.</param>
    /// <param name="divisor">Each dot product is divided by this (n for a mean).</param>
    /// <param name="result">Written at <c>j·stride + offset</c> for every column j.</param>
    /// <param name="stride">Distance between consecutive columns' entries in <paramref name="result"/> (≥ 1).</param>
    /// <param name="offset">Position of column 0's entry.</param>
    /// <param name="threads">Most threads to use.</param>
    public static void Compute(ReadOnlySpan<double> x, int n, ReadOnlySpan<double> u, ReadOnlySpan<bool> excluded, double divisor,
        Span<double> result, int stride, int offset, int threads)
    {
        int p = excluded.Length;
        if (threads < 2 || p < 2 || (long)n * p < ParallelCells)
        {
            Serial(x, n, u, excluded, divisor, result, stride, offset);
            return;
        }
        Check(x, n, u, p, result, stride, offset);
        fixed (double* px = x, pu = u, pr = result)
        fixed (bool* pe = excluded)
        {
            var job = new Job { X = px, N = n, P = p, U = pu, Excluded = pe, Divisor = divisor, Result = pr, Stride = stride, Offset = offset,
                Count = Math.Min(Items, p) };
            GemmThreadPool.RunItems(&Run, (nint)(&job), job.Count, threads);
        }
    }

    private static void Check(ReadOnlySpan<double> x, int n, ReadOnlySpan<double> u, int p, Span<double> result, int stride, int offset)
    {
        Debug.Assert(n >= 0 && stride >= 1 && offset >= 0);
        Debug.Assert(x.Length >= (long)n * p && u.Length >= n);
        Debug.Assert(p == 0 || result.Length > (long)(p - 1) * stride + offset);
    }

    private struct Job
    {
        public double* X, U, Result;
        public bool* Excluded;
        public double Divisor;
        public int N, P, Stride, Offset, Count;
    }

    /// <summary>Item i: columns [i·p/Count, (i + 1)·p/Count).</summary>
    private static void Run(int item, nint state)
    {
        var job = (Job*)state;
        int n = job->N, from = (int)((long)item * job->P / job->Count), to = (int)((long)(item + 1) * job->P / job->Count);
        double* r = job->Result + job->Offset;
        long stride = job->Stride;
        bool* excluded = job->Excluded;
        double divisor = job->Divisor;
        int j = from;
        while (j < to)
        {
            if (excluded[j]) { r[j * stride] = 0; j++; continue; }
            int k = j + 1;
            while (k < to && excluded[k]) r[k++ * stride] = 0;
            if (k < to && n >= 8 && Vector256.IsHardwareAccelerated)
            {
                // Two columns share each load of u: the same operations per column as Dot.Compute, so the same bits.
                Pair(job->X + (long)j * n, job->X + (long)k * n, job->U, n, out double a, out double b);
                r[j * stride] = a / divisor;
                r[k * stride] = b / divisor;
            }
            else
            {
                var u = new ReadOnlySpan<double>(job->U, n);
                r[j * stride] = Dot.Compute(new ReadOnlySpan<double>(job->X + (long)j * n, n), u) / divisor;
                if (k < to) r[k * stride] = Dot.Compute(new ReadOnlySpan<double>(job->X + (long)k * n, n), u) / divisor;
            }
            j = k + 1;
        }
    }

    /// <summary>
    /// <c>ra = Dot.Compute(a, u)</c> and <c>rb = Dot.Compute(b, u)</c>, the same bits, in one pass over u
    /// (<see cref="Pair"/>) when there are at least 8 entries; a, b and u have the same length.
    /// </summary>
    public static void Two(ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<double> u, out double ra, out double rb)
    {
        Debug.Assert(a.Length == u.Length && b.Length == u.Length);
        if (u.Length < 8 || !Vector256.IsHardwareAccelerated)
        {
            ra = Dot.Compute(a, u);
            rb = Dot.Compute(b, u);
            return;
        }
        fixed (double* pa = a, pb = b, pu = u) Pair(pa, pb, pu, u.Length, out ra, out rb);
    }

    /// <summary>
    /// <see cref="Dot.Compute"/> of two columns with one vector, in one pass (n ≥ 8, Vector256): per column the same four
    /// accumulators over steps of 16, the same step of 4 into the first, the same reduction and scalar tail, so each
    /// result has exactly that function's bits; reading u once for both halves its loads and keeps two streams of X in
    /// flight.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Pair(double* a, double* b, double* u, int n, out double ra, out double rb)
    {
        Debug.Assert(n >= 8 && Vector256.IsHardwareAccelerated);
        Vector256<double> a0 = default, a1 = default, a2 = default, a3 = default;
        Vector256<double> b0 = default, b1 = default, b2 = default, b3 = default;
        int i = 0;
        for (; i + 16 <= n; i += 16)
        {
            var u0 = Vector256.Load(u + i);
            a0 = Vector256.FusedMultiplyAdd(Vector256.Load(a + i), u0, a0);
            b0 = Vector256.FusedMultiplyAdd(Vector256.Load(b + i), u0, b0);
            var u1 = Vector256.Load(u + i + 4);
            a1 = Vector256.FusedMultiplyAdd(Vector256.Load(a + i + 4), u1, a1);
            b1 = Vector256.FusedMultiplyAdd(Vector256.Load(b + i + 4), u1, b1);
            var u2 = Vector256.Load(u + i + 8);
            a2 = Vector256.FusedMultiplyAdd(Vector256.Load(a + i + 8), u2, a2);
            b2 = Vector256.FusedMultiplyAdd(Vector256.Load(b + i + 8), u2, b2);
            var u3 = Vector256.Load(u + i + 12);
            a3 = Vector256.FusedMultiplyAdd(Vector256.Load(a + i + 12), u3, a3);
            b3 = Vector256.FusedMultiplyAdd(Vector256.Load(b + i + 12), u3, b3);
        }
        for (; i + 4 <= n; i += 4)
        {
            var ui = Vector256.Load(u + i);
            a0 = Vector256.FusedMultiplyAdd(Vector256.Load(a + i), ui, a0);
            b0 = Vector256.FusedMultiplyAdd(Vector256.Load(b + i), ui, b0);
        }
        double sa = Vector256.Sum((a0 + a1) + (a2 + a3)), sb = Vector256.Sum((b0 + b1) + (b2 + b3));
        for (; i < n; i++)
        {
            sa += a[i] * u[i];
            sb += b[i] * u[i];
        }
        ra = sa;
        rb = sb;
    }
}
