using Occam.Numerics.Random;

namespace Occam.Selection;

/// <summary>How rows are dealt into folds.</summary>
public enum FoldOrder
{
    /// <summary>Consecutive blocks in row order, as scikit-learn's <c>KFold(K)</c> (used by its <c>LassoCV</c>).</summary>
    Contiguous,
    /// <summary>Consecutive blocks of a seeded permutation (<see cref="Rng.Shuffle{T}"/>).</summary>
    Shuffled,
}

/// <summary>One fold: the rows it holds out and the rows it trains on (ascending row order).</summary>
/// <param name="Index">Fold number, 0-based.</param>
/// <param name="Train">The other folds' rows, ascending.</param>
/// <param name="Test">The held-out rows.</param>
public sealed record Fold(int Index, int[] Train, int[] Test);

/// <summary>
/// K-fold partitions of the rows, shared by linear cross-validation and (later) sweeps. Every row is held out by
/// exactly one fold. Plain folds have sizes ⌊n/K⌋ + 1 for the first n mod K folds and ⌊n/K⌋ for the rest.
/// Stratified folds keep class proportions: the rows of each class (ascending or seeded-shuffled) are dealt
/// round-robin over the folds, continuing from class to class, so fold f holds ⌊n_c/K⌋ or ⌈n_c/K⌉ rows of class c and
/// fold sizes differ by at most one.
/// </summary>
public static class KFold
{
    /// <summary>Folds of <paramref name="rows"/> rows: contiguous, or shuffled with <paramref name="seed"/>.</summary>
    public static IReadOnlyList<Fold> Split(int rows, int folds, FoldOrder order = FoldOrder.Contiguous, ulong seed = 0)
    {
        Check(rows, folds);
        var permutation = Enumerable.Range(0, rows).ToArray();
        if (order == FoldOrder.Shuffled) new Rng(seed).Shuffle(permutation.AsSpan());
        var tests = new int[folds][];
        int start = 0;
        for (int f = 0; f < folds; f++)
        {
            int size = rows / folds + (f < rows % folds ? 1 : 0);
            tests[f] = permutation[start..(start + size)];
            start += size;
        }
        return Complete(rows, tests);
    }

    /// <summary>
    /// Stratified folds for class indices <paramref name="classOf"/> (one per row). <paramref name="shuffle"/> permutes
    /// each class's rows with <paramref name="seed"/> before dealing; otherwise rows are dealt in row order.
    /// </summary>
    public static IReadOnlyList<Fold> Stratified(ReadOnlySpan<int> classOf, int folds, bool shuffle = false, ulong seed = 0)
    {
        int rows = classOf.Length;
        Check(rows, folds);
        var rng = new Rng(seed);
        var members = Enumerable.Range(0, folds).Select(_ => new List<int>()).ToArray();
        int next = 0;
        foreach (var rowsOfClass in Holdout.ByClass(classOf))
        {
            if (shuffle) rng.Shuffle(rowsOfClass.AsSpan());
            foreach (int r in rowsOfClass)
            {
                members[next].Add(r);
                next = (next + 1) % folds;
            }
        }
        return Complete(rows, members.Select(m => m.Order().ToArray()).ToArray());
    }

    /// <summary>Class index of each row of a classification <see cref="Data.Dataset"/>, for <see cref="Stratified"/>.</summary>
    public static int[] ClassIndices(Data.Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Task == Data.TaskKind.Regression)
            throw new ArgumentException("stratified folds need a classification dataset (the target is a regression target).", nameof(data));
        return data.Y.Select(v => (int)v).ToArray();
    }

    private static void Check(int rows, int folds)
    {
        if (folds < 2) throw new OccamException($"cross-validation needs at least 2 folds (got {folds}).");
        if (rows < 2) throw new OccamException($"cross-validation needs at least 2 rows (the data has {rows}).");
        if (rows < folds) throw new OccamException($"cannot split {Counted.Of(rows, "row")} into {Counted.Of(folds, "fold")} (every fold needs a row); use at most {Counted.Of(rows, "fold")}.");
    }

    private static Fold[] Complete(int rows, int[][] tests)
    {
        var result = new Fold[tests.Length];
        var inTest = new bool[rows];
        for (int f = 0; f < tests.Length; f++)
        {
            foreach (int i in tests[f]) inTest[i] = true;
            var train = new int[rows - tests[f].Length];
            int k = 0;
            for (int i = 0; i < rows; i++)
                if (!inTest[i]) train[k++] = i;
            foreach (int i in tests[f]) inTest[i] = false;
            result[f] = new Fold(f, train, tests[f]);
        }
        return result;
    }
}
