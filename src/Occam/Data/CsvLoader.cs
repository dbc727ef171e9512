using System.Runtime.CompilerServices;
using System.Text;

namespace Occam.Data;

/// <summary>
/// Loads a <see cref="Dataset"/> from a CSV file with a header row.
/// </summary>
/// <remarks>
/// <para>Format: RFC 4180 (comma separator, double-quoted fields with <c>""</c> for a quote,
/// quoted fields may span lines), UTF-8 with or without a byte-order mark, LF or CRLF line ends,
/// blank lines at the end ignored. Numbers use the invariant culture (decimal point, optional
/// exponent, no thousands separator); spaces around them are ignored. Every feature cell must be
/// a finite number within the float32 range (|x| ≤ 3.4028235E+38, the precision networks compute
/// in): empty cells, text, NaN, ±infinity and larger values are rejected with a one-line
/// <see cref="OccamException"/> naming the file, line, column and the limit.</para>
/// <para>Task inference (when no task is given), from the target column:
/// <list type="number">
/// <item>any non-numeric cell → classification; labels sorted ordinally; 2 labels → Binary,
/// 3 or more → Multiclass, 1 → error;</item>
/// <item>all integer-valued with exactly 2 distinct values → Binary;</item>
/// <item>all integer-valued with 3..20 distinct values and distinct count ≤ rows / 5 → Multiclass;</item>
/// <item>otherwise Regression.</item>
/// </list>
/// Numeric class labels are sorted by value and keep their text as written in the file (its
/// first occurrence); <see cref="Dataset.Y"/> holds the class index.</para>
/// </remarks>
public static class CsvLoader
{
    /// <summary>Most distinct integer values a target may have to be inferred as multiclass.</summary>
    public const int MaxInferredClasses = 20;

    /// <summary>
    /// Loads <paramref name="path"/>: column <paramref name="target"/> is the target, every other
    /// column is a feature (in file order).
    /// </summary>
    /// <param name="path">CSV file with a header row.</param>
    /// <param name="target">Name of the target column (exact, case-sensitive).</param>
    /// <param name="task">The task, or null to infer it from the target column (see remarks).</param>
    /// <exception cref="OccamException">The file is missing, malformed or does not fit the task.</exception>
    public static Dataset Load(string path, string target, TaskKind? task = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(target);
        return Read(Open(path), path, target, task);
    }

    /// <summary>
    /// Reads CSV <paramref name="text"/> as <see cref="Load(string, string, TaskKind?)"/> reads a file's text (the same
    /// code; <see cref="LinearWarmup"/> runs it on a tiny table). Errors name the text "(text)".
    /// </summary>
    internal static Dataset Parse(string text, string target, TaskKind? task = null) =>
        Read(new CsvTokenizer(text, "(text)"), "(text)", target, task);

    private static Dataset Read(CsvTokenizer csv, string path, string target, TaskKind? task)
    {
        string[] header = ReadHeader(csv, path);
        int targetColumn = Array.IndexOf(header, target);
        if (targetColumn < 0)
            throw new OccamException($"{path}: no target column {Quote(target)}; available columns: {ListColumns(header)}. Pass one of them as the target.");

        int features = header.Length - 1;
        if (features == 0)
            throw new OccamException($"{path}: the only column is the target {Quote(target)}; add feature columns.");
        var featureColumns = new int[features];
        var featureNames = new string[features];
        for (int c = 0, f = 0; c < header.Length; c++)
        {
            if (c == targetColumn)
                continue;
            featureColumns[f] = c;
            featureNames[f] = header[c];
            f++;
        }

        var x = new GrowableArray(csv.EstimateRemainingRecords() * (long)features);
        var labels = new List<string>();
        var lines = new List<int>();
        while (csv.Next())
        {
            CheckCellCount(csv, header, path);
            ParseFeatures(csv, featureColumns, header, path, x);
            string label = csv[targetColumn].Trim().ToString();
            if (label.Length == 0)
                throw new OccamException($"{path} line {csv.Line}, column {Quote(target)}: the target cell is empty; fill in the value or remove the row.");
            labels.Add(label);
            lines.Add(csv.Line);
        }
        if (labels.Count == 0)
            throw new OccamException($"{path}: the file has a header but no data rows; add rows below the header.");

        int rows = labels.Count;
        var (y, resolved, classes) = ResolveTarget(labels, lines, path, target, task);
        return new Dataset(x.ToArray(rows * features), y, rows, features, featureNames, target, resolved, classes);
    }

    /// <summary>
    /// Loads only feature columns, for prediction or evaluation: the columns named in
    /// <paramref name="featureNames"/>, in that order, from a file that may hold other columns too
    /// (those are not parsed). With <paramref name="featureNames"/> null every column except
    /// <paramref name="ignore"/> (which need not exist) is a feature.
    /// </summary>
    /// <returns>A dataset with <see cref="TaskKind.Regression"/>, <see cref="Dataset.Y"/> all zero and
    /// <see cref="Dataset.TargetName"/> = <paramref name="ignore"/> (or "").</returns>
    /// <exception cref="OccamException">The file is missing or malformed, or a named column is absent.</exception>
    public static Dataset LoadFeatures(string path, IReadOnlyList<string>? featureNames, string? ignore = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var csv = Open(path);
        string[] header = ReadHeader(csv, path);

        int[] columns;
        string[] names;
        if (featureNames is null)
        {
            var picked = new List<int>();
            for (int c = 0; c < header.Length; c++)
            {
                if (header[c] != ignore)
                    picked.Add(c);
            }
            if (picked.Count == 0)
                throw new OccamException($"{path}: no feature columns (the only column is {Quote(ignore ?? "")}); add the feature columns.");
            columns = picked.ToArray();
            names = columns.Select(c => header[c]).ToArray();
        }
        else
        {
            (columns, names) = ResolveColumns(header, featureNames, path);
        }

        var x = new GrowableArray(csv.EstimateRemainingRecords() * (long)columns.Length);
        int rows = 0;
        while (csv.Next())
        {
            CheckCellCount(csv, header, path);
            ParseFeatures(csv, columns, header, path, x);
            rows++;
        }
        if (rows == 0)
            throw new OccamException($"{path}: the file has a header but no data rows; add rows below the header.");
        return new Dataset(x.ToArray(rows * columns.Length), new double[rows], rows, columns.Length, names, ignore ?? "", TaskKind.Regression);
    }

    /// <summary>
    /// Loads data to evaluate a trained model on: the model's feature columns by name, in the
    /// model's order (other columns are ignored), and the target mapped onto the model's task and
    /// classes, so that class index k means the same label as during training even when this file
    /// lacks some classes or lists them in another order.
    /// </summary>
    /// <param name="path">CSV file with a header row.</param>
    /// <param name="featureNames">The model's feature names, in order.</param>
    /// <param name="target">Name of the target column.</param>
    /// <param name="task">The model's task; no inference is done.</param>
    /// <param name="classes">The model's class labels (index = class), required for classification.
    /// A cell matches a class by exact text, or else by numeric value when both are numbers
    /// ("1.0" matches class "1").</param>
    /// <exception cref="OccamException">The file is malformed, a column is missing, a regression
    /// target is not a number, or a label is not one of <paramref name="classes"/>.</exception>
    public static Dataset LoadForModel(string path, IReadOnlyList<string> featureNames, string target, TaskKind task, IReadOnlyList<string>? classes)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(target);
        ClassMatcher? matcher = null;
        if (task != TaskKind.Regression)
        {
            if (classes is null || classes.Count < 2)
                throw new ArgumentException("a classification model needs its list of at least 2 classes.", nameof(classes));
            matcher = new ClassMatcher(classes);
        }

        var csv = Open(path);
        string[] header = ReadHeader(csv, path);
        var (columns, names) = ResolveColumns(header, featureNames, path);
        int targetColumn = Array.IndexOf(header, target);
        if (targetColumn < 0)
            throw new OccamException($"{path}: no target column {Quote(target)}; available columns: {ListColumns(header)}. Add the target column the model was trained on.");
        if (Array.IndexOf(columns, targetColumn) >= 0)
            throw new OccamException($"{path}: column {Quote(target)} is both a feature and the target; use another target column.");

        var x = new GrowableArray(csv.EstimateRemainingRecords() * (long)columns.Length);
        var y = new List<double>();
        while (csv.Next())
        {
            CheckCellCount(csv, header, path);
            ParseFeatures(csv, columns, header, path, x);
            ReadOnlySpan<char> cell = csv[targetColumn].Trim();
            if (cell.IsEmpty)
                throw new OccamException($"{path} line {csv.Line}, column {Quote(target)}: the target cell is empty; fill in the value or remove the row.");
            if (matcher is null)
            {
                NumberStatus status = NumberText.Parse(cell, out double value);
                if (status == NumberStatus.NotANumber)
                    throw new OccamException($"{path} line {csv.Line}, column {Quote(target)}: '{Shorten(cell)}' is not a number, but the model does regression; fix the value or use the right target column.");
                if (status != NumberStatus.Ok)
                    throw CellError(status, cell, path, csv.Line, target);
                y.Add(value);
            }
            else
            {
                int k = matcher.IndexOf(cell);
                if (k < 0)
                    throw new OccamException($"{path} line {csv.Line}, column {Quote(target)}: label '{Shorten(cell)}' is not one of the model's classes ({ListLabels(classes!.ToArray())}); remove the row or use data with the model's classes.");
                y.Add(k);
            }
        }
        if (y.Count == 0)
            throw new OccamException($"{path}: the file has a header but no data rows; add rows below the header.");
        int rows = y.Count;
        return new Dataset(x.ToArray(rows * columns.Length), y.ToArray(), rows, columns.Length, names, target, task, classes?.ToArray());
    }

    private static (int[] Columns, string[] Names) ResolveColumns(string[] header, IReadOnlyList<string> featureNames, string path)
    {
        if (featureNames.Count == 0)
            throw new OccamException($"{path}: the list of feature columns to read is empty; name at least one column.");
        var columns = new int[featureNames.Count];
        var names = new string[featureNames.Count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int f = 0; f < featureNames.Count; f++)
        {
            string name = featureNames[f];
            if (!seen.Add(name))
                throw new OccamException($"{path}: feature column {Quote(name)} is requested twice; list each feature once.");
            int c = Array.IndexOf(header, name);
            if (c < 0)
                throw new OccamException($"{path}: the feature column {Quote(name)} is missing; available columns: {ListColumns(header)}. Add the column or use a file with the model's features.");
            columns[f] = c;
            names[f] = name;
        }
        return (columns, names);
    }

    private static CsvTokenizer Open(string path)
    {
        byte[] bytes = InputFile.ReadAllBytes(path, "a CSV file");
        if (NotCsv(bytes) is { } what)
            throw new OccamException($"{path}: {what}");
        string text;
        try
        {
            text = Decode(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new OccamException($"{path}: the file is not valid UTF-8 text; save it as UTF-8 CSV.");
        }
        var csv = new CsvTokenizer(text, path);
        if (csv.IsBlank)
            throw new OccamException($"{path}: the file is empty; a CSV file needs a header row and at least one data row.");
        return csv;
    }

    /// <summary>What the file is when it is recognizably not CSV text (IDX or gzip data), else null.</summary>
    private static string? NotCsv(ReadOnlySpan<byte> b)
    {
        // IDX magic: two zero bytes, a type code (0x08 ubyte, 0x09 sbyte, 0x0B short, 0x0C int, 0x0D float, 0x0E double), the rank.
        if (b.Length >= 4 && b[0] == 0 && b[1] == 0 && b[2] is 0x08 or 0x09 or (>= 0x0B and <= 0x0E) && b[3] is >= 1 and <= 4)
            return b[3] switch
            {
                1 => "this is an IDX label file (MNIST format), not CSV; give it as the labels of an IDX image file (occam: --data IMAGES --labels LABELS).",
                3 => "this is an IDX image file (MNIST format), not CSV; read it with its label file (occam: --data IMAGES --labels LABELS).",
                _ => "this is an IDX file (MNIST format), not CSV; Occam reads IDX images with their label file (occam: --data IMAGES --labels LABELS).",
            };
        if (b.Length >= 2 && b[0] == 0x1f && b[1] == 0x8b)
            return NotCsv(GzipStart(b)) ?? "this is gzip-compressed data, not CSV text; decompress it first (gunzip).";
        return null;
    }

    /// <summary>The first bytes of gzip data, decompressed (empty when the data is damaged).</summary>
    private static byte[] GzipStart(ReadOnlySpan<byte> gzip)
    {
        try
        {
            using var gz = new System.IO.Compression.GZipStream(new MemoryStream(gzip.ToArray()), System.IO.Compression.CompressionMode.Decompress);
            var start = new byte[4];
            int n = gz.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
            return start[..n];
        }
        catch (InvalidDataException)
        {
            return [];
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Decodes the whole file in one pass (much faster than a StreamReader on large files): UTF-8,
    /// with its byte-order mark skipped; a UTF-16 byte-order mark selects UTF-16.
    /// </summary>
    private static string Decode(byte[] bytes)
    {
        ReadOnlySpan<byte> b = bytes;
        if (b.StartsWith("\uFEFF"u8))
            return StrictUtf8.GetString(b[3..]);
        if (b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
            return new UnicodeEncoding(bigEndian: false, byteOrderMark: true, throwOnInvalidBytes: true).GetString(b[2..]);
        if (b.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
            return new UnicodeEncoding(bigEndian: true, byteOrderMark: true, throwOnInvalidBytes: true).GetString(b[2..]);
        return StrictUtf8.GetString(b);
    }

    private static string[] ReadHeader(CsvTokenizer csv, string path)
    {
        csv.Next();
        if (csv.Count == 1 && Delimiter(csv[0]) is { } delimiter)
            throw new OccamException($"{path} line {csv.Line}: the file looks {delimiter}-separated; Occam reads comma-separated CSV (RFC 4180, decimal point): save it with ',' between cells.");
        var header = new string[csv.Count];
        for (int c = 0; c < header.Length; c++)
        {
            string name = csv[c].Trim().ToString();
            if (name.Length == 0)
                throw new OccamException($"{path} line {csv.Line}: column {c + 1} of the header has no name; name every column in the header row.");
            header[c] = name;
        }
        if (ColumnNames.FirstDuplicate(header) is (int first, int second))
            throw new OccamException($"{path} line {csv.Line}: duplicate column name {Quote(header[first])} (columns {first + 1} and {second + 1}); rename one of them.");
        return header;
    }

    /// <summary>The separator a one-column header seems to use instead of commas (";", "tab", "|"), or null.</summary>
    private static string? Delimiter(ReadOnlySpan<char> header)
    {
        if (header.Contains(';')) return ";";
        if (header.Contains('\t')) return "tab";
        if (header.Contains('|')) return "|";
        return null;
    }

    private static void CheckCellCount(CsvTokenizer csv, string[] header, string path)
    {
        if (csv.Count == header.Length)
            return;
        string where = csv.Count < header.Length
            ? $"column {Quote(header[csv.Count])} and later are missing"
            : $"there are cells after the last column {Quote(header[^1])}";
        throw new OccamException($"{path} line {csv.Line}: {Counted.Of(csv.Count, "cell")} but the header has {header.Length} ({where}); give every row one cell per column.");
    }

    private static void ParseFeatures(CsvTokenizer csv, int[] columns, string[] header, string path, GrowableArray x)
    {
        Span<double> row = x.Append(columns.Length);
        for (int f = 0; f < columns.Length; f++)
        {
            int c = columns[f];
            ReadOnlySpan<char> cell = csv[c];
            NumberStatus status = NumberText.Parse(cell, out row[f]);
            if (status != NumberStatus.Ok)
                throw CellError(status, cell, path, csv.Line, header[c]);
        }
    }

    private static OccamException CellError(NumberStatus status, ReadOnlySpan<char> cell, string path, int line, string column)
    {
        string text = Shorten(cell.Trim());
        string what = status switch
        {
            NumberStatus.Empty => "the cell is empty; fill in the value or remove the row.",
            NumberStatus.NotFinite => $"'{text}' is not a finite number (NaN and infinity are not allowed); replace the value or remove the row.",
            NumberStatus.OutOfRange => $"'{text}' is outside the float32 range (±{float.MaxValue.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}) that Occam computes in; rescale the column (e.g. change its unit) or remove the row.",
            _ => $"'{text}' is not a number; fix the value or remove the column.",
        };
        return new OccamException($"{path} line {line}, column {Quote(column)}: {what}");
    }

    /// <summary>A name in quotes for a one-line message: line breaks and other control characters are shown escaped.</summary>
    private static string Quote(string name)
    {
        if (!name.Any(char.IsControl)) return $"'{name}'";
        var sb = new StringBuilder("'");
        foreach (char ch in name)
        {
            if (ch == '\n') sb.Append("\\n");
            else if (ch == '\r') sb.Append("\\r");
            else if (ch == '\t') sb.Append("\\t");
            else if (char.IsControl(ch)) sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)ch:X4}");
            else sb.Append(ch);
        }
        return sb.Append('\'').ToString();
    }

    private static string Shorten(ReadOnlySpan<char> text)
    {
        const int max = 40;
        string s = text.Length <= max ? text.ToString() : string.Concat(text[..max], "…");
        return s.Replace('\r', ' ').Replace('\n', ' ');
    }

    private static string ListColumns(string[] header)
    {
        const int max = 20;
        string list = string.Join(", ", header.Take(max).Select(Quote));
        return header.Length <= max ? list : $"{list}, … ({header.Length - max} more)";
    }

    private static (double[] Y, TaskKind Task, string[]? Classes) ResolveTarget(
        List<string> labels, List<int> lines, string path, string target, TaskKind? task)
    {
        int rows = labels.Count;
        var values = new double[rows];
        int firstText = -1;        // first row whose label is not a finite number
        int firstNonFinite = -1;   // first row whose label is nan/inf, overflows, or is outside the float32 range
        NumberStatus nonFinite = NumberStatus.NotFinite;
        bool allInteger = true;
        for (int i = 0; i < rows; i++)
        {
            NumberStatus status = NumberText.Parse(labels[i], out values[i]);
            if (status == NumberStatus.Ok)
            {
                if (values[i] != Math.Floor(values[i]))
                    allInteger = false;
                continue;
            }
            if (firstText < 0)
                firstText = i;
            if ((status is NumberStatus.NotFinite or NumberStatus.OutOfRange) && firstNonFinite < 0)
            {
                firstNonFinite = i;
                nonFinite = status;
            }
        }
        bool numeric = firstText < 0;

        // NaN / infinity (or a value beyond float32) is never a valid number; as a class label it is only
        // accepted when the caller said the task is classification.
        if (firstNonFinite >= 0 && task is null or TaskKind.Regression)
            throw CellError(nonFinite, labels[firstNonFinite], path, lines[firstNonFinite], target);

        if (task == TaskKind.Regression)
        {
            if (!numeric)
                throw new OccamException($"{path} line {lines[firstText]}, column {Quote(target)}: '{Shorten(labels[firstText])}' is not a number, but the task is regression; fix the value or choose a classification task.");
            return (values, TaskKind.Regression, null);
        }

        if (task is null && numeric)
        {
            if (!allInteger)
                return (values, TaskKind.Regression, null);
            int distinct = CountDistinct(values, MaxInferredClasses + 1);
            if (distinct == 2)
                return Classify(labels, values, numeric: true, TaskKind.Binary);
            if (distinct >= 3 && distinct <= MaxInferredClasses && distinct * 5 <= rows)
                return Classify(labels, values, numeric: true, TaskKind.Multiclass);
            return (values, TaskKind.Regression, null);
        }

        // Classification: given explicitly, or inferred from a non-numeric label.
        var (y, _, classes) = Classify(labels, values, numeric, TaskKind.Multiclass);
        int k = classes!.Length;
        if (task is null)
        {
            if (k < 2)
                throw new OccamException($"{path}: target column {Quote(target)} has a single label '{Shorten(classes[0])}'; a classification target needs at least 2 labels, fix the column or choose another target.");
            return (y, k == 2 ? TaskKind.Binary : TaskKind.Multiclass, classes);
        }
        if (task == TaskKind.Binary && k != 2)
            throw new OccamException($"{path}: target column {Quote(target)} has {Counted.Of(k, "distinct label")} ({ListLabels(classes)}); binary classification needs exactly 2, choose the multiclass task or fix the labels.");
        if (task == TaskKind.Multiclass && k < 2)
            throw new OccamException($"{path}: target column {Quote(target)} has a single label '{Shorten(classes[0])}'; multiclass classification needs at least 2, fix the column or choose another target.");
        return (y, task.Value, classes);
    }

    private static int CountDistinct(double[] values, int stopAt)
    {
        var set = new HashSet<double>();
        foreach (double v in values)
        {
            if (set.Add(v) && set.Count >= stopAt)
                break;
        }
        return set.Count;
    }

    /// <summary>
    /// Maps labels to class indices. Numeric labels are grouped and sorted by value (the class text
    /// is the first occurrence as written); text labels are sorted ordinally.
    /// </summary>
    internal static (double[] Y, TaskKind Task, string[]? Classes) Classify(IReadOnlyList<string> labels, double[] values, bool numeric, TaskKind task)
    {
        int rows = labels.Count;
        var y = new double[rows];
        string[] classes;
        if (numeric)
        {
            var text = new Dictionary<double, string>();
            for (int i = 0; i < rows; i++)
                text.TryAdd(values[i] == 0 ? 0.0 : values[i], labels[i]); // -0 and 0 are one class
            double[] sorted = text.Keys.Order().ToArray();
            classes = sorted.Select(v => text[v]).ToArray();
            for (int i = 0; i < rows; i++)
                y[i] = Array.BinarySearch(sorted, values[i] == 0 ? 0.0 : values[i]);
        }
        else
        {
            classes = labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int k = 0; k < classes.Length; k++)
                index[classes[k]] = k;
            for (int i = 0; i < rows; i++)
                y[i] = index[labels[i]];
        }
        return (y, task, classes);
    }

    private static string ListLabels(string[] classes)
    {
        const int max = 10;
        string list = string.Join(", ", classes.Take(max).Select(c => $"'{Shorten(c)}'"));
        return classes.Length <= max ? list : $"{list}, …";
    }

    /// <summary>A double buffer that grows by doubling; rows are appended in place.</summary>
    private sealed class GrowableArray
    {
        private double[] _data;
        private int _length;

        /// <param name="capacity">Expected number of values (clamped to what an array can hold).</param>
        public GrowableArray(long capacity) => _data = new double[Math.Clamp(capacity, 16, Array.MaxLength)];

        public Span<double> Append(int count)
        {
            if (_length + count > _data.Length)
                Array.Resize(ref _data, (int)Math.Min(Array.MaxLength, Math.Max(2L * _data.Length, (long)_length + count)));
            var span = _data.AsSpan(_length, count);
            _length += count;
            return span;
        }

        public double[] ToArray(int expected)
        {
            System.Diagnostics.Debug.Assert(expected == _length);
            if (_data.Length == _length)
                return _data;
            return _data.AsSpan(0, _length).ToArray();
        }
    }
}
