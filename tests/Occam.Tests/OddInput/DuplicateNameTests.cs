using Occam.Data;
using Occam.Linear;
using Occam.Serialization;
using Occam.Tests.Data;

namespace Occam.Tests.OddInput;

/// <summary>
/// Issue 11: duplicate class or feature names in model files were accepted (and a polynomial feature could take the
/// name of an existing column). Each is refused with the file and the JSON path of the repeat.
/// </summary>
public sealed class DuplicateNameTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private const string Layers = "\"layers\":[{\"type\":\"dense\",\"weight\":[[1,2],[3,4],[5,6]],\"bias\":[0,0,0]}]";

    [Theory]
    [InlineData("""{"format":"occam-mlp/1","task":"multiclass","inputs":2,LAYERS,"classes":["a","b","a"]}""", "m.json: $.classes[2] 'a' is the same label as $.classes[0] 'a'")]
    [InlineData("""{"format":"occam-mlp/1","task":"multiclass","inputs":2,LAYERS,"classes":["1"," 2","2"]}""", "m.json: $.classes[2] '2' is the same label as $.classes[1] ' 2'")]
    [InlineData("""{"format":"occam-mlp/1","task":"multiclass","inputs":2,LAYERS,"classes":["1","1.0","3"]}""", "m.json: $.classes[1] '1.0' is the same label as $.classes[0] '1'")]
    [InlineData("""{"format":"occam-mlp/1","task":"multiclass","inputs":2,LAYERS,"features":["x","x"]}""", "m.json: $.features[1] 'x' repeats $.features[0]")]
    public void MlpModelWithDuplicateNamesIsRefused(string json, string expected)
    {
        var e = Assert.Throws<OccamException>(() => MlpJson.Parse(json.Replace("LAYERS", Layers, StringComparison.Ordinal), "m.json"));
        Assert.StartsWith(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void MlpModelWithDistinctNamesLoads()
    {
        var m = MlpJson.Parse($$"""{"format":"occam-mlp/1","task":"multiclass","inputs":2,{{Layers}},"classes":["1","1.5","x"],"features":["x","X"]}""", "m.json");
        Assert.Equal(["1", "1.5", "x"], m.Classes!);
        Assert.Equal(["x", "X"], m.FeatureNames!);
    }

    private static string Linear(string features, string inputs, string poly, int degree, string classes = "") =>
        $$"""{"format":"occam-linear/1","task":"{{(classes.Length > 0 ? "binary" : "regression")}}","features":[{{features}}],"coef":[{{string.Join(",", Enumerable.Repeat("1", features.Split(',').Length))}}],"intercept":0,"alpha":0.1,"l1Ratio":1,"degree":{{degree}},"inputs":[{{inputs}}],"polynomialColumns":[{{poly}}]{{classes}}}""";

    [Theory]
    [InlineData("\"a\",\"a\"", "\"a\",\"a\"", "", 1, "", "$.features[1] 'a' repeats $.features[0]")]
    [InlineData("\"a\",\"b\"", "\"a\",\"a\"", "", 1, "", "$.inputs[1] 'a' repeats $.inputs[0]")]
    [InlineData("\"a\",\"b\",\"a^2\",\"a^2\"", "\"a\",\"b\"", "\"a\",\"a\"", 2, "", "$.features[3] 'a^2' repeats $.features[2]")]
    [InlineData("\"a\",\"b\"", "\"a\",\"b\"", "", 1, ",\"classes\":[\"yes\",\"yes\"]", "$.classes[1] 'yes' is the same label as $.classes[0] 'yes'")]
    public void LinearModelWithDuplicateNamesIsRefused(string features, string inputs, string poly, int degree, string classes, string expected)
    {
        string path = _files.Write("lin.json", Linear(features, inputs, poly, degree, classes));
        var e = Assert.Throws<OccamException>(() => LinearModel.Load(path));
        Assert.StartsWith($"{path}: {expected}", e.Message);
    }

    [Fact]
    public void LinearModelWithPolynomialColumnsListedTwiceIsRefused()
    {
        string path = _files.Write("lin.json", Linear("\"a\",\"a^2\"", "\"a\"", "\"a\",\"a\"", 2));
        var e = Assert.Throws<OccamException>(() => LinearModel.Load(path));
        Assert.StartsWith($"{path}: $.polynomialColumns[1] 'a' repeats $.polynomialColumns[0]", e.Message);
    }

    [Fact]
    public void LinearModelWithDistinctNamesLoadsAndPredicts()
    {
        string path = _files.Write("lin.json", Linear("\"a\",\"b\",\"a^2\"", "\"a\",\"b\"", "\"a\"", 2));
        var m = LinearModel.Load(path);
        Assert.Equal([1.0 + 2 + 1, 3 + 4 + 9], m.Predict(new double[,] { { 1, 2 }, { 3, 4 } }));
    }

    [Fact]
    public void PolynomialNameCollidingWithAColumnIsRefused()
    {
        var e = Assert.Throws<OccamException>(() => PolynomialFeatures.Names(["bmi^2", "bmi", "age"], 2, [1]));
        Assert.Equal("the polynomial feature 'bmi^2' (a power of 'bmi') has the name of the column 'bmi^2'; rename that column or leave 'bmi' out of the polynomial columns.", e.Message);
        // Powers of other columns, or a degree that does not reach the taken name, are fine.
        Assert.Equal(["bmi^3", "bmi", "age", "age^2"], PolynomialFeatures.Names(["bmi^3", "bmi", "age"], 2, [2]));
        Assert.Equal(["bmi^3", "bmi", "bmi^2"], PolynomialFeatures.Names(["bmi^3", "bmi"], 2, [1]));
        Assert.Throws<OccamException>(() => PolynomialFeatures.Names(["bmi^3", "bmi"], 3, [1]));
    }

    [Fact]
    public void DuplicateCsvHeaderNamesBothColumns()
    {
        string path = _files.Write("dup.csv", "a,b,a,y\n1,2,3,0\n");
        var e = Assert.Throws<OccamException>(() => CsvLoader.Load(path, "y"));
        Assert.Equal($"{path} line 1: duplicate column name 'a' (columns 1 and 3); rename one of them.", e.Message);
    }

    [Fact]
    public void ColumnNamesWithLineBreaksStayOnOneLineInMessages()
    {
        // Found by the CSV fuzz test: a quoted header name holding a line break made a two-line error.
        string path = _files.Write("nl.csv", "a,\"x\ny\",z\n1,2,3\n");
        var e = Assert.Throws<OccamException>(() => CsvLoader.Load(path, "y"));
        Assert.Equal($"{path}: no target column 'y'; available columns: 'a', 'x\\ny', 'z'. Pass one of them as the target.", e.Message);
    }
}
