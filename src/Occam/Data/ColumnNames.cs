namespace Occam.Data;

/// <summary>The rule for column names (CSV headers, a model's features and inputs): each name once, compared exactly.</summary>
internal static class ColumnNames
{
    /// <summary>Indices of the first name that repeats an earlier one (ordinal comparison), or null when all differ.</summary>
    public static (int First, int Second)? FirstDuplicate(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < names.Count; i++)
        {
            if (!seen.TryAdd(names[i], i))
                return (seen[names[i]], i);
        }
        return null;
    }
}
