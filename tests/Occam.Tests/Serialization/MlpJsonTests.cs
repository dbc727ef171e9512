using Occam.Data;
using Occam.Nn;
using Occam.Numerics.Activations;
using Occam.Numerics.Random;
using Occam.Serialization;

namespace Occam.Tests.Serialization;

public class MlpJsonTests
{
    private static Mlp Model() => Mlp.Create(new MlpSpec(3, [4, 2], 3, TaskKind.Multiclass, ActivationKind.Tanh, 0.25), new Rng(9UL),
        new Standardizer([1, 2, 3], [0.5, 1, 2]), ["a", "b", "c"], ["x", "y", "z"], "label");

    [Fact]
    public void RoundTripIsExact()
    {
        var m = Model();
        m.DenseLayers[0].Weight[0] = 1e-30f;
        m.DenseLayers[0].Weight[1] = 0f;
        var back = MlpJson.Parse(MlpJson.ToJson(m));
        Assert.Equal(MlpJson.ToJson(m), MlpJson.ToJson(back));
        for (int k = 0; k < m.DenseLayers.Count; k++)
        {
            Assert.Equal(m.DenseLayers[k].Weight, back.DenseLayers[k].Weight);
            Assert.Equal(m.DenseLayers[k].Bias, back.DenseLayers[k].Bias);
        }
        Assert.Equal(m.Standardizer!.Mean, back.Standardizer!.Mean);
        Assert.Equal(["a", "b", "c"], back.Classes);
        Assert.Equal(["x", "y", "z"], back.FeatureNames);
        Assert.Equal("label", back.TargetName);
        Assert.Equal(0.25, Assert.IsType<Dropout>(back.Layers[2]).P);
    }

    [Fact]
    public void WeightsAreOutByIn()
    {
        var json = """{"format":"occam-mlp/1","task":"regression","inputs":2,"layers":[{"type":"dense","weight":[[1,2],[3,4],[5,6]],"bias":[0,0,0]},{"type":"relu"},{"type":"dense","weight":[[1,1,1]],"bias":[0.5]}]}""";
        var m = MlpJson.Parse(json);
        Assert.Equal(3, m.DenseLayers[0].Outputs);
        Assert.Equal([3f, 4f], m.DenseLayers[0].Row(1).ToArray());
        // y = 1·relu(x·W1ᵀ) summed + 0.5; x = (1, 1): hidden = (3, 7, 11) → 21.5
        Assert.Equal(21.5f, m.PredictScores([1.0, 1.0], 1)[0]);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("""{"format":"occam-mlp/2","task":"regression","inputs":1,"layers":[]}""", "$.format")]
    [InlineData("""{"format":"occam-mlp/1","task":"ranking","inputs":1,"layers":[]}""", "$.task")]
    [InlineData("""{"format":"occam-mlp/1","task":"regression","inputs":0,"layers":[]}""", "$.inputs")]
    [InlineData("""{"format":"occam-mlp/1","task":"regression","inputs":2,"layers":[{"type":"dense","weight":[[1]],"bias":[0]}]}""", "$.layers[0].weight[0]")]
    [InlineData("""{"format":"occam-mlp/1","task":"regression","inputs":1,"layers":[{"type":"dense","weight":[[1]],"bias":[0,1]}]}""", "$.layers[0].bias")]
    [InlineData("""{"format":"occam-mlp/1","task":"regression","inputs":1,"layers":[{"type":"dense","weight":[["a"]],"bias":[0]}]}""", "finite number")]
    [InlineData("""{"format":"occam-mlp/1","task":"regression","inputs":1,"layers":[{"type":"dense","weight":[[1]],"bias":[0]},{"type":"gelu"}]}""", "gelu")]
    [InlineData("""{"format":"occam-mlp/1","task":"regression","inputs":1,"layers":[{"type":"dense","weight":[[1]],"bias":[0]},{"type":"relu"}]}""", "must end with a dense layer")]
    [InlineData("""{"format":"occam-mlp/1","task":"binary","inputs":1,"layers":[{"type":"dense","weight":[[1],[2]],"bias":[0,0]}]}""", "1 output")]
    [InlineData("""{"format":"occam-mlp/1","task":"regression","inputs":1,"layers":[{"type":"dropout","p":1.5},{"type":"dense","weight":[[1]],"bias":[0]}]}""", "[0, 1)")]
    [InlineData("""{"format":"occam-mlp/1","task":"regression","inputs":1,"layers":[{"type":"dense","weight":[[1]],"bias":[0]}],"standardizer":{"mean":[0],"scale":[0]}}""", "scales must be > 0")]
    public void InvalidModelsAreRejectedWithTheirPath(string json, string mention)
    {
        var e = Assert.Throws<OccamException>(() => MlpJson.Parse(json, "m.json"));
        Assert.StartsWith("m.json", e.Message);
        Assert.Contains(mention, e.Message);
    }

    [Fact]
    public void SaveIsAtomicAndRefusesNonFiniteWeights()
    {
        string dir = Path.Combine(Path.GetTempPath(), "occam-json-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string path = Path.Combine(dir, "m.json");
            File.WriteAllText(path, "old");
            var m = Model();
            m.DenseLayers[1].Bias[0] = float.NaN;
            Assert.Throws<OccamException>(() => MlpJson.Save(m, path));
            Assert.Equal("old", File.ReadAllText(path));
            Assert.Single(Directory.GetFiles(dir));   // no temporary file left behind
            m.DenseLayers[1].Bias[0] = 0;
            MlpJson.Save(m, path);
            Assert.Equal(MlpJson.ToJson(m), File.ReadAllText(path));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
