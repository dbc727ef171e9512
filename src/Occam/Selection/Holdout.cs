using Occam.Numerics.Random;

namespace Occam.Selection;

/// <summary>Row indices of a training part and a held-out part (validation or test).</summary>
/// <param name="Train">Training rows.</param>
/// <param name="Validation">Held-out rows.</param>
public sealed record RowSplit(int[] Train, int[] Validation);

/// <summary>
/// Train/validation splits of <c>n</c> rows: the held-out part has v = round(fraction·n) rows, clamped to 1..n−1 when
/// the fraction is positive. Unshuffled, it is the last v rows (time order kept); shuffled, the last v entries of a
/// permutation drawn by <see cref="Rng.Shuffle{T}"/>; stratified, each class gives its own round(fraction·n_c) rows.
/// Used by MLP training (<c>ValidationSplit</c>) and the demo's test split.
/// </summary>
public static class Holdout
{
    /// <summary>Splits <paramref name="rows"/> rows; <paramref name="fraction"/> = 0 holds out nothing.</summary>
    public static RowSplit Split(int rows, double fraction, bool shuffle, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        CheckFraction(fraction);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        var order = Enumerable.Range(0, rows).ToArray();
        if (fraction == 0) return new RowSplit(order, []);
        if (rows < 2) throw OccamException.Usage($"a validation split needs at least 2 rows (the data has {rows}); leave out the validation split.");
        int val = Math.Clamp((int)Math.Round(fraction * rows), 1, rows - 1);
        if (shuffle) rng.Shuffle(order.AsSpan());
        return new RowSplit(order[..(rows - val)], order[(rows - val)..]);
    }

    /// <summary>
    /// A split that keeps class proportions: class c (rows whose <paramref name="classOf"/> is c) gives
    /// round(fraction·n_c) rows, clamped to n_c − 1 so every class stays in training, drawn from a seeded permutation
    /// of its rows. Both parts are in ascending row order.
    /// </summary>
    public static RowSplit Stratified(ReadOnlySpan<int> classOf, double fraction, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        CheckFraction(fraction);
        int n = classOf.Length;
        if (fraction == 0) return new RowSplit(Enumerable.Range(0, n).ToArray(), []);
        if (n < 2) throw new OccamException($"a validation split needs at least 2 rows (the data has {n}).");
        var held = new bool[n];
        foreach (var rowsOfClass in ByClass(classOf))
        {
            rng.Shuffle(rowsOfClass.AsSpan());
            int take = Math.Min((int)Math.Round(fraction * rowsOfClass.Length), rowsOfClass.Length - 1);
            for (int i = 0; i < take; i++) held[rowsOfClass[i]] = true;
        }
        var train = Enumerable.Range(0, n).Where(i => !held[i]).ToArray();
        var validation = Enumerable.Range(0, n).Where(i => held[i]).ToArray();
        if (validation.Length == 0)
            throw new OccamException($"a validation fraction of {fraction} holds out no row of any class ({n} rows); use a larger fraction.");
        return new RowSplit(train, validation);
    }

    /// <summary>The rows of each class, ascending, classes in ascending order.</summary>
    internal static List<int[]> ByClass(ReadOnlySpan<int> classOf)
    {
        var groups = new SortedDictionary<int, List<int>>();
        for (int i = 0; i < classOf.Length; i++)
        {
            if (classOf[i] < 0) throw new ArgumentOutOfRangeException(nameof(classOf), $"class index {classOf[i]} at row {i} is negative.");
            if (!groups.TryGetValue(classOf[i], out var list)) groups[classOf[i]] = list = [];
            list.Add(i);
        }
        return groups.Values.Select(l => l.ToArray()).ToList();
    }

    private static void CheckFraction(double fraction)
    {
        if (!(fraction >= 0 && fraction < 1))
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, $"the held-out fraction must be in [0, 1) (got {fraction}).");
    }
}
