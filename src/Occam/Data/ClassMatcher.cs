namespace Occam.Data;

/// <summary>
/// Finds the index of a label among a model's classes: by exact text first, then, when both the
/// label and a class are numbers, by numeric value ("1.0" and "1" are the same class).
/// </summary>
internal sealed class ClassMatcher
{
    private readonly Dictionary<string, int> _byText = new(StringComparer.Ordinal);
    private readonly Dictionary<double, int> _byValue = new();

    public ClassMatcher(IReadOnlyList<string> classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        if (FirstDuplicate(classes) is (int first, int second))
            throw new ArgumentException($"classes {first} and {second} ('{classes[first]}', '{classes[second]}') are the same label; every class label must be distinct.", nameof(classes));
        for (int k = 0; k < classes.Count; k++)
        {
            string label = classes[k].Trim();
            _byText.Add(label, k);
            if (NumberText.Parse(label, out double v) == NumberStatus.Ok)
                _byValue.Add(v == 0 ? 0.0 : v, k);
        }
    }

    /// <summary>
    /// The first pair of labels that this matcher cannot tell apart: equal after trimming, or both numbers of equal
    /// value ("1" and "1.0"); null when all are distinct.
    /// </summary>
    public static (int First, int Second)? FirstDuplicate(IReadOnlyList<string> classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        var byText = new Dictionary<string, int>(StringComparer.Ordinal);
        var byValue = new Dictionary<double, int>();
        for (int k = 0; k < classes.Count; k++)
        {
            string label = classes[k].Trim();
            if (!byText.TryAdd(label, k))
                return (byText[label], k);
            if (NumberText.Parse(label, out double v) == NumberStatus.Ok && !byValue.TryAdd(v == 0 ? 0.0 : v, k))
                return (byValue[v == 0 ? 0.0 : v], k);
        }
        return null;
    }

    /// <summary>Index of <paramref name="label"/> (trimmed), or −1 when it is not a class.</summary>
    public int IndexOf(ReadOnlySpan<char> label)
    {
        label = label.Trim();
        var lookup = _byText.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(label, out int k))
            return k;
        if (NumberText.Parse(label, out double v) == NumberStatus.Ok && _byValue.TryGetValue(v == 0 ? 0.0 : v, out k))
            return k;
        return -1;
    }
}
