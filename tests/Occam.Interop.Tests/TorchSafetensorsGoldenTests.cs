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
    // Relative to max(1, |value|). Occam's float32 forward against torch's float32 forward (both round, in different
    // orders): 1e-6, the bound (measured 7.6e-7 on the AVX-512 machine these files were made on). Against torch's
    // float64 evaluation of the same float32 weights and inputs (the exact prediction of those weights) each float32
    // forward is off by up to ~1.2e-6, so that comparison is only a sanity check at 2e-6.
    private const double Tolerance = 1e-6;
    private const double ExactTolerance = 2e-6;

    private static string Golden(string name) => Repo.Golden(Path.Combine("safetensors", name));

    private sealed record Expected(string? Arch, int Rows, int Columns, double[] X, double[] Scores, double[] Scores64);

    private static readonly JsonSerializerOptions CaseInsensitive = new() { PropertyNameCaseInsensitive = true };

    private static Expected Read(string name) => JsonSerializer.Deserialize<Expected>(File.ReadAllText(Golden(name)), CaseInsensitive)!;

    private void Check(string what, Mlp model, Expected e)
    {
        var scores = model.PredictScores(e.X, e.Rows).Select(v => (double)v).ToArray();
        var (rel, abs) = Ort.MaxDifference(scores, e.Scores64);
        var (rel32, abs32) = Ort.MaxDifference(scores, e.Scores);
        output.WriteLine($"{what}: vs torch float64 max |Δ| = {abs:E2} (relative {rel:E2}); vs torch float32 max |Δ| = {abs32:E2} (relative {rel32:E2}); {e.Scores.Length} values");
        Assert.True(rel32 <= Tolerance, $"{what}: {rel32:E3} > {Tolerance:E0} against torch float32");
        Assert.True(rel <= ExactTolerance, $"{what}: {rel:E3} > {ExactTolerance:E0} against torch float64");
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
