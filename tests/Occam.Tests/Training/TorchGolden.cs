using System.Text.Json;
using Occam.Nn;
using Occam.Optimizers;
using Occam.Regularization;
using Occam.Serialization;
using Occam.Training;

namespace Occam.Tests.Training;

/// <summary>Reads tests/golden/torch_training.json (written by tests/golden/torch_training.py).</summary>
internal static class TorchGolden
{
    internal sealed record Case(string Name, Mlp Init, Mlp Final, float[] X, float[] Y, int Rows, TrainingOptions Options, NetworkRegularization Regularization, float[] DataLoss, JsonElement Hyper);

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var c in Load()) data.Add(c.Name);
        return data;
    }

    internal static List<Case> Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Repo.Golden("torch_training.json")));
        var list = new List<Case>();
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            var init = MlpJson.Parse(c.GetProperty("init").GetRawText(), "init");
            var final = MlpJson.Parse(c.GetProperty("final").GetRawText(), "final");
            var rows = c.GetProperty("x").EnumerateArray().Select(Floats).ToArray();
            var x = rows.SelectMany(r => r).ToArray();
            var y = c.GetProperty("y").EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();
            var h = c.GetProperty("hyper").Clone();
            Assert.True(OptimizerOptions.TryParseKind(h.GetProperty("optimizer").GetString()!, out var kind));
            if (kind == OptimizerKind.Momentum && h.GetProperty("nesterov").GetBoolean()) kind = OptimizerKind.Nesterov;
            var reg = new LayerRegularization(new ElasticNetPenalty(h.GetProperty("l1").GetDouble(), h.GetProperty("l2").GetDouble(), L1Mode.Subgradient),
                WeightDecay: h.GetProperty("weightDecay").GetDouble());
            var options = new TrainingOptions
            {
                Optimizer = new OptimizerOptions
                {
                    Kind = kind,
                    LearningRate = h.GetProperty("lr").GetDouble(),
                    Momentum = h.GetProperty("momentum").GetDouble(),
                    Beta1 = kind is OptimizerKind.Adam or OptimizerKind.AdamW ? h.GetProperty("beta1").GetDouble() : 0.9,
                    Beta2 = kind is OptimizerKind.Adam or OptimizerKind.AdamW ? h.GetProperty("beta2").GetDouble() : 0.999,
                    Epsilon = kind is OptimizerKind.Adam or OptimizerKind.AdamW ? h.GetProperty("eps").GetDouble() : 1e-8,
                },
                BatchSize = 0,
                Shuffle = false,
                Epochs = h.GetProperty("steps").GetInt32(),
            };
            var loss = c.GetProperty("dataLoss").EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();
            list.Add(new Case(c.GetProperty("name").GetString()!, init, final, x, y, rows.Length, options, NetworkRegularization.Uniform(reg, init.DenseLayers.Count), loss, h));
        }
        return list;
    }

    internal static float[] Floats(JsonElement e) => e.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();

    internal static void AssertClose(Mlp expected, Mlp actual, double tolerance, string name)
    {
        double worst = 0;
        for (int k = 0; k < expected.DenseLayers.Count; k++)
        {
            var e = expected.DenseLayers[k];
            var a = actual.DenseLayers[k];
            for (int i = 0; i < e.Weight.Length; i++) worst = Math.Max(worst, Math.Abs(e.Weight[i] - a.Weight[i]) / Math.Max(1, Math.Abs(e.Weight[i])));
            for (int i = 0; i < e.Bias.Length; i++) worst = Math.Max(worst, Math.Abs(e.Bias[i] - a.Bias[i]) / Math.Max(1, Math.Abs(e.Bias[i])));
        }
        Assert.True(worst <= tolerance, $"{name}: largest difference from torch {worst:e3} > {tolerance:e1}");
    }
}
