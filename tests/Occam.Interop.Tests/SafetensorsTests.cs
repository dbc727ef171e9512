using System.Buffers.Binary;
using System.Text;
using Occam.Data;
using Occam.Interop.Safetensors;
using Occam.Nn;
using Occam.Numerics.Activations;

namespace Occam.Interop.Tests;

public sealed class SafetensorsTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("occam-st").FullName;

    public void Dispose() => Directory.Delete(dir, true);

    private static Mlp Net() => new(3, TaskKind.Multiclass,
    [
        new Dense(3, 4, Enumerable.Range(0, 12).Select(i => i / 7f - 0.8f).ToArray(), [0.1f, 0.2f, -0.3f, 0.4f]),
        new ActivationLayer(ActivationKind.Relu),
        new Dropout(0.25),
        new Dense(4, 2, [1, -1, 0.5f, 0.25f, -2, 3, 0, 1], [0, 1]),
    ], new Standardizer([1, 2, 3], [0.5, 1, 2]), ["no", "yes"], ["a", "b", "c"], "y");

    private string Save(IReadOnlyList<SafeTensor> tensors, string name = "m.safetensors")
    {
        string path = Path.Combine(dir, name);
        using var f = File.Create(path);
        SafetensorsFile.Write(f, tensors);
        return path;
    }

    private static byte[] Raw(string header, int dataBytes)
    {
        var h = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + h.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)h.Length);
        h.CopyTo(bytes, 8);
        return bytes;
    }

    private static string Error(Action action)
    {
        var e = Assert.Throws<OccamException>(action);
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }

    [Fact]
    public void ExportImportRoundTripIsExact()
    {
        var model = Net();
        string path = Path.Combine(dir, "net.safetensors");
        SafetensorsModel.Export(model, path);
        var (tensors, meta) = SafetensorsFile.Read(path);
        Assert.Equal(["0.weight", "0.bias", "3.weight", "3.bias"], tensors.Select(t => t.Name));
        Assert.Equal([4L, 3L], tensors[0].Shape);
        Assert.Equal("pt", meta["format"]);
        Assert.Equal(0, (8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(File.ReadAllBytes(path))) % 8);
        var back = SafetensorsModel.Import(path, new SafetensorsImportOptions { SidecarPath = path + ".json" });
        Assert.Equal(Serialization.MlpJson.ToJson(model), Serialization.MlpJson.ToJson(back));
        var byArch = SafetensorsModel.Import(path, new SafetensorsImportOptions { Arch = "4-relu-dropout-2", Task = TaskKind.Multiclass });
        Assert.Equal(model.DenseLayers[1].Weight, byArch.DenseLayers[1].Weight);
        Assert.Null(byArch.Standardizer);
    }

    [Fact]
    public void RegressionTargetStandardizerTravelsInTheSidecar()
    {
        var model = new Mlp(2, TaskKind.Regression,
            [new Dense(2, 3, [1, 2, 3, 4, 5, 6], [0, 0, 1]), new ActivationLayer(ActivationKind.Tanh), new Dense(3, 1, [1, -1, 2], [0.5f])],
            new Standardizer([1, 2], [3, 4]), targetName: "y", targetStandardizer: new Standardizer([152], [77]));
        string path = Path.Combine(dir, "reg.safetensors");
        SafetensorsModel.Export(model, path);
        Assert.Contains("\"targetStandardizer\":{\"mean\":[152],\"scale\":[77]}", File.ReadAllText(path + ".json"), StringComparison.Ordinal);
        var back = SafetensorsModel.Import(path, new SafetensorsImportOptions { SidecarPath = path + ".json" });
        Assert.Equal(Serialization.MlpJson.ToJson(model), Serialization.MlpJson.ToJson(back));
    }

    [Fact]
    public void SidecarWritesNonAsciiNamesAsCharacters()
    {
        // Issue 11: every JSON Occam writes uses Serialization.JsonText (é and → as characters, still valid JSON).
        var model = new Mlp(2, TaskKind.Binary, [new Dense(2, 1, [1, 2], [0])], classes: ["non", "oui→"], featureNames: ["café", "naïve \"q\""]);
        string sidecar = SafetensorsModel.Sidecar(model);
        Assert.Contains("\"café\"", sidecar, StringComparison.Ordinal);
        Assert.Contains("\"oui→\"", sidecar, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u00", sidecar, StringComparison.Ordinal);
        using var doc = System.Text.Json.JsonDocument.Parse(sidecar);
        string path = Path.Combine(dir, "u.safetensors");
        SafetensorsModel.Export(model, path);
        var back = SafetensorsModel.Import(path, new SafetensorsImportOptions { SidecarPath = path + ".json" });
        Assert.Equal(["café", "naïve \"q\""], back.FeatureNames!);
    }

    [Theory]
    [InlineData("64-relu-64-relu-10", 5)]
    [InlineData("8-tanh-dropout:0.1-8-sigmoid-identity-3", 7)]
    [InlineData("1", 1)]
    public void SpecsParse(string spec, int modules) => Assert.Equal(modules, SequentialSpec.Parse(spec).Count);

    [Theory]
    [InlineData("", "empty")]
    [InlineData("64-relu", "must end with a layer width")]
    [InlineData("64-gelu-10", "'gelu'")]
    [InlineData("0-relu-10", "'0'")]
    [InlineData("8-dropout:1.5-2", "dropout probability")]
    public void BadSpecsNameThePart(string spec, string expected) =>
        Assert.Contains(expected, Error(() => SequentialSpec.Parse(spec)), StringComparison.Ordinal);

    [Fact]
    public void SpecThatDoesNotFitTheTensorsIsAnError()
    {
        string path = Save(SafetensorsModel.Tensors(Net()));
        var o = new SafetensorsImportOptions { Task = TaskKind.Multiclass };
        Assert.Contains("'3.weight' has shape [2, 4] but architecture '4-relu-dropout-3' needs [3, 4]",
            Error(() => SafetensorsModel.Import(path, o with { Arch = "4-relu-dropout-3" })), StringComparison.Ordinal);
        Assert.Contains("tensor '3.weight' is not in architecture '4-relu-2'",
            Error(() => SafetensorsModel.Import(path, o with { Arch = "4-relu-2" })), StringComparison.Ordinal);
        Assert.Contains("'0.weight' has shape [4, 3] but architecture '5-relu-dropout-2' needs [5, in]",
            Error(() => SafetensorsModel.Import(path, o with { Arch = "5-relu-dropout-2" })), StringComparison.Ordinal);
        Assert.Contains("'5.weight' is missing",
            Error(() => SafetensorsModel.Import(path, o with { Arch = "4-relu-dropout-2-relu-2" })), StringComparison.Ordinal);
        Assert.Contains("--task", Error(() => SafetensorsModel.Import(path, new SafetensorsImportOptions { Arch = "4-relu-dropout-2" })), StringComparison.Ordinal);
        Assert.Contains("--arch", Error(() => SafetensorsModel.Import(path, new SafetensorsImportOptions { Task = TaskKind.Regression })), StringComparison.Ordinal);
        Assert.Contains("binary model must end in 1 output",
            Error(() => SafetensorsModel.Import(path, o with { Arch = "4-relu-dropout-2", Task = TaskKind.Binary })), StringComparison.Ordinal);
    }

    [Fact]
    public void WrongDtypeIsAnError()
    {
        var t = SafetensorsModel.Tensors(Net()).ToList();
        var w = t[0];
        var doubles = new byte[w.Data.Length * 2];
        var floats = w.ToFloats();
        for (int i = 0; i < floats.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(doubles.AsSpan(8 * i), floats[i]);
        t[0] = w with { DType = "F64", Data = doubles };
        string path = Save(t);
        Assert.Contains("tensor '0.weight' is F64; Occam reads float32",
            Error(() => SafetensorsModel.Import(path, new SafetensorsImportOptions { Arch = "4-relu-dropout-2", Task = TaskKind.Multiclass })), StringComparison.Ordinal);
    }

    [Fact]
    public void NonFiniteWeightsAreAnError()
    {
        var t = SafetensorsModel.Tensors(Net()).ToList();
        t[3] = SafeTensor.FromFloats("3.bias", [0, float.NaN], 2);
        string path = Save(t);
        Assert.Contains("'3.bias' holds NaN", Error(() => SafetensorsModel.Import(path, new SafetensorsImportOptions { Arch = "4-relu-dropout-2", Task = TaskKind.Multiclass })), StringComparison.Ordinal);
    }

    [Fact]
    public void DamagedFilesAreOneLineErrors()
    {
        string good = Save(SafetensorsModel.Tensors(Net()));
        byte[] bytes = File.ReadAllBytes(good);
        void Expect(byte[] content, string expected)
        {
            string p = Path.Combine(dir, "bad.safetensors");
            File.WriteAllBytes(p, content);
            Assert.Contains(expected, Error(() => SafetensorsFile.Read(p)), StringComparison.Ordinal);
        }
        Expect(bytes[..^4], "truncated");
        Expect(bytes[..5], "shorter than the 8-byte header length");
        Expect(bytes.Concat(new byte[4]).ToArray(), "extra bytes at the end");
        var huge = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(huge, 1UL << 40);
        Expect(huge, "over the");
        var past = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(past, (ulong)bytes.Length);
        Expect(past, "runs past the end");
        Expect(Raw("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}""", 4), "= 8 bytes, but its data_offsets span 4");
        Expect(Raw("""{"a":{"dtype":"Q7","shape":[1],"data_offsets":[0,4]}}""", 4), "unknown dtype 'Q7'");
        Expect(Raw("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8), "gap before tensor 'a'");
        Expect(Raw("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8), "overlaps");
        Expect(Raw("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8), "'a' appears twice");
        Expect(Raw("""{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", 4), "not a non-negative integer");
        Expect(Raw("""{"a": nope}""", 0), "not valid JSON");
        Expect(Raw("""[1]""", 0), "does not start with '{'");
        Expect(Raw("""{"__metadata__":{"k":1}}""", 0), "not a string");
    }

    [Fact]
    public void SidecarProblemsAreErrors()
    {
        string path = Path.Combine(dir, "n.safetensors");
        SafetensorsModel.Export(Net(), path);
        string side = path + ".json";
        Assert.Contains("differs from the sidecar's", Error(() => SafetensorsModel.Import(path, new SafetensorsImportOptions { SidecarPath = side, Arch = "4-relu-2" })), StringComparison.Ordinal);
        File.WriteAllText(side, """{"format":"occam-mlp/1"}""");
        Assert.Contains("not a valid occam-sequential/1 sidecar", Error(() => SafetensorsModel.Import(path, new SafetensorsImportOptions { SidecarPath = side })), StringComparison.Ordinal);
        File.WriteAllText(side, """{"format":"occam-sequential/1","arch":"4-relu-dropout-2","inputs":5,"task":"multiclass"}""");
        Assert.Contains("sidecar says 5", Error(() => SafetensorsModel.Import(path, new SafetensorsImportOptions { SidecarPath = side })), StringComparison.Ordinal);
        Assert.Contains("file not found", Error(() => SafetensorsModel.Import(path, new SafetensorsImportOptions { SidecarPath = side + "x" })), StringComparison.Ordinal);
    }

    [Fact]
    public void LinearModelsAreNotExportedAsSafetensors()
    {
        string model = Path.Combine(dir, "lin.json");
        File.WriteAllText(model, """{"format":"occam-linear/1","task":"regression","features":["a"],"coef":[1],"intercept":0,"alpha":1,"l1Ratio":1}""");
        string outPath = Path.Combine(dir, "lin.safetensors");
        Assert.Contains("--format onnx", Error(() => SafetensorsModel.ExportFile(model, outPath)), StringComparison.Ordinal);
        Assert.False(File.Exists(outPath));
        Assert.Contains("is the model file itself", Error(() => SafetensorsModel.ExportFile(model, Path.Combine(dir, "lin"))), StringComparison.Ordinal);
    }
}
