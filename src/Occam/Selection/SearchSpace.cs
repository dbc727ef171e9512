using System.Globalization;
using System.Text;
using System.Text.Json;
using Occam.Numerics.Random;
using Occam.Serialization;

namespace Occam.Selection;

/// <summary>One searched hyper-parameter and the values it may take.</summary>
public abstract record Dimension(HyperParameter Parameter)
{
    /// <summary>The values a grid visits, in order (a range needs its count).</summary>
    public abstract IReadOnlyList<ParamValue> Grid();

    /// <summary>One random value (a range: log-uniform or uniform between its bounds; a list: uniform over its entries).</summary>
    public abstract ParamValue Sample(Rng rng);

    /// <summary>Whether values are spread on a log scale (for plots and tables).</summary>
    public virtual bool IsLog => false;
}

/// <summary>How a range is spread.</summary>
public enum RangeScale
{
    /// <summary>Geometric: grid v_i = min·(max/min)^(i/(n−1)); random: exp(U(ln min, ln max)).</summary>
    Log,
    /// <summary>Arithmetic: grid v_i = min + (max − min)·i/(n−1); random: U(min, max).</summary>
    Linear,
}

/// <summary>
/// A range <c>log(min,max,n)</c> or <c>lin(min,max,n)</c>. Grid values are rounded to 12 significant digits. Whole-number parameters (epochs, batch-size, hidden as one
/// layer) are rounded to the nearest integer and repeated grid values dropped. <see cref="Count"/> may be omitted for
/// random search and successive halving (they draw from the continuous range); a grid needs it.
/// </summary>
public sealed record RangeDimension(HyperParameter Parameter, RangeScale Scale, double Min, double Max, int? Count) : Dimension(Parameter)
{
    public override bool IsLog => Scale == RangeScale.Log;

    public override IReadOnlyList<ParamValue> Grid()
    {
        if (Count is not int n)
            throw OccamException.Usage($"{Parameter.Name()}={Text()} has no count; a grid needs one, e.g. {(Scale == RangeScale.Log ? "log" : "lin")}({Format(Min)},{Format(Max)},5).");
        var values = new List<ParamValue>(n);
        var seen = new HashSet<ParamValue>(n); // repeats dropped in linear time: a count may be up to 10^6
        for (int i = 0; i < n; i++)
        {
            double t = n == 1 ? 0 : (double)i / (n - 1);
            double v = Scale == RangeScale.Log ? Math.Exp(Math.Log(Min) + t * (Math.Log(Max) - Math.Log(Min))) : Min + t * (Max - Min);
            // 12 significant digits, so grids read as written (0.2, not 0.19999999999999998); the ends are exact.
            v = i == 0 ? Min : i == n - 1 ? Max : double.Parse(v.ToString("G12", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            var value = Value(v);
            if (seen.Add(value)) values.Add(value);
        }
        return values;
    }

    public override ParamValue Sample(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        double u = rng.NextDouble();
        return Value(Scale == RangeScale.Log ? Math.Exp(Math.Log(Min) + u * (Math.Log(Max) - Math.Log(Min))) : Min + u * (Max - Min));
    }

    /// <summary>The compact form, e.g. <c>log(1e-05,0.1,9)</c>.</summary>
    public string Text() => $"{(Scale == RangeScale.Log ? "log" : "lin")}({Format(Min)},{Format(Max)}{(Count is int n ? "," + n.ToString(CultureInfo.InvariantCulture) : "")})";

    private ParamValue Value(double v) => Parameter.KindOf() switch
    {
        ValueKind.Whole => ParamValue.Of(Math.Round(v)),
        ValueKind.Layers => ParamValue.OfLayers([(int)Math.Round(v)]),
        _ => ParamValue.Of(v),
    };

    internal static string Format(double v) => ParamValue.Of(v).ToString();
}

/// <summary>A list of values, e.g. <c>0,0.2,0.5</c>, <c>adam,sgd</c> or <c>64,(128,64)</c>.</summary>
public sealed record ChoiceDimension(HyperParameter Parameter, IReadOnlyList<ParamValue> Values) : Dimension(Parameter)
{
    public override IReadOnlyList<ParamValue> Grid() => Values;

    public override ParamValue Sample(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        return Values[rng.NextInt(Values.Count)];
    }
}

/// <summary>
/// A search space: searched hyper-parameters in the order given (the first is the outermost loop of a grid and the
/// first key of the one-standard-error order). Built from the compact CLI grammar (<see cref="Parse"/>) or from JSON
/// (<see cref="FromJson"/>); <see cref="ToJson"/> writes the JSON form, which <see cref="FromJson"/> reads back.
/// <para>
/// Compact grammar (docs/cli.md, "Search spaces"): <c>spec := item (';' item)*</c>, <c>item := NAME '=' values</c>,
/// <c>values := 'log(' MIN ',' MAX [',' COUNT] ')' | 'lin(' MIN ',' MAX [',' COUNT] ')' | value (',' value)*</c>,
/// <c>value := NUMBER | WORD | '(' SIZE (',' SIZE)* ')' | 'none'</c> (parentheses and <c>none</c>: hidden layers).
/// JSON: an object <c>{"NAME": [v, …] | {"log": [min, max, count]} | {"lin": [min, max, count]}}</c> with hidden
/// layer lists as arrays.
/// </para>
/// </summary>
public sealed class SearchSpace
{
    private SearchSpace(IReadOnlyList<Dimension> dimensions) => Dimensions = dimensions;

    /// <summary>The searched hyper-parameters, in the order given.</summary>
    public IReadOnlyList<Dimension> Dimensions { get; }

    /// <summary>A space of the given dimensions (checked: at least one, no parameter twice, valid values and bounds).</summary>
    public static SearchSpace Of(IReadOnlyList<Dimension> dimensions)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        if (dimensions.Count == 0) throw OccamException.Usage("the search space is empty; give at least one hyper-parameter.");
        var seen = new HashSet<HyperParameter>();
        foreach (var d in dimensions)
        {
            if (!seen.Add(d.Parameter)) throw OccamException.Usage($"{d.Parameter.Name()} is searched twice; give it once.");
            if (CheckDimension(d) is { } error) throw OccamException.Usage(error + ".");
        }
        return new SearchSpace(dimensions.ToArray());
    }

    /// <summary>Number of points of the full grid (the product of the dimensions' grid sizes).</summary>
    public long GridSize => Dimensions.Aggregate(1L, (n, d) => n * d.Grid().Count);

    /// <summary>Every point of the grid, the first dimension outermost (row-major order).</summary>
    public IEnumerable<TrialSettings> Grid()
    {
        var grids = Dimensions.Select(d => d.Grid()).ToArray();
        var index = new int[grids.Length];
        while (true)
        {
            yield return new TrialSettings(Dimensions.Select((d, k) => new KeyValuePair<HyperParameter, ParamValue>(d.Parameter, grids[k][index[k]])).ToArray());
            int j = grids.Length - 1;
            while (j >= 0 && ++index[j] == grids[j].Count) index[j--] = 0;
            if (j < 0) yield break;
        }
    }

    /// <summary>One random point: each dimension drawn in order from <paramref name="rng"/>.</summary>
    public TrialSettings Sample(Rng rng) =>
        new(Dimensions.Select(d => new KeyValuePair<HyperParameter, ParamValue>(d.Parameter, d.Sample(rng))).ToArray());

    /// <summary>The dimension of <paramref name="p"/>, or null when it is not searched.</summary>
    public Dimension? Find(HyperParameter p) => Dimensions.FirstOrDefault(d => d.Parameter == p);

    /// <summary>The compact form (what <see cref="Parse"/> reads), e.g. <c>l1=log(1e-05,0.1,9);dropout=0,0.2</c>.</summary>
    public override string ToString() => string.Join(';', Dimensions.Select(d => d.Parameter.Name() + "=" + d switch
    {
        RangeDimension r => r.Text(),
        ChoiceDimension c => string.Join(',', c.Values.Select(v => v.Layers is { Count: > 1 } ? $"({v})" : v.ToString())),
        _ => throw new InvalidOperationException(),
    }));

    /// <summary>The JSON form: <c>{"l1":{"log":[1e-05,0.1,9]},"dropout":[0,0.2,0.5],"hidden":[64,[128,64]]}</c>.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var d in Dimensions)
            {
                w.WritePropertyName(d.Parameter.Name());
                if (d is RangeDimension r)
                {
                    w.WriteStartObject();
                    w.WriteStartArray(r.Scale == RangeScale.Log ? "log" : "lin");
                    w.WriteNumberValue(r.Min);
                    w.WriteNumberValue(r.Max);
                    if (r.Count is int n) w.WriteNumberValue(n);
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                else
                {
                    w.WriteStartArray();
                    foreach (var v in ((ChoiceDimension)d).Values) TrialSettings.WriteValue(w, v);
                    w.WriteEndArray();
                }
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// Reads the JSON form; errors name <paramref name="source"/> (e.g. the file), the key and what to fix
    /// (<see cref="OccamException"/>, Kind Usage).
    /// </summary>
    public static SearchSpace FromJson(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, ModelFile.DocumentOptions(64));
        }
        catch (JsonException e)
        {
            if (ModelFile.DuplicateKeyMessage(source, json) is { } duplicate) throw OccamException.Usage(duplicate);
            throw OccamException.Usage($"{source}: not valid JSON at line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}: {FirstSentence(e.Message)}; a search space is an object like {{\"l1\": {{\"log\": [1e-5, 0.1, 9]}}, \"dropout\": [0, 0.5]}}.");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw OccamException.Usage($"{source}: a search space is a JSON object like {{\"l1\": {{\"log\": [1e-5, 0.1, 9]}}, \"dropout\": [0, 0.5]}} (got {doc.RootElement.ValueKind.ToString().ToLowerInvariant()}).");
            var dims = new List<Dimension>();
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                string where = $"{source}: \"{prop.Name}\"";
                if (!HyperParameters.TryParse(prop.Name, out var p))
                    throw OccamException.Usage($"{where}: unknown hyper-parameter; use one of {HyperParameters.Listing}.");
                if (dims.Any(d => d.Parameter == p)) throw OccamException.Usage($"{where}: given twice; give it once.");
                Dimension dim = prop.Value.ValueKind switch
                {
                    JsonValueKind.Object => JsonRange(p, prop.Value, where),
                    JsonValueKind.Array => new ChoiceDimension(p, prop.Value.EnumerateArray().Select(e => JsonValue(p, e, where)).ToArray()),
                    _ => throw OccamException.Usage($"{where}: give a list [v, ...] or a range {{\"log\": [min, max, count]}}."),
                };
                if (dim is ChoiceDimension { Values.Count: 0 }) throw OccamException.Usage($"{where}: the list is empty; give at least one value.");
                if (CheckDimension(dim) is { } error) throw OccamException.Usage($"{where}: {error}.");
                dims.Add(dim);
            }
            if (dims.Count == 0) throw OccamException.Usage($"{source}: the search space is empty; give at least one hyper-parameter, e.g. {{\"l1\": {{\"log\": [1e-5, 0.1, 9]}}}}.");
            return new SearchSpace(dims);
        }
    }

    /// <summary>
    /// Reads a search space from a JSON file (errors name the file: missing, unreadable, or what is wrong inside);
    /// <paramref name="toJson"/>, when given, first turns the file's text into the JSON form (the CLI passes its YAML reader).
    /// </summary>
    public static SearchSpace Load(string path, Func<string, string>? toJson = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text = Data.InputFile.ReadAllText(path, "search space file");
        return FromJson(toJson is null ? text : toJson(text), path);
    }

    /// <summary>
    /// Parses the compact grammar. A mistake is an <see cref="OccamException"/> (Kind Usage) whose message names
    /// <paramref name="source"/> (e.g. <c>--search</c>), the 1-based character position and the offending token.
    /// </summary>
    public static SearchSpace Parse(string spec, string source = "--search") => new SpecParser(spec ?? "", source).Parse();

    internal static string? CheckDimension(Dimension d)
    {
        var p = d.Parameter;
        if (d is RangeDimension r)
        {
            if (p.KindOf() == ValueKind.Word) return $"{p.Name()} takes names, not a range; list them, e.g. {p.Name()}={(p == HyperParameter.Optimizer ? "adam,sgd" : "relu,tanh")}";
            if (!double.IsFinite(r.Min) || !double.IsFinite(r.Max)) return $"{p.Name()}: the bounds must be finite numbers";
            if (r.Min > r.Max) return $"{p.Name()}: min {RangeDimension.Format(r.Min)} > max {RangeDimension.Format(r.Max)}; write the smaller bound first";
            if (r.Scale == RangeScale.Log && r.Min <= 0) return $"{p.Name()}: a log range needs min > 0 (got {RangeDimension.Format(r.Min)}); use lin(...) or a list to include 0";
            if (r.Count is int n && n < 1) return $"{p.Name()}: the count must be >= 1 (got {n})";
            foreach (double bound in new[] { r.Min, r.Max })
            {
                var v = p.KindOf() == ValueKind.Layers ? ParamValue.OfLayers([(int)Math.Round(bound)]) : ParamValue.Of(p.KindOf() == ValueKind.Whole ? Math.Round(bound) : bound);
                if (p.Check(v) is { } e) return e;
            }
            return null;
        }
        var values = ((ChoiceDimension)d).Values;
        if (values.Count == 0) return $"{p.Name()}: the list is empty";
        foreach (var v in values)
        {
            if (p.KindOf() == ValueKind.Whole && (double.IsNaN(v.Number) || v.Number != Math.Round(v.Number))) return $"{p.Name()} takes whole numbers (got {v})";
            if (p.KindOf() is ValueKind.Real or ValueKind.Whole && v.Word is not null) return $"{p.Name()} takes numbers (got '{v}')";
            if (p.KindOf() == ValueKind.Word && v.Word is null) return $"{p.Name()} takes names (got {v})";
            if (p.KindOf() == ValueKind.Layers && v.Layers is null) return $"hidden takes layer sizes like 64 or (128,64) (got '{v}')";
            if (p.Check(v) is { } e) return e;
        }
        var duplicate = values.GroupBy(v => v).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? null : $"{p.Name()}: {duplicate.Key} is listed twice";
    }

    private static RangeDimension JsonRange(HyperParameter p, JsonElement e, string where)
    {
        var props = e.EnumerateObject().ToArray();
        if (props.Length != 1 || props[0].Name is not ("log" or "lin") || props[0].Value.ValueKind != JsonValueKind.Array)
            throw OccamException.Usage($"{where}: a range is {{\"log\": [min, max, count]}} or {{\"lin\": [min, max, count]}} (count optional for random search).");
        var items = props[0].Value.EnumerateArray().ToArray();
        if (items.Length is < 2 or > 3 || items.Any(i => i.ValueKind != JsonValueKind.Number))
            throw OccamException.Usage($"{where}: a range holds 2 or 3 numbers [min, max, count].");
        int? count = null;
        if (items.Length == 3)
        {
            if (!items[2].TryGetInt32(out int c)) throw OccamException.Usage($"{where}: the count must be a whole number (got {items[2].GetRawText()}).");
            count = c;
        }
        return new RangeDimension(p, props[0].Name == "log" ? RangeScale.Log : RangeScale.Linear, items[0].GetDouble(), items[1].GetDouble(), count);
    }

    private static ParamValue JsonValue(HyperParameter p, JsonElement e, string where)
    {
        try
        {
            return TrialSettings.ReadValue(p, e);
        }
        catch (FormatException ex)
        {
            throw OccamException.Usage($"{where}: {ex.Message}.");
        }
    }

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(". ", StringComparison.Ordinal);
        return (end < 0 ? message : message[..end]).TrimEnd('.');
    }

    /// <summary>The compact grammar's recursive-descent parser over punctuation (<c>= ; , ( )</c>) and atoms.</summary>
    private sealed class SpecParser(string text, string source)
    {
        private int _pos;

        public SearchSpace Parse()
        {
            if (string.IsNullOrWhiteSpace(text))
                throw OccamException.Usage($"{source} is empty; give NAME=VALUES items separated by ';', e.g. \"l1=log(1e-5,1e-1,9);dropout=0,0.2,0.5\".");
            var dims = new List<(Dimension D, int At, string Token)>();
            while (true)
            {
                SkipSpace();
                if (_pos >= text.Length) break;
                if (Peek() == ';') { _pos++; continue; }
                int start = _pos;
                string name = Atom("a hyper-parameter name");
                if (!HyperParameters.TryParse(name, out var p))
                    throw Error(start, name, $"unknown hyper-parameter '{name}'; use one of {HyperParameters.Listing}");
                if (dims.Any(d => d.D.Parameter == p)) throw Error(start, name, $"{name} is given twice; give it once");
                Expect('=', $"'=' after '{name}', e.g. {name}=0,0.5");
                SkipSpace();
                int valuesAt = _pos;
                var dim = Values(p);
                SkipSpace();
                if (_pos < text.Length && Peek() != ';')
                    throw Error(_pos, Token(_pos), $"expected ';' or the end after the values of {name}");
                string token = text[valuesAt.._pos].Trim();
                if (CheckDimension(dim) is { } error) throw Error(valuesAt, token, error);
                dims.Add((dim, valuesAt, token));
            }
            if (dims.Count == 0) throw OccamException.Usage($"{source} holds no hyper-parameter; give NAME=VALUES items, e.g. \"l1=log(1e-5,1e-1,9)\".");
            return new SearchSpace(dims.Select(d => d.D).ToArray());
        }

        private Dimension Values(HyperParameter p)
        {
            SkipSpace();
            int start = _pos;
            string word = _pos < text.Length && !IsPunctuation(Peek()) ? PeekAtom() : "";
            if (word is "log" or "lin")
            {
                int save = _pos;
                _pos += word.Length;
                SkipSpace();
                if (_pos < text.Length && Peek() == '(')
                {
                    _pos++;
                    double min = Number("the range's min");
                    Expect(',', $"',' between min and max in {word}(min,max,count)");
                    double max = Number("the range's max");
                    SkipSpace();
                    int? count = null;
                    if (_pos < text.Length && Peek() == ',')
                    {
                        _pos++;
                        SkipSpace();
                        int at = _pos;
                        double c = Number("the range's count");
                        if (c != Math.Round(c) || c < 1 || c > 1_000_000) throw Error(at, Token(at), "the count must be a whole number >= 1");
                        count = (int)c;
                    }
                    Expect(')', $"')' to close {word}(min,max,count)");
                    return new RangeDimension(p, word == "log" ? RangeScale.Log : RangeScale.Linear, min, max, count);
                }
                _pos = save;
            }
            var values = new List<ParamValue>();
            while (true)
            {
                SkipSpace();
                values.Add(Value(p));
                SkipSpace();
                if (_pos < text.Length && Peek() == ',') { _pos++; continue; }
                break;
            }
            _ = start;
            return new ChoiceDimension(p, values);
        }

        private ParamValue Value(HyperParameter p)
        {
            SkipSpace();
            int start = _pos;
            if (_pos < text.Length && Peek() == '(')
            {
                if (p != HyperParameter.Hidden) throw Error(start, Token(start), $"parentheses group hidden layer sizes; {p.Name()} takes plain values");
                _pos++;
                var sizes = new List<int>();
                while (true)
                {
                    SkipSpace();
                    int at = _pos;
                    double s = Number("a layer size");
                    if (s != Math.Round(s) || s < 1 || s > int.MaxValue) throw Error(at, Token(at), "a layer size must be a whole number > 0");
                    sizes.Add((int)s);
                    SkipSpace();
                    if (_pos < text.Length && Peek() == ',') { _pos++; continue; }
                    break;
                }
                Expect(')', "')' to close the layer list, e.g. (128,64)");
                return ParamValue.OfLayers(sizes);
            }
            string atom = Atom($"a value of {p.Name()}");
            var kind = p.KindOf();
            if (kind == ValueKind.Word) return ParamValue.OfWord(atom);
            if (kind == ValueKind.Layers && atom == "none") return ParamValue.OfLayers([]);
            if (!TryNumber(atom, out double v)) throw Error(start, atom, $"'{atom}' is not a number; {p.Name()} takes numbers" + (kind == ValueKind.Layers ? " (layer sizes like 64 or (128,64))" : ""));
            if (kind == ValueKind.Layers)
            {
                if (v != Math.Round(v) || v < 1 || v > int.MaxValue) throw Error(start, atom, "a layer size must be a whole number > 0");
                return ParamValue.OfLayers([(int)v]);
            }
            return ParamValue.Of(v);
        }

        private double Number(string what)
        {
            SkipSpace();
            int start = _pos;
            string atom = Atom(what);
            if (!TryNumber(atom, out double v)) throw Error(start, atom, $"'{atom}' is not a number ({what})");
            return v;
        }

        private static bool TryNumber(string s, out double v) =>
            double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out v) && double.IsFinite(v);

        private string Atom(string what)
        {
            SkipSpace();
            if (_pos >= text.Length) throw Error(text.Length, "", $"the spec ends where {what} is expected");
            if (IsPunctuation(Peek())) throw Error(_pos, Peek().ToString(), $"expected {what}");
            string atom = PeekAtom();
            _pos += atom.Length;
            return atom;
        }

        private string PeekAtom()
        {
            int end = _pos;
            while (end < text.Length && !IsPunctuation(text[end]) && !char.IsWhiteSpace(text[end])) end++;
            return text[_pos..end];
        }

        private void Expect(char c, string what)
        {
            SkipSpace();
            if (_pos >= text.Length) throw Error(text.Length, "", $"the spec ends where {what} is expected");
            if (Peek() != c) throw Error(_pos, Token(_pos), $"expected {what}");
            _pos++;
        }

        private string Token(int at)
        {
            if (at >= text.Length) return "";
            if (IsPunctuation(text[at])) return text[at].ToString();
            int end = at;
            while (end < text.Length && !IsPunctuation(text[end]) && !char.IsWhiteSpace(text[end])) end++;
            return text[at..end];
        }

        private char Peek() => text[_pos];

        private void SkipSpace()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos])) _pos++;
        }

        private static bool IsPunctuation(char c) => c is '=' or ';' or ',' or '(' or ')';

        private OccamException Error(int at, string token, string message) =>
            OccamException.Usage(token.Length == 0
                ? $"{source} \"{text}\": at character {at + 1} (the end): {message}."
                : $"{source} \"{text}\": at character {at + 1} ('{token}'): {message}.");
    }
}
