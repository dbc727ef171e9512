using System.Text.Json;
using Occam.Nn;
using Occam.Optimizers;
using Occam.Regularization;

namespace Occam.Tests.Optimizers;

/// <summary>
/// The pure update functions against torch 1.13 (tests/golden/torch_optimizers.json): 20 steps on fixed gradient
/// sequences, for a penalized "weight" and an unpenalized "bias". Occam rounds like torch's CPU kernels, so the
/// trajectories must agree to the last bit (0 ulps, weight and bias, every step).
/// </summary>
public class TorchOptimizerGoldenTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        using var doc = JsonDocument.Parse(File.ReadAllText(Repo.Golden("torch_optimizers.json")));
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray()) data.Add(c.GetProperty("name").GetString()!);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTorch(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Repo.Golden("torch_optimizers.json")));
        var c = doc.RootElement.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        string kind = c.GetProperty("optimizer").GetString()!;
        Assert.True(OptimizerOptions.TryParseKind(kind, out var k));
        var options = new OptimizerOptions
        {
            Kind = k,
            LearningRate = c.GetProperty("lr").GetDouble(),
            Momentum = c.GetProperty("momentum").GetDouble(),
            Dampening = c.GetProperty("dampening").GetDouble(),
            Beta1 = k is OptimizerKind.Adam or OptimizerKind.AdamW ? c.GetProperty("beta1").GetDouble() : 0.9,
            Beta2 = k is OptimizerKind.Adam or OptimizerKind.AdamW ? c.GetProperty("beta2").GetDouble() : 0.999,
            Epsilon = k is OptimizerKind.Adam or OptimizerKind.AdamW ? c.GetProperty("eps").GetDouble() : 1e-8,
        };
        var optimizer = options.Create();
        var coupled = ElasticNetPenalty.Ridge(c.GetProperty("coupledL2").GetDouble());
        double decay = c.GetProperty("weightDecay").GetDouble();
        var p = Training.TorchGolden.Floats(c.GetProperty("p0"));
        var b = Training.TorchGolden.Floats(c.GetProperty("bias0"));
        var weight = new Parameter("0.weight", ParameterKind.Weight, p);
        var bias = new Parameter("0.bias", ParameterKind.Bias, b);
        optimizer.Initialize([weight, bias]);
        var grads = c.GetProperty("grads").EnumerateArray().Select(Training.TorchGolden.Floats).ToArray();
        var biasGrads = c.GetProperty("biasGrads").EnumerateArray().Select(Training.TorchGolden.Floats).ToArray();
        var expected = c.GetProperty("params").EnumerateArray().Select(Training.TorchGolden.Floats).ToArray();
        var expectedBias = c.GetProperty("biasParams").EnumerateArray().Select(Training.TorchGolden.Floats).ToArray();
        for (int t = 0; t < grads.Length; t++)
        {
            optimizer.BeginStep();
            grads[t].CopyTo(weight.Gradient, 0);
            coupled.AddGradient(p, weight.Gradient);
            optimizer.Step(weight, decay, 0);
            biasGrads[t].CopyTo(bias.Gradient, 0);
            optimizer.Step(bias, 0, 0);
            AssertUlps(expected[t], p, $"{name} weight, step {t + 1}");
            AssertUlps(expectedBias[t], b, $"{name} bias, step {t + 1}");
        }
    }

    private static void AssertUlps(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            int ulps = Math.Abs(BitConverter.SingleToInt32Bits(expected[i]) - BitConverter.SingleToInt32Bits(actual[i]));
            Assert.True(ulps == 0, $"{what}[{i}]: torch {expected[i]:R}, occam {actual[i]:R} ({ulps} ulps)");
        }
    }
}
