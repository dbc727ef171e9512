using Occam.Data;

namespace Occam.Tests.Data;

public class PolynomialPipelineTests
{
    [Fact]
    public void ExpandsChosenColumnsAndSelectsInputsByName()
    {
        var p = PolynomialPipeline.Create(["a", "b", "c"], 3, ["c", "a"]);
        Assert.Equal(["a", "b", "c", "c^2", "c^3", "a^2", "a^3"], p.Features);
        Assert.Equal([1, 2, 3, 9, 27, 1, 1], p.Apply([1, 2, 3], 1));
        // A dataset with the inputs in another order and an extra column: read by name.
        var data = new Dataset([3, 9, 1, 2], [0], 1, 4, ["c", "extra", "a", "b"], "y", TaskKind.Regression);
        var expanded = p.Apply(data);
        Assert.Equal(p.Features, expanded.FeatureNames);
        Assert.Equal([1, 2, 3, 9, 27, 1, 1], expanded.X);
        Assert.Equal(["a", "b"], PolynomialPipeline.Identity(["a", "b"]).Features);
        Assert.Equal(["a", "b", "a^2", "b^2"], PolynomialPipeline.Create(["a", "b"], 2, null).Features);
    }

    [Fact]
    public void BadPipelinesAreOccamErrors()
    {
        Assert.Contains("'z' is not a feature", Assert.Throws<OccamException>(() => PolynomialPipeline.Create(["a"], 2, ["z"])).Message);
        Assert.Contains("twice", Assert.Throws<OccamException>(() => PolynomialPipeline.Create(["a"], 2, ["a", "a"])).Message);
        Assert.Contains("without a degree", Assert.Throws<OccamException>(() => PolynomialPipeline.Create(["a"], 1, ["a"])).Message);
        Assert.Contains("at least 1", Assert.Throws<OccamException>(() => PolynomialPipeline.Create(["a"], 0, null)).Message);
        Assert.Contains("at least one polynomial column", Assert.Throws<OccamException>(() => PolynomialPipeline.Create(["a"], 2, [])).Message);
        var collision = Assert.Throws<OccamException>(() => PolynomialPipeline.Create(["x", "x^2"], 2, ["x"]));
        Assert.Contains("'x^2'", collision.Message);
        var data = new Dataset([1], [0], 1, 1, ["b"], "y", TaskKind.Regression);
        Assert.Contains("'a'", Assert.Throws<OccamException>(() => PolynomialPipeline.Create(["a"], 2, null).Apply(data)).Message);
    }
}
