using System.Runtime.InteropServices;
using Occam.Numerics;
using Occam.Numerics.Activations;

namespace Occam.Nn;

/// <summary>
/// The fused (bias,) ReLU·dropout passes of a training step (<see cref="ReluDropout"/>) split by rows over the GEMM
/// helpers (<see cref="GemmThreadPool.RunItems"/>) when the layer is large and <see cref="Gemm.MaxThreads"/> &gt; 1. Item k
/// covers rows [k·r, (k + 1)·r) with r chosen for <see cref="ItemsPerThread"/> items per thread; the mask entries are addressed by their
/// flattened index (offset = first row · width), so every output is the same bits whatever the split.
/// </summary>
internal static unsafe class RowPasses
{
    /// <summary>Layers with fewer entries (rows × width) run on the calling thread: the hand-off would cost more (settable for the bench's A/B).</summary>
    internal static long MinimumEntries { get; set; } = 1 << 15;

    /// <summary>One pass: its buffers (whole workspace arrays) and parameters.</summary>
    internal sealed class Job
    {
        public bool Backward;
        public float[] In = [], Bias = [], Dh = [], Out = [];
        public int Rows, Width, RowsPerItem;
        public ulong Seed;
        public ushort Threshold;
        public float Keep;
    }

    /// <summary>
    /// The forward pass (h = max(z + b, 0)·mask; no bias when <paramref name="bias"/> is empty) over rows × width entries,
    /// split; false (nothing done) when it should run unsplit.
    /// </summary>
    public static bool Forward(Workspace ws, float[] z, float[] bias, float[] h, int rows, int width, ulong seed, ushort threshold, float keep) =>
        Split(ws, backward: false, z, bias, dh: [], h, rows, width, seed, threshold, keep);

    /// <summary>The backward pass (dz = h &gt; 0 ? dh·keep : 0) over rows × width entries, split; false when it should run unsplit.</summary>
    public static bool Backward(Workspace ws, float[] h, float[] dh, float[] dz, int rows, int width, float keep) =>
        Split(ws, backward: true, h, bias: [], dh, dz, rows, width, seed: 0, threshold: 0, keep);

    /// <summary>One pass's job filled in and run over the helpers; false (nothing done) when the layer is too small to split.</summary>
    private static bool Split(Workspace ws, bool backward, float[] input, float[] bias, float[] dh, float[] output, int rows, int width, ulong seed, ushort threshold, float keep)
    {
        int items = Items(rows, width);
        if (items <= 1) return false;
        var job = ws.PassJob;
        job.Backward = backward;
        job.In = input;
        job.Bias = bias;
        job.Dh = dh;
        job.Out = output;
        job.Seed = seed;
        job.Threshold = threshold;
        job.Keep = keep;
        Run(job, rows, width, items);
        return true;
    }

    /// <summary>
    /// Items per thread (2, settable for the bench's A/B; 4 until session 7): a batch of 256 rows on two threads is then cut
    /// into the four 64-row blocks that the products before and after (forward <c>X·Wᵀ</c>, input gradient <c>∂Y·W</c>)
    /// cut it into, and thread t takes blocks i ≡ t mod threads first in both (<see cref="GemmDriver.OwnedRowItems"/>),
    /// so each thread's pass reads the rows its own core just wrote.
    /// </summary>
    internal static int ItemsPerThread { get; set; } = 2;

    /// <summary>Items for a layer: 0 when it runs unsplit, else <see cref="ItemsPerThread"/> per thread.</summary>
    private static int Items(int rows, int width)
    {
        int threads = Gemm.MaxThreads;
        if (threads <= 1 || (long)rows * width < MinimumEntries) return 0;
        return Math.Min(rows, ItemsPerThread * threads);
    }

    private static void Run(Job job, int rows, int width, int items)
    {
        job.Rows = rows;
        job.Width = width;
        job.RowsPerItem = (rows + items - 1) / items;
        GemmThreadPool.RunObjectItems(&Item, job, (rows + job.RowsPerItem - 1) / job.RowsPerItem, Gemm.MaxThreads);
    }

    private static void Item(int item, object state)
    {
        var job = (Job)state;
        int r0 = item * job.RowsPerItem, r1 = Math.Min(job.Rows, r0 + job.RowsPerItem);
        int start = r0 * job.Width, n = (r1 - r0) * job.Width;
        if (job.Backward)
            ReluDropout.Backward(job.In.AsSpan(start, n), job.Dh.AsSpan(start, n), job.Out.AsSpan(start, n), job.Keep);
        else
            ReluDropout.Forward(job.In.AsSpan(start, n), job.Bias, job.Width, job.Out.AsSpan(start, n), job.Seed, start, job.Threshold, job.Keep);
    }
}
