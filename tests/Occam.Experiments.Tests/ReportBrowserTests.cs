using Microsoft.Playwright;
using Occam.Experiments;
using SkiaSharp;

namespace Occam.Experiments.Tests;

/// <summary>
/// The HTML of <c>occam report --quick</c> (the same library calls, with 2 seeds to stay fast) loaded in headless Chromium:
/// no request leaves the file, every figure is there with a drawn SVG of non-zero size, and its screenshot is not one
/// colour. Needs Debian's chromium (`apt-get install -y chromium`; .ci/run installs it): without it the test fails.
/// </summary>
public class ReportBrowserTests
{
    private const string Chromium = "/usr/lib/chromium/chromium";

    [Fact]
    public async Task Report_loads_offline_in_chromium_with_every_figure_drawn()
    {
        Assert.True(File.Exists(Chromium),
            $"Chromium is missing ({Chromium}): install it with `apt-get install -y chromium` (.ci/run does this); the report's browser test needs it.");
        var results = ExperimentReport.Collect(ExperimentRegistry.All, new ExperimentOptions { Quick = true, Seeds = 2 }, resultsFolder: null);
        int expectedFigures = results.Sum(r => r.Section.Figures.Count);
        string dir = Path.Combine(Path.GetTempPath(), "occam-report-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string path = Path.Combine(dir, "report.html");
            ExperimentReport.Write(path, ExperimentReport.Html(results));

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Chromium,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
            });
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1100, Height = 900 } });
            var requests = new List<string>();
            page.Request += (_, request) => requests.Add(request.Url);
            string url = new Uri(path).AbsoluteUri;
            await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.Load });

            Assert.All(requests, r => Assert.True(r == url || r.StartsWith("data:", StringComparison.Ordinal), $"external request: {r}"));
            Assert.Equal(results.Count, await page.Locator("section").CountAsync());
            var figures = page.Locator("figure");
            Assert.Equal(expectedFigures, await figures.CountAsync());
            for (int i = 0; i < expectedFigures; i++)
            {
                var figure = figures.Nth(i);
                string id = await figure.GetAttributeAsync("id") ?? $"figure {i}";
                var svg = figure.Locator("svg");
                Assert.Equal(1, await svg.CountAsync());
                var box = await svg.BoundingBoxAsync();
                Assert.True(box is { Width: > 100, Height: > 100 }, $"{id}: svg box {box?.Width}×{box?.Height}");
                int drawn = await svg.EvaluateAsync<int>("s => s.querySelectorAll('path,rect,line,polyline,polygon,circle,image,text').length");
                Assert.True(drawn > 10, $"{id}: {drawn} drawn elements");
                byte[] png = await svg.ScreenshotAsync();
                Assert.True(Colours(png) >= 3, $"{id}: the screenshot has fewer than 3 colours (blank figure)");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Distinct colours in a PNG (capped at 64).</summary>
    private static int Colours(byte[] png)
    {
        using var bitmap = SKBitmap.Decode(png);
        var seen = new HashSet<uint>();
        for (int y = 0; y < bitmap.Height && seen.Count < 64; y += 2)
            for (int x = 0; x < bitmap.Width && seen.Count < 64; x += 2)
                seen.Add((uint)bitmap.GetPixel(x, y));
        return seen.Count;
    }
}
