namespace Occam.Numerics.Tests.Gemm;

/// <summary>
/// <see cref="GemmDriver.GuidedRows"/>: the guided row items of a threaded product cover the rows exactly once, in order,
/// on MR boundaries, shrink towards the end (never below <see cref="GemmDriver.MinGuidedPanels"/> panels but for the
/// last item, never above the block height), and <see cref="GemmDriver.GuidedRowItems"/> counts them. (That the results
/// are the same bits whatever the split is <c>GemmTests</c>' thread-count tests.)
/// </summary>
public class GemmGuidedTests
{
    [Theory]
    [InlineData(256, 8, 16, 4)]    // a batch of 256 on the 8×32 kernel, 2 threads: 8, 6, 5, 4, 3, 2, 2, 2 panels
    [InlineData(512, 8, 16, 4)]
    [InlineData(300, 6, 24, 4)]    // the 6×16 kernel, a partial last panel
    [InlineData(7, 8, 16, 4)]      // less than one panel
    [InlineData(1000, 8, 16, 8)]   // 4 threads
    [InlineData(96, 8, 16, 1)]     // divisor 1: blocks of at most maxPanels
    public void ItemsCoverTheRowsOnceAndShrink(int m, int mr, int maxPanels, int divisor)
    {
        int count = GemmDriver.GuidedRowItems(m, mr, maxPanels, divisor);
        Assert.True(count >= 1);
        int expectedStart = 0, previous = int.MaxValue;
        for (int i = 0; i < count; i++)
        {
            var (start, end) = GemmDriver.GuidedRows(m, mr, maxPanels, divisor, i);
            Assert.Equal(expectedStart, start);
            Assert.True(end > start, $"item {i} is empty");
            Assert.True(end == m || (end - start) % mr == 0, $"item {i} does not end on a panel boundary");
            int panels = (end - start + mr - 1) / mr;
            Assert.True(panels <= maxPanels, $"item {i}: {panels} panels");
            Assert.True(panels <= previous, $"item {i} ({panels} panels) is larger than the one before ({previous})");
            if (end < m) Assert.True(panels >= GemmDriver.MinGuidedPanels, $"item {i}: {panels} panels");
            previous = panels;
            expectedStart = end;
        }
        Assert.Equal(m, expectedStart);
    }

    [Fact]
    public void ABatchOf256OnTwoThreadsEndsWithShortItems()
    {
        int[] panels = [.. Enumerable.Range(0, GemmDriver.GuidedRowItems(256, 8, 16, 4))
            .Select(i => GemmDriver.GuidedRows(256, 8, 16, 4, i)).Select(r => (r.End - r.Start) / 8)];
        Assert.Equal([8, 6, 5, 4, 3, 2, 2, 2], panels);
    }
}
