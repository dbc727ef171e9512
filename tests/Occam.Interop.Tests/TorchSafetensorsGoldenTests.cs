using System.Text.Json;
using Occam.Data;
using Occam.Interop.Safetensors;
using Occam.Nn;
using Occam.Serialization;
using Occam.Tests;
using Xunit.Abstractions;

namespace Occam.Interop.Tests;

/// <summary>
/// PyTorch weights in and out, against files written by tests/golden/torch_safetensors.py (torch 1.13, float32):
/// a torch-trained net imported into Occam predicts what torch predicted, and an Occam net exported to safetensors is
/// byte for byte what torch loaded, with torch's predictions equal to Occam's.
/// </summary>
public class TorchSafetensorsGoldenTests(ITestOutputHelper output)
{
    // float32 on both sides; only the summation order differs. Relative to max(1, |value|).
    private const double Tolerance = 1e-6;

    private static string Golden(string name) => Repo.Golden(Path.Combine("safetensors", name));

    private sealed record Expected(string? Arch, int Rows, int Columns, double[] X, double[] Scores);

    private static readonly JsonSerializerOptions CaseInsensitive = new() { PropertyNameCaseInsensitive = true };

    private static Expected Read(string name) => JsonSerializer.Deserialize<Expected>(File.ReadAllText(Golden(name)), CaseInsensitive)!;

    private void Check(string what, Mlp model, Expected e)
    {
        var scores = model.PredictScores(e.X, e.Rows).Select(v => (double)v).ToArray();
        var (rel, abs) = Ort.MaxDifference(scores, e.Scores);
        output.WriteLine($"{what}: max |Δ| = {abs:E2}, relative {rel:E2} over {e.Scores.Length} values");
        Assert.True(rel <= Tolerance, $"{what}: {rel:E3} > {Tolerance:E0}");
    }

    [Fact]
    public void TorchTrainedIrisNetImportsWithItsSidecar()
    {
        var model = SafetensorsModel.Import(Golden("torch_iris.safetensors"),
            new SafetensorsImportOptions { SidecarPath = Golden("torch_iris.safetensors.json") });
        Assert.Equal(TaskKind.Multiclass, model.Task);
        Assert.Equal(["setosa", "versicolor", "virginica"], model.Classes);
        Assert.NotNull(model.Standardizer);
        Assert.Equal("8-tanh-dropout:0.1-8-relu-3", SequentialSpec.Format(model));
        Check("torch → Occam, iris", model, Read("torch_iris_expected.json"));
    }

    [Fact]
    public void TorchRegressionNetImportsWithArchAndTask()
    {
        var e = Read("torch_diabetes_expected.json");
        var model = SafetensorsModel.Import(Golden("torch_diabetes.safetensors"),
            new SafetensorsImportOptions { Arch = e.Arch, Task = TaskKind.Regression });
        Assert.Null(model.Standardizer);
        Check("torch → Occam, diabetes", model, e);
    }

    [Fact]
    public void OccamExportIsWhatTorchLoadedAndPredictsTheSame()
    {
        var model = MlpJson.Load(Golden("occam_digits.json"));
        using var ms = new MemoryStream();
        SafetensorsFile.Write(ms, SafetensorsModel.Tensors(model), new Dictionary<string, string> { ["format"] = "pt" });
        Assert.Equal(File.ReadAllBytes(Golden("occam_digits.safetensors")), ms.ToArray());
        Assert.Equal(File.ReadAllText(Golden("occam_digits.safetensors.json")), SafetensorsModel.Sidecar(model));
        Check("Occam → torch, digits", model, Read("occam_digits_torch.json"));
    }
}
