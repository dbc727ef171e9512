using Occam.Data;

namespace Occam.Tests;

public class DatasetTests
{
    [Fact]
    public void SubsetCopiesRowsInOrder()
    {
        var d = new Dataset([1, 2, 3, 4, 5, 6], [10, 20, 30], 3, 2, ["a", "b"], "y", TaskKind.Regression);
        var s = d.Subset([2, 0]);
        Assert.Equal([5.0, 6, 1, 2], s.X);
        Assert.Equal([30.0, 10], s.Y);
    }
}
