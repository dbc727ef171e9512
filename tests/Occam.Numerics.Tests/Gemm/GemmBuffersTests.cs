namespace Occam.Numerics.Tests.Gemm;

/// <summary>
/// A thread's packing buffer for Ã (<see cref="GemmBuffers.PackedA"/>) is sized once, for the deepest block any product
/// packs, so a thread never allocates in a later product of a different depth — whichever items of whichever products it
/// happens to take. (Sized by need, the caller of a 2-thread training step grew it in the middle of a step when, under
/// load, it took an item it had never packed for: StepThreadsTests' zero-allocation check failed 2 runs in 8.)
/// </summary>
public class GemmBuffersTests
{
    [Fact]
    public void ADeeperProductOnTheSameThreadAllocatesNothing()
    {
        // Depth 8 over 2048 columns, then depth 256 over 64: the same B̃ (8 × 2048 = 256 × 64 floats, which the caller of a
        // product sizes by need), an Ã 32 times deeper.
        const int m = 64;
        var a = new float[m * 256];
        var b = new float[256 * 2048];
        var c = new float[m * 2048];
        for (int i = 0; i < a.Length; i++) a[i] = (i % 7) - 3;
        for (int i = 0; i < b.Length; i++) b[i] = (i % 5) - 2;
        var packed = new GemmOptions(GemmKernel.Auto, 1, GemmPath.Packed);
        void Product(int k, int n) => Numerics.Gemm.Multiply(packed, false, false, m, n, k, 1f, a, k, b, n, 0f, c, n);
        // Compiled on this thread first (tiered compilation may allocate when it promotes a method).
        for (int i = 0; i < 3; i++)
        {
            Product(8, 2048);
            Product(256, 64);
        }
        long allocated = -1;
        var thread = new Thread(() =>
        {
            Product(8, 2048);   // this thread's first product: its buffers are allocated here
            long before = GC.GetAllocatedBytesForCurrentThread();
            Product(256, 64);
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        });
        thread.Start();
        thread.Join();
        Assert.Equal(0, allocated);
    }
}
