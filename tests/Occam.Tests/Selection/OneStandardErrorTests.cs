using Occam.Selection;

namespace Occam.Tests.Selection;

public class OneStandardErrorTests
{
    [Fact]
    public void OnADescendingGridTheOneSeChoiceIsTheLargestLambdaWithinOneSeOfTheBest()
    {
        // λ descending: index 0 is the most regularized. Best = index 4 (1.9 ± 0.25); within 2.15: indices 2 (2.1), 3 (2.2 no), 4.
        double[] mean = [5.0, 3.0, 2.1, 2.2, 1.9, 2.0];
        double[] se = [0.1, 0.1, 0.1, 0.1, 0.25, 0.1];
        var (best, oneSe) = OneStandardError.Choose(mean, se);
        Assert.Equal(4, best);
        Assert.Equal(2, oneSe);   // the first (largest λ) within one SE — never a smaller λ than the best
    }

    [Fact]
    public void TiesGoToTheMostRegularizedAndAZeroSeChoosesTheBest()
    {
        Assert.Equal((1, 1), OneStandardError.Choose([3.0, 1.0, 1.0, 2.0], [0.0, 0.0, 0.0, 0.0]));
        Assert.Equal((0, 0), OneStandardError.Choose([1.0], [0.5]));
        Assert.Throws<ArgumentException>(() => OneStandardError.Choose([], []));
        Assert.Throws<ArgumentException>(() => OneStandardError.Choose([1.0, 2.0], [0.1]));
    }
}
