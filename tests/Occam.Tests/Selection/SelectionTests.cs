using Occam.Numerics.Random;
using Occam.Selection;

namespace Occam.Tests.Selection;

public class SelectionTests
{
    private static void AssertPartition(int rows, IReadOnlyList<Fold> folds)
    {
        Assert.Equal(Enumerable.Range(0, rows), folds.SelectMany(f => f.Test).Order());
        foreach (var f in folds)
        {
            Assert.Equal(Enumerable.Range(0, rows).Except(f.Test).Order(), f.Train);
            Assert.Equal(rows, f.Train.Length + f.Test.Length);
        }
        Assert.Equal(Enumerable.Range(0, folds.Count), folds.Select(f => f.Index));
    }

    [Fact]
    public void ContiguousFoldsMatchScikitLearnKFold()
    {
        var folds = KFold.Split(442, 5);
        Assert.Equal([89, 89, 88, 88, 88], folds.Select(f => f.Test.Length));
        Assert.Equal(Enumerable.Range(0, 442), folds.SelectMany(f => f.Test));
        Assert.Equal(Enumerable.Range(0, 89), folds[0].Test);
        AssertPartition(442, folds);
    }

    [Theory]
    [InlineData(103, 4)]
    [InlineData(10, 10)]
    [InlineData(7, 2)]
    public void ShuffledFoldsAreASeededPartition(int rows, int k)
    {
        var a = KFold.Split(rows, k, FoldOrder.Shuffled, seed: 7);
        var b = KFold.Split(rows, k, FoldOrder.Shuffled, seed: 7);
        var c = KFold.Split(rows, k, FoldOrder.Shuffled, seed: 8);
        AssertPartition(rows, a);
        Assert.Equal(a.SelectMany(f => f.Test), b.SelectMany(f => f.Test));
        Assert.NotEqual(a.SelectMany(f => f.Test), c.SelectMany(f => f.Test));
        Assert.All(a, f => Assert.InRange(f.Test.Length, rows / k, rows / k + 1));
    }

    [Fact]
    public void StratifiedFoldsKeepClassProportions()
    {
        // 3 classes of 50, 30 and 7 rows, interleaved irregularly.
        var rng = new Rng(3);
        var classes = Enumerable.Repeat(0, 50).Concat(Enumerable.Repeat(1, 30)).Concat(Enumerable.Repeat(2, 7)).ToArray();
        rng.Shuffle(classes.AsSpan());
        foreach (bool shuffle in new[] { false, true })
        {
            var folds = KFold.Stratified(classes, 5, shuffle, seed: 11);
            AssertPartition(classes.Length, folds);
            foreach (var f in folds)
            {
                Assert.InRange(f.Test.Count(i => classes[i] == 0), 10, 10);
                Assert.InRange(f.Test.Count(i => classes[i] == 1), 6, 6);
                Assert.InRange(f.Test.Count(i => classes[i] == 2), 1, 2);
                Assert.InRange(f.Test.Length, 87 / 5, 87 / 5 + 1);
            }
            var again = KFold.Stratified(classes, 5, shuffle, seed: 11);
            Assert.Equal(folds.SelectMany(f => f.Test), again.SelectMany(f => f.Test));
        }
        // Contiguous (unstratified) folds of the sorted labels would put whole classes in single folds.
        var sorted = classes.Order().ToArray();
        Assert.Contains(KFold.Split(sorted.Length, 5), f => f.Test.All(i => sorted[i] == 0));
        Assert.All(KFold.Stratified(sorted, 5), f => Assert.Equal(3, f.Test.Select(i => sorted[i]).Distinct().Count()));
    }

    [Fact]
    public void FoldArgumentsAreCheckedWithAFix()
    {
        Assert.Contains("at least 2 folds", Assert.Throws<OccamException>(() => KFold.Split(10, 1)).Message);
        var e = Assert.Throws<OccamException>(() => KFold.Split(3, 5));
        Assert.Contains("use at most 3 folds", e.Message);
        Assert.Contains("at least 2 rows", Assert.Throws<OccamException>(() => KFold.Split(1, 2)).Message);
    }

    [Fact]
    public void HoldoutKeepsTheLastRowsOrASeededPermutation()
    {
        var (train, val) = Holdout.Split(10, 0.3, shuffle: false, new Rng(1));
        Assert.Equal([0, 1, 2, 3, 4, 5, 6], train);
        Assert.Equal([7, 8, 9], val);
        var a = Holdout.Split(100, 0.2, shuffle: true, new Rng(5));
        var b = Holdout.Split(100, 0.2, shuffle: true, new Rng(5));
        Assert.Equal(a.Validation, b.Validation);
        Assert.Equal(20, a.Validation.Length);
        Assert.Equal(Enumerable.Range(0, 100), a.Train.Concat(a.Validation).Order());
        Assert.NotEqual(Enumerable.Range(80, 20), a.Validation);
        Assert.Empty(Holdout.Split(5, 0, shuffle: true, new Rng(1)).Validation);
        Assert.Single(Holdout.Split(5, 0.01, shuffle: false, new Rng(1)).Validation);
        Assert.Throws<OccamException>(() => Holdout.Split(1, 0.5, shuffle: false, new Rng(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Holdout.Split(10, 1.0, shuffle: false, new Rng(1)));
    }

    [Fact]
    public void StratifiedHoldoutKeepsClassProportions()
    {
        var classes = Enumerable.Range(0, 90).Select(i => i < 60 ? 0 : 1).ToArray();
        var s = Holdout.Stratified(classes, 0.2, new Rng(2));
        Assert.Equal(12, s.Validation.Count(i => classes[i] == 0));
        Assert.Equal(6, s.Validation.Count(i => classes[i] == 1));
        Assert.Equal(Enumerable.Range(0, 90), s.Train.Concat(s.Validation).Order());
        Assert.Equal(s.Validation, Holdout.Stratified(classes, 0.2, new Rng(2)).Validation);
    }
}
