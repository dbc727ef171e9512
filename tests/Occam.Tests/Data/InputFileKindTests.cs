using Occam.Data;

namespace Occam.Tests.Data;

/// <summary>Input-file errors carry the kind the CLI turns into its exit code (66 missing input, 64 usage).</summary>
public sealed class InputFileKindTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("occam-input-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("missing.csv")]
    [InlineData("")]
    public void MissingOrFolderIsInputMissing(string name)
    {
        var e = Assert.Throws<OccamException>(() => InputFile.ReadAllBytes(Path.Combine(_dir, name), "a CSV file"));
        Assert.Equal(OccamErrorKind.InputMissing, e.Kind);
    }

    [Fact]
    public void EmptyPathIsUsage() =>
        Assert.Equal(OccamErrorKind.Usage, Assert.Throws<OccamException>(() => InputFile.ReadAllBytes("", "a model file")).Kind);

    [Fact]
    public void OldConstructorsStayDataErrors()
    {
        Assert.Equal(OccamErrorKind.Data, new OccamException("x").Kind);
        Assert.Equal(OccamErrorKind.Data, new OccamException("x", new InvalidOperationException()).Kind);
        Assert.Equal(OccamErrorKind.Usage, OccamException.Usage("x").Kind);
    }
}
