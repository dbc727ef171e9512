using System.Text;
using Occam.Data;

namespace Occam.Tests.Data;

public sealed class CsvLoaderTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private OccamException LoadError(string content, string target = "y", TaskKind? task = null, string name = "data.csv")
    {
        string path = _files.Write(name, content);
        var e = Assert.Throws<OccamException>(() => CsvLoader.Load(path, target, task));
        Assert.DoesNotContain('\n', e.Message);
        Assert.StartsWith(path, e.Message);
        return e;
    }

    // ---- parsing -------------------------------------------------------------------------

    [Fact]
    public void LoadsFeaturesInFileOrderAroundTheTarget()
    {
        string path = _files.Write("a.csv", "a,y,b\n1,10.5,2\n3,-4.25,4\n");
        var d = CsvLoader.Load(path, "y");
        Assert.Equal(2, d.Rows);
        Assert.Equal(2, d.Features);
        Assert.Equal(["a", "b"], d.FeatureNames);
        Assert.Equal("y", d.TargetName);
        Assert.Equal([1.0, 2, 3, 4], d.X);
        Assert.Equal([10.5, -4.25], d.Y);
        Assert.Equal(TaskKind.Regression, d.Task);
        Assert.Null(d.Classes);
    }

    [Fact]
    public void AcceptsBomCrlfQuotesSpacesAndTrailingBlankLines()
    {
        byte[] bom = [0xEF, 0xBB, 0xBF];
        byte[] body = Encoding.UTF8.GetBytes("\"a\", \"b,c\" ,y\r\n 1.5 ,\"2\",0.5\r\n\"-3e2\",  +4 ,1e-3\r\n\r\n  \r\n");
        string path = _files.WriteBytes("b.csv", [.. bom, .. body]);
        var d = CsvLoader.Load(path, "y");
        Assert.Equal(["a", "b,c"], d.FeatureNames);
        Assert.Equal([1.5, 2, -300, 4], d.X);
        Assert.Equal([0.5, 1e-3], d.Y);
    }

    [Fact]
    public void LastRowWithoutLineBreak()
    {
        var d = CsvLoader.Load(_files.Write("n.csv", "x,y\n1,2.5\n3,4"), "y");
        Assert.Equal([1.0, 3], d.X);
        Assert.Equal([2.5, 4], d.Y);
    }

    [Fact]
    public void CrOnlyAndMixedLineEnds()
    {
        // CR-only (old Mac) lines, and a mix where the row-count estimate from '\n' is far too
        // small, so the value buffer must grow.
        var sb = new StringBuilder("a,b,y\r");
        for (int i = 0; i < 300; i++)
            sb.Append(i).Append(',').Append(-i).Append(',').Append(i * 0.5).Append(i == 150 ? "\n" : "\r");
        var d = CsvLoader.Load(_files.Write("cr.csv", sb.ToString()), "y");
        Assert.Equal(300, d.Rows);
        Assert.Equal(Enumerable.Range(0, 300).SelectMany(i => new double[] { i, -i }), d.X);
        Assert.Equal(Enumerable.Range(0, 300).Select(i => i * 0.5), d.Y);

        var e = LoadError(sb.ToString().Replace("7,-7,", "7,x,"));
        Assert.Contains("line 9, column 'b': 'x' is not a number", e.Message);
    }

    [Theory]
    [InlineData("utf-16le")]
    [InlineData("utf-16be")]
    public void Utf16WithByteOrderMark(string encoding)
    {
        var enc = Encoding.GetEncoding(encoding);
        string path = _files.WriteBytes("u16.csv", [.. enc.GetPreamble(), .. enc.GetBytes("größe,y\n1.5,a\n2,b\n")]);
        var d = CsvLoader.Load(path, "y");
        Assert.Equal(["größe"], d.FeatureNames);
        Assert.Equal([1.5, 2], d.X);
    }

    [Fact]
    public void Utf8NamesAndLabels()
    {
        var d = CsvLoader.Load(_files.Write("u8.csv", "größe,espèce\n1,été\n2,hiver\n"), "espèce");
        Assert.Equal(["größe"], d.FeatureNames);
        Assert.Equal(["hiver", "été"], d.Classes!);
    }

    [Fact]
    public void QuotedFieldsMaySpanLinesAndEscapeQuotes()
    {
        // Row 2 of the file holds a label with a line break and an escaped quote; the error on
        // the following record must still report the physical line (4).
        string content = "x,y\n1,\"say \"\"hi\"\"\nthere\"\n2,abc\n3,abc\n";
        string path = _files.Write("q.csv", content);
        var d = CsvLoader.Load(path, "y");
        Assert.Equal(["abc", "say \"hi\"\nthere"], d.Classes!);
        Assert.Equal([1.0, 0, 0], d.Y);

        var e = LoadError("x,y\n1,\"a\nb\"\nzz,c\n");
        Assert.Contains("line 4, column 'x': 'zz' is not a number", e.Message);
    }

    [Fact]
    public void ParsesNumbersExactlyLikeDoubleParse()
    {
        string[] cells = ["0", "-0", "7", "-12", "0.1", "3.14159", "123456789012345", "1234567890123456789",
            "0.000001", "-1.5e-7", "2E10", ".5", "5.", "+2.5", "4.35", "9007199254740993", "0.30000000000000004"];
        var sb = new StringBuilder("x,y\n");
        foreach (string c in cells)
            sb.Append(c).Append(",1.5\n");
        var d = CsvLoader.Load(_files.Write("n.csv", sb.ToString()), "y");
        for (int i = 0; i < cells.Length; i++)
        {
            double expected = double.Parse(cells[i], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(d.X[i]));
        }
    }

    // ---- task inference ---------------------------------------------------------------------

    private Dataset LoadTarget(IEnumerable<string> labels, TaskKind? task = null)
    {
        var sb = new StringBuilder("x,y\n");
        int i = 0;
        foreach (string label in labels)
            sb.Append(i++).Append(',').Append(label).Append('\n');
        return CsvLoader.Load(_files.Write($"t{Guid.NewGuid():N}.csv", sb.ToString()), "y", task);
    }

    [Fact]
    public void TextLabelsAreClassesSortedOrdinally()
    {
        var d = LoadTarget(["dog", "cat", "Emu", "cat"]);
        Assert.Equal(TaskKind.Multiclass, d.Task);
        Assert.Equal(["Emu", "cat", "dog"], d.Classes!);
        Assert.Equal([2.0, 1, 0, 1], d.Y);

        var b = LoadTarget(["yes", "no", "no"]);
        Assert.Equal(TaskKind.Binary, b.Task);
        Assert.Equal(["no", "yes"], b.Classes!);
        Assert.Equal([1.0, 0, 0], b.Y);
    }

    [Fact]
    public void OneNonNumericLabelMakesTheTargetClassification()
    {
        var d = LoadTarget(["1.5", "2.5", "x", "1.5"]);
        Assert.Equal(TaskKind.Multiclass, d.Task);
        Assert.Equal(["1.5", "2.5", "x"], d.Classes!);
    }

    [Fact]
    public void TwoIntegerValuesAreBinaryWhateverTheirValues()
    {
        var d = LoadTarget(["1", "-1", "-1", "1"]);
        Assert.Equal(TaskKind.Binary, d.Task);
        Assert.Equal(["-1", "1"], d.Classes!);
        Assert.Equal([1.0, 0, 0, 1], d.Y);
    }

    [Fact]
    public void NumericLabelsSortByValueAndKeepTheirText()
    {
        // 3 distinct integers over 15 rows: 3 ≤ 15/5 → multiclass; "10" sorts after "2".
        var labels = Enumerable.Repeat(new[] { "10", "2", "1.0" }, 5).SelectMany(a => a);
        var d = LoadTarget(labels);
        Assert.Equal(TaskKind.Multiclass, d.Task);
        Assert.Equal(["1.0", "2", "10"], d.Classes!);
        Assert.Equal([2.0, 1, 0], d.Y.Take(3));
    }

    [Fact]
    public void ManyDistinctIntegersRelativeToRowsAreRegression()
    {
        // 3 distinct values over 14 rows: 3 > 14/5 → regression.
        var labels = Enumerable.Range(0, 14).Select(i => (i % 3).ToString());
        Assert.Equal(TaskKind.Regression, LoadTarget(labels).Task);
        // 3 over 15 rows → multiclass.
        labels = Enumerable.Range(0, 15).Select(i => (i % 3).ToString());
        Assert.Equal(TaskKind.Multiclass, LoadTarget(labels).Task);
    }

    [Fact]
    public void MoreThanTwentyDistinctIntegersAreRegression()
    {
        var twenty = Enumerable.Range(0, 200).Select(i => (i % 20).ToString());
        Assert.Equal(TaskKind.Multiclass, LoadTarget(twenty).Task);
        var twentyOne = Enumerable.Range(0, 210).Select(i => (i % 21).ToString());
        Assert.Equal(TaskKind.Regression, LoadTarget(twentyOne).Task);
    }

    [Fact]
    public void NonIntegerNumbersAreRegression()
    {
        var d = LoadTarget(["0", "1", "0.5", "0", "1", "0", "1", "0", "1", "1"]);
        Assert.Equal(TaskKind.Regression, d.Task);
        Assert.Equal(0.5, d.Y[2]);
    }

    [Fact]
    public void ConstantNumericTargetIsRegression() =>
        Assert.Equal(TaskKind.Regression, LoadTarget(["3", "3", "3"]).Task);

    [Fact]
    public void ExplicitTaskOverridesInference()
    {
        var labels = Enumerable.Range(0, 10).Select(i => (i % 3).ToString()).ToArray(); // inferred regression
        var d = LoadTarget(labels, TaskKind.Multiclass);
        Assert.Equal(TaskKind.Multiclass, d.Task);
        Assert.Equal(["0", "1", "2"], d.Classes!);

        var r = LoadTarget(["0", "1", "1", "0"], TaskKind.Regression); // inferred binary
        Assert.Equal(TaskKind.Regression, r.Task);
        Assert.Equal([0.0, 1, 1, 0], r.Y);

        var m = LoadTarget(["a", "b", "a"], TaskKind.Multiclass); // 2 labels allowed as multiclass
        Assert.Equal(TaskKind.Multiclass, m.Task);
        Assert.Equal(2, m.ClassCount);

        var nan = LoadTarget(["nan", "ok", "nan"], TaskKind.Binary); // any text is a label when told
        Assert.Equal(["nan", "ok"], nan.Classes!);
    }

    [Fact]
    public void ExplicitRegressionNeedsNumbers()
    {
        var e = LoadError("x,y\n1,2\n2,3\n3,abc\n", task: TaskKind.Regression);
        Assert.Contains("line 4, column 'y': 'abc' is not a number, but the task is regression", e.Message);
    }

    [Fact]
    public void ExplicitBinaryNeedsExactlyTwoLabels()
    {
        var e = LoadError("x,y\n1,a\n2,b\n3,c\n", task: TaskKind.Binary);
        Assert.Contains("column 'y' has 3 distinct labels ('a', 'b', 'c'); binary classification needs exactly 2", e.Message);
        e = LoadError("x,y\n1,a\n2,a\n", task: TaskKind.Binary);
        Assert.Contains("1 distinct label (", e.Message);
    }

    [Fact]
    public void ClassificationNeedsTwoLabels()
    {
        var e = LoadError("x,y\n1,a\n2,a\n");
        Assert.Contains("target column 'y' has a single label 'a'", e.Message);
        e = LoadError("x,y\n1,5\n2,5\n", task: TaskKind.Multiclass);
        Assert.Contains("has a single label '5'; multiclass classification needs at least 2", e.Message);
    }

    // ---- errors -------------------------------------------------------------------------------

    [Fact]
    public void MissingFile()
    {
        string path = _files.PathOf("nope.csv");
        var e = Assert.Throws<OccamException>(() => CsvLoader.Load(path, "y"));
        Assert.Equal($"{path}: file not found; check the path.", e.Message);
        Assert.Throws<OccamException>(() => CsvLoader.LoadFeatures(path, null));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\r\n  \n")]
    public void EmptyFile(string content)
    {
        var e = LoadError(content);
        Assert.Contains("the file is empty; a CSV file needs a header row and at least one data row", e.Message);
    }

    [Fact]
    public void EmptyFileWithBomOnly()
    {
        string path = _files.WriteBytes("bom.csv", [0xEF, 0xBB, 0xBF]);
        var e = Assert.Throws<OccamException>(() => CsvLoader.Load(path, "y"));
        Assert.Contains("the file is empty", e.Message);
    }

    [Theory]
    [InlineData("x,y")]
    [InlineData("x,y\r\n\r\n")]
    public void HeaderOnly(string content)
    {
        var e = LoadError(content);
        Assert.Contains("the file has a header but no data rows; add rows below the header", e.Message);
    }

    [Fact]
    public void UnknownTargetListsColumns()
    {
        var e = LoadError("a,b,c\n1,2,3\n", target: "label");
        Assert.Contains("no target column 'label'; available columns: 'a', 'b', 'c'. Pass one of them as the target.", e.Message);
    }

    [Fact]
    public void UnknownTargetListOfManyColumnsIsShortened()
    {
        string header = string.Join(",", Enumerable.Range(0, 30).Select(i => $"c{i}"));
        string row = string.Join(",", Enumerable.Repeat("1", 30));
        var e = LoadError(header + "\n" + row + "\n", target: "label");
        Assert.Contains("'c19', … (10 more)", e.Message);
        Assert.DoesNotContain("'c20'", e.Message);
    }

    [Fact]
    public void DuplicateColumnNames()
    {
        var e = LoadError("a,b,a,y\n1,2,3,4\n");
        Assert.Contains("line 1: duplicate column name 'a' (columns 1 and 3); rename one of them.", e.Message);
    }

    [Fact]
    public void UnnamedColumn()
    {
        var e = LoadError("a,,y\n1,2,3\n");
        Assert.Contains("line 1: column 2 of the header has no name", e.Message);
    }

    [Fact]
    public void TargetOnlyHasNoFeatures()
    {
        var e = LoadError("y\n1\n2\n");
        Assert.Contains("the only column is the target 'y'; add feature columns", e.Message);
    }

    [Fact]
    public void TooFewCells()
    {
        var e = LoadError("a,b,y\n1,2,3\n4,5\n");
        Assert.Contains("line 3: 2 cells but the header has 3 (column 'y' and later are missing); give every row one cell per column.", e.Message);
    }

    [Fact]
    public void TooManyCells()
    {
        var e = LoadError("a,b,y\n1,2,3\n4,5,6,7\n");
        Assert.Contains("line 3: 4 cells but the header has 3 (there are cells after the last column 'y')", e.Message);
    }

    [Fact]
    public void BlankLineBetweenRows()
    {
        var e = LoadError("a,y\n1,2\n\n3,4\n");
        Assert.Contains("line 3: the line is blank; remove blank lines between rows.", e.Message);
    }

    [Fact]
    public void EmptyFeatureCell()
    {
        var e = LoadError("a,b,y\n1,2,3\n4, ,6\n");
        Assert.Contains("line 3, column 'b': the cell is empty; fill in the value or remove the row.", e.Message);
    }

    [Fact]
    public void EmptyTargetCell()
    {
        var e = LoadError("a,y\n1,2\n4,\n");
        Assert.Contains("line 3, column 'y': the target cell is empty", e.Message);
    }

    [Fact]
    public void NonNumericFeatureCell()
    {
        string path = _files.Write("data.csv", "p1,p2,p3,y\n" + string.Concat(Enumerable.Repeat("1,2,3,0\n", 15)) + "1,2,abc,1\n");
        var e = Assert.Throws<OccamException>(() => CsvLoader.Load(path, "y"));
        Assert.Equal($"{path} line 17, column 'p3': 'abc' is not a number; fix the value or remove the column.", e.Message);
    }

    [Theory]
    [InlineData("1,000")] // thousands separator inside quotes
    [InlineData("1,5")]   // decimal comma
    [InlineData("0x10")]
    [InlineData("1e")]
    [InlineData("--1")]
    public void LocaleAndOtherNumberFormatsAreRejected(string cell)
    {
        var e = LoadError($"a,y\n\"{cell}\",1\n");
        Assert.Contains($"line 2, column 'a': '{cell}' is not a number", e.Message);
    }

    [Theory]
    [InlineData("nan")]
    [InlineData("NaN")]
    [InlineData("-NAN")]
    [InlineData("inf")]
    [InlineData("-Inf")]
    [InlineData("+INF")]
    [InlineData("infinity")]
    [InlineData("-Infinity")]
    [InlineData("1e400")]
    [InlineData("-1.7976931348623159e308")]
    public void NonFiniteFeatureCell(string cell)
    {
        var e = LoadError($"a,y\n1,2\n{cell},3\n");
        Assert.Contains($"line 3, column 'a': '{cell}' is not a finite number (NaN and infinity are not allowed)", e.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(TaskKind.Regression)]
    public void NonFiniteTargetCell(TaskKind? task)
    {
        var e = LoadError("a,y\n1,2\n2,-inf\n", task: task);
        Assert.Contains("line 3, column 'y': '-inf' is not a finite number", e.Message);
    }

    [Fact]
    public void LargestFloat32ValueIsAccepted()
    {
        // The networks compute in float32: the largest accepted magnitude is float.MaxValue (larger: Float32RangeTests).
        var d = CsvLoader.Load(_files.Write("max.csv", "a,y\n3.4028235e38,1\n-5e-324,2\n"), "y");
        Assert.Equal(float.MaxValue, (float)d.X[0]);
        Assert.Equal(-double.Epsilon, d.X[1]);
    }

    [Fact]
    public void UnclosedQuote()
    {
        var e = LoadError("a,y\n1,2\n\"3,4\n5,6\n");
        Assert.Contains("line 3: a quoted field is never closed", e.Message);
    }

    [Fact]
    public void TextAfterClosingQuote()
    {
        var e = LoadError("a,y\n\"1\"x,2\n");
        Assert.Contains("line 2: unexpected text after a closing quote", e.Message);
    }

    [Fact]
    public void InvalidUtf8()
    {
        string path = _files.WriteBytes("latin1.csv", [(byte)'a', (byte)',', (byte)'y', (byte)'\n', 0xE9, (byte)',', (byte)'1', (byte)'\n']);
        var e = Assert.Throws<OccamException>(() => CsvLoader.Load(path, "y"));
        Assert.Contains("not valid UTF-8", e.Message);
    }

    [Fact]
    public void Folder()
    {
        string dir = Path.GetTempPath();
        var e = Assert.Throws<OccamException>(() => CsvLoader.Load(dir, "y"));
        Assert.Contains("is a folder", e.Message);
    }

    // ---- LoadFeatures --------------------------------------------------------------------------

    [Fact]
    public void LoadFeaturesPicksNamedColumnsInTheGivenOrder()
    {
        string path = _files.Write("f.csv", "id,b,label,a\nr1,2,cat,1\nr2,4,dog,3\n");
        var d = CsvLoader.LoadFeatures(path, ["a", "b"]);
        Assert.Equal(["a", "b"], d.FeatureNames);
        Assert.Equal([1.0, 2, 3, 4], d.X);
        Assert.Equal([0.0, 0], d.Y);
        Assert.Equal(TaskKind.Regression, d.Task);
        Assert.Equal("", d.TargetName);
    }

    [Fact]
    public void LoadFeaturesWithoutNamesTakesAllButIgnored()
    {
        string path = _files.Write("f.csv", "a,y,b\n1,x,2\n3,z,4\n");
        var d = CsvLoader.LoadFeatures(path, null, ignore: "y");
        Assert.Equal(["a", "b"], d.FeatureNames);
        Assert.Equal([1.0, 2, 3, 4], d.X);
        Assert.Equal("y", d.TargetName);

        // The ignored column need not exist.
        var all = CsvLoader.LoadFeatures(_files.Write("g.csv", "a,b\n1,2\n"), null, ignore: "y");
        Assert.Equal(["a", "b"], all.FeatureNames);
        Assert.Equal(2, CsvLoader.LoadFeatures(_files.Write("h.csv", "a,b\n1,2\n"), null).Features);
    }

    [Fact]
    public void LoadFeaturesErrors()
    {
        string path = _files.Write("f.csv", "a,b,c\n1,2,x\n");
        var e = Assert.Throws<OccamException>(() => CsvLoader.LoadFeatures(path, ["a", "z"]));
        Assert.Contains("the feature column 'z' is missing; available columns: 'a', 'b', 'c'", e.Message);
        e = Assert.Throws<OccamException>(() => CsvLoader.LoadFeatures(path, null));
        Assert.Contains("line 2, column 'c': 'x' is not a number", e.Message);
        e = Assert.Throws<OccamException>(() => CsvLoader.LoadFeatures(path, ["a", "a"]));
        Assert.Contains("'a' is requested twice", e.Message);
        e = Assert.Throws<OccamException>(() => CsvLoader.LoadFeatures(_files.Write("g.csv", "a,b\n1\n"), ["a"]));
        Assert.Contains("line 2: 1 cell but the header has 2", e.Message);
        e = Assert.Throws<OccamException>(() => CsvLoader.LoadFeatures(_files.Write("h.csv", "a,b\n"), ["a"]));
        Assert.Contains("no data rows", e.Message);
    }

    // ---- LoadForModel --------------------------------------------------------------------------

    [Fact]
    public void LoadForModelKeepsTheModelsClassIndicesAndFeatureOrder()
    {
        // The file lacks class "b" and has an extra column; features come in the model's order.
        string path = _files.Write("eval.csv", "y,extra,b1,a1\nc,9,2,1\na,9,4,3\nc,9,6,5\n");
        var d = CsvLoader.LoadForModel(path, ["a1", "b1"], "y", TaskKind.Multiclass, ["a", "b", "c"]);
        Assert.Equal(["a1", "b1"], d.FeatureNames);
        Assert.Equal([1.0, 2, 3, 4, 5, 6], d.X);
        Assert.Equal([2.0, 0, 2], d.Y);
        Assert.Equal(["a", "b", "c"], d.Classes!);
        Assert.Equal(TaskKind.Multiclass, d.Task);

        // Plain Load would have inferred a binary task with different indices.
        var inferred = CsvLoader.Load(path, "y");
        Assert.Equal(TaskKind.Binary, inferred.Task);
        Assert.Equal([1.0, 0, 1], inferred.Y);
    }

    [Fact]
    public void LoadForModelMatchesNumericLabelsByValue()
    {
        string path = _files.Write("eval.csv", "x,y\n1,1.0\n2,0\n3, 1 \n");
        var d = CsvLoader.LoadForModel(path, ["x"], "y", TaskKind.Binary, ["0", "1"]);
        Assert.Equal([1.0, 0, 1], d.Y);
    }

    [Fact]
    public void LoadForModelRegression()
    {
        string path = _files.Write("eval.csv", "x,y\n1,1\n2,0\n");
        var d = CsvLoader.LoadForModel(path, ["x"], "y", TaskKind.Regression, null);
        Assert.Equal([1.0, 0], d.Y);
        Assert.Null(d.Classes);
        var e = Assert.Throws<OccamException>(() => CsvLoader.LoadForModel(_files.Write("bad.csv", "x,y\n1,2\n2,abc\n"), ["x"], "y", TaskKind.Regression, null));
        Assert.Contains("line 3, column 'y': 'abc' is not a number, but the model does regression", e.Message);
        e = Assert.Throws<OccamException>(() => CsvLoader.LoadForModel(_files.Write("nan.csv", "x,y\n1,NaN\n"), ["x"], "y", TaskKind.Regression, null));
        Assert.Contains("line 2, column 'y': 'NaN' is not a finite number", e.Message);
    }

    [Fact]
    public void LoadForModelErrors()
    {
        string path = _files.Write("eval.csv", "x,y\n1,a\n2,q\n");
        var e = Assert.Throws<OccamException>(() => CsvLoader.LoadForModel(path, ["x"], "y", TaskKind.Binary, ["a", "b"]));
        Assert.Contains("line 3, column 'y': label 'q' is not one of the model's classes ('a', 'b'); remove the row or use data with the model's classes.", e.Message);
        e = Assert.Throws<OccamException>(() => CsvLoader.LoadForModel(path, ["x"], "label", TaskKind.Binary, ["a", "b"]));
        Assert.Contains("no target column 'label'; available columns: 'x', 'y'", e.Message);
        e = Assert.Throws<OccamException>(() => CsvLoader.LoadForModel(path, ["w"], "y", TaskKind.Binary, ["a", "b"]));
        Assert.Contains("the feature column 'w' is missing", e.Message);
        e = Assert.Throws<OccamException>(() => CsvLoader.LoadForModel(path, ["y"], "y", TaskKind.Binary, ["a", "b"]));
        Assert.Contains("column 'y' is both a feature and the target", e.Message);
        Assert.Throws<ArgumentException>(() => CsvLoader.LoadForModel(path, ["x"], "y", TaskKind.Binary, null));
        Assert.Throws<ArgumentException>(() => CsvLoader.LoadForModel(path, ["x"], "y", TaskKind.Binary, ["a", "a"]));
    }

    [Fact]
    public void RoundTripOfWrittenValues()
    {
        var rng = new Occam.Numerics.Random.Rng(7);
        int rows = 50, features = 4;
        var x = new double[rows * features];
        var sb = new StringBuilder("f0,f1,f2,f3,y\n");
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < features; j++)
            {
                double v = (rng.NextDouble() - 0.5) * Math.Pow(10, rng.NextInt(20) - 10);
                x[i * features + j] = v;
                sb.Append(v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)).Append(',');
            }
            sb.Append(i % 2 == 0 ? "even" : "odd").Append('\n');
        }
        var d = CsvLoader.Load(_files.Write("rt.csv", sb.ToString()), "y");
        Assert.Equal(x, d.X);
        Assert.Equal(TaskKind.Binary, d.Task);
        Assert.Equal(["even", "odd"], d.Classes!);
        Assert.Equal(Enumerable.Range(0, rows).Select(i => (double)(i % 2)), d.Y);

        var f = CsvLoader.LoadFeatures(_files.Write("rt.csv", sb.ToString()), d.FeatureNames, "y");
        Assert.Equal(x, f.X);
    }
}
