using System.Text.RegularExpressions;
using System.Xml.Linq;
using Occam.Data;
using Occam.Numerics.Activations;
using Occam.Optimizers;
using Occam.Reports;
using Occam.Selection;
using Occam.Tests;

namespace Occam.Reports.Tests;

/// <summary>The selection plots: files exist, are valid PNG and SVG, and the SVG holds the expected series and markers.</summary>
public partial class SelectionPlotsTests
{
    private static readonly Lazy<NetworkPathResult> Path4 = new(() =>
        NetworkPath.Fit(new MlpClassifier { Hidden = [4], Activation = ActivationKind.Tanh, Optimizer = Optim.Adam(lr: 1e-2), Epochs = 3, ValidationSplit = 0.3, Seed = 1 },
            CsvLoader.Load(Repo.Data("iris.csv"), target: "species"), new NetworkPathOptions { Count = 5, LambdaMinRatio = 1e-3 }));

    [GeneratedRegex(@"<text[^>]*>\s*(.*?)\s*</text>", RegexOptions.Singleline)]
    private static partial Regex SvgText();

    private static string[] Texts(string svgFile)
    {
        var svg = File.ReadAllText(svgFile);
        Assert.Equal("svg", XDocument.Parse(svg).Root!.Name.LocalName);   // well-formed SVG
        return SvgText().Matches(svg).Select(m => m.Groups[1].Value).ToArray();
    }

    private static bool IsPowerOfTen(string text) =>
        double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double v)
        && v > 0 && Math.Abs(Math.Log10(v) - Math.Round(Math.Log10(v))) < 1e-9 && text.Length > 1 && (text.Contains('0', StringComparison.Ordinal) || text == "1");

    private static void AssertPng(string file)
    {
        var bytes = File.ReadAllBytes(file);
        Assert.True(bytes.Length > 1000, $"{file} is only {bytes.Length} bytes");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
    }

    private static string TempDir() => System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"occam-plots-{Guid.NewGuid():N}");

    [Fact]
    public void ThePathPlotsAreWrittenAsPngAndSvgWithTheirSeriesAndTheChosenLambdasMarked()
    {
        string dir = TempDir();
        try
        {
            var path = Path4.Value;
            var files = SelectionPlots.WritePathPlots(path, dir);
            Assert.Equal(["validation-curve.png", "validation-curve.svg", "path.png", "path.svg"], files.Select(System.IO.Path.GetFileName));
            foreach (var png in files.Where(f => f.EndsWith(".png", StringComparison.Ordinal))) AssertPng(png);

            var curve = Texts(System.IO.Path.Combine(dir, "validation-curve.svg"));
            Assert.Contains("validation loss ± SE", curve);
            Assert.Contains("training loss", curve);
            Assert.Contains($"λ_min = {path.LambdaMin:G3}", curve);
            Assert.Contains($"λ_1se = {path.Lambda1se:G3}", curve);
            Assert.Contains("λ (log scale)", curve);
            // The log axis: tick labels at powers of ten, at least two of them.
            Assert.True(curve.Count(IsPowerOfTen) >= 2, "the x-axis has fewer than two 10ⁿ tick labels: " + string.Join(" | ", curve));

            var plot = Texts(System.IO.Path.Combine(dir, "path.svg"));
            foreach (string series in new[] { "zero weights (%)", "dead units (%)", "inputs kept (%)", "validation loss (right axis)" })
                Assert.Contains(series, plot);
            Assert.Contains(plot, t => t.StartsWith("λ_min = ", StringComparison.Ordinal));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void TheSweepScatterTakesPlainDataAndMarksTheBestAndOneSeTrials()
    {
        string dir = TempDir();
        try
        {
            var data = new SweepScatterData("l1", [1e-5, 1e-4, 1e-3, 1e-2, 1e-1], LogScale: true, "validation loss", [0.30, 0.25, 0.22, 0.24, 0.60],
                StandardErrors: [0.02, 0.02, 0.02, 0.02, 0.03], Best: 2, OneSe: 3);
            var files = SelectionPlots.WriteSweepScatter(data, dir, "sweep-l1");
            AssertPng(files[0]);
            var texts = Texts(files[1]);
            foreach (string label in new[] { "trials", "best", "1-SE choice", "l1 (log scale)", "validation loss", "0.001" })
                Assert.Contains(label, texts);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void BadPlotInputIsRefused()
    {
        Assert.Throws<ArgumentException>(() => SelectionPlots.SweepScatter(new SweepScatterData("lr", [0.1, 0.2], false, "loss", [1.0])));
        Assert.Throws<ArgumentException>(() => SelectionPlots.SweepScatter(new SweepScatterData("lr", [0.0, 0.2], true, "loss", [1.0, 2.0])));
        string file = System.IO.Path.GetTempFileName();
        try
        {
            var e = Assert.Throws<OccamException>(() => SelectionPlots.WritePathPlots(Path4.Value, file));
            Assert.Contains("is a file", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
