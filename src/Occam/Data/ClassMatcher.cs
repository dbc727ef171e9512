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
        for (int k = 0; k < classes.Count; k++)
        {
            string label = classes[k].Trim();
            if (!_byText.TryAdd(label, k))
                throw new ArgumentException($"class '{label}' is listed twice; every class label must be distinct.", nameof(classes));
            if (NumberText.Parse(label, out double v) == NumberStatus.Ok)
                _byValue.TryAdd(v == 0 ? 0.0 : v, k);
        }
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
