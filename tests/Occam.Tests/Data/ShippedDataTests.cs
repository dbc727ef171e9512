using Occam.Data;

namespace Occam.Tests.Data;

public class ShippedDataTests
{
    private static string Data(string name) => Path.Combine(TestFiles.DataDir, name);

    [Fact]
    public void Digits()
    {
        var d = CsvLoader.Load(Data("digits.csv"), "digit");
        Assert.Equal(1797, d.Rows);
        Assert.Equal(64, d.Features);
        Assert.Equal(TaskKind.Multiclass, d.Task);
        Assert.Equal(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"], d.Classes!);
        Assert.Equal("p00", d.FeatureNames[0]);
        Assert.Equal("p77", d.FeatureNames[63]);
        Assert.All(d.X, v => Assert.InRange(v, 0, 16));
        // First row of sklearn's digits: 0,0,5,13,9,1,0,0 and target 0.
        Assert.Equal([0.0, 0, 5, 13, 9, 1, 0, 0], d.Row(0)[..8].ToArray());
        Assert.Equal(0.0, d.Y[0]);
        Assert.Equal(10, d.Y.Distinct().Count());
    }

    [Fact]
    public void Diabetes()
    {
        var d = CsvLoader.Load(Data("diabetes.csv"), "progression");
        Assert.Equal(442, d.Rows);
        Assert.Equal(10, d.Features);
        Assert.Equal(TaskKind.Regression, d.Task);
        Assert.Null(d.Classes);
        Assert.Equal(["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"], d.FeatureNames);
        Assert.Equal([59.0, 2, 32.1, 101, 157, 93.2, 38, 4, 4.8598, 87], d.Row(0).ToArray());
        Assert.Equal(151.0, d.Y[0]);
    }

    [Fact]
    public void BreastCancer()
    {
        var d = CsvLoader.Load(Data("breast_cancer.csv"), "benign");
        Assert.Equal(569, d.Rows);
        Assert.Equal(30, d.Features);
        Assert.Equal(TaskKind.Binary, d.Task);
        Assert.Equal(["0", "1"], d.Classes!);
        Assert.Equal(357, d.Y.Count(v => v == 1)); // 357 benign, 212 malignant
    }

    [Fact]
    public void Iris()
    {
        var d = CsvLoader.Load(Data("iris.csv"), "species");
        Assert.Equal(150, d.Rows);
        Assert.Equal(4, d.Features);
        Assert.Equal(TaskKind.Multiclass, d.Task);
        Assert.Equal(["setosa", "versicolor", "virginica"], d.Classes!);
    }

    [Fact]
    public void Wine()
    {
        var d = CsvLoader.Load(Data("wine.csv"), "cultivar");
        Assert.Equal(178, d.Rows);
        Assert.Equal(13, d.Features);
        Assert.Equal(TaskKind.Multiclass, d.Task);
        Assert.Equal(["0", "1", "2"], d.Classes!);
        Assert.Equal([59, 71, 48], d.Y.GroupBy(v => v).OrderBy(g => g.Key).Select(g => g.Count()));
    }

    [Fact]
    public void Mnist()
    {
        var d = IdxLoader.Load(Data("mnist-10k-images-idx3-ubyte.gz"), Data("mnist-10k-labels-idx1-ubyte.gz"));
        Assert.Equal(10000, d.Rows);
        Assert.Equal(784, d.Features);
        Assert.Equal(TaskKind.Multiclass, d.Task);
        Assert.Equal(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"], d.Classes!);
        Assert.Equal("p0_0", d.FeatureNames[0]);
        Assert.Equal("p27_27", d.FeatureNames[783]);
        Assert.All(d.X, v => Assert.True(v >= 0 && v <= 255 && v == Math.Floor(v)));
        Assert.Equal(255.0, d.X.Max());
        Assert.Equal(10, d.Y.Distinct().Count());
    }
}
