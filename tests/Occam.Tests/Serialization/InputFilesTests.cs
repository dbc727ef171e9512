using Occam.Serialization;

namespace Occam.Tests.Serialization;

public sealed class InputFilesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("occam-input-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ReadsAFile()
    {
        string p = Path.Combine(_dir, "a.csv");
        File.WriteAllText(p, "abc");
        Assert.Equal("abc"u8.ToArray(), InputFiles.ReadAllBytes(p, "CSV file"));
    }

    [Theory]
    [InlineData("missing.csv", "file not found")]
    [InlineData("", "is a folder")]
    public void MissingOrFolderIsInputMissing(string name, string mention)
    {
        var e = Assert.Throws<OccamException>(() => InputFiles.ReadAllBytes(Path.Combine(_dir, name), "CSV file"));
        Assert.Equal(OccamErrorKind.InputMissing, e.Kind);
        Assert.Contains(mention, e.Message);
    }

    [Fact]
    public void EmptyPathIsUsage()
    {
        var e = Assert.Throws<OccamException>(() => InputFiles.ReadAllBytes("", "model file"));
        Assert.Equal(OccamErrorKind.Usage, e.Kind);
    }

    [Fact]
    public void OldConstructorsStayDataErrors()
    {
        Assert.Equal(OccamErrorKind.Data, new OccamException("x").Kind);
        Assert.Equal(OccamErrorKind.Data, new OccamException("x", new InvalidOperationException()).Kind);
        Assert.Equal(OccamErrorKind.Usage, OccamException.Usage("x").Kind);
    }
}
