using Microsoft.Playwright;

namespace Occam.Playground.Tests;

/// <summary>A playground server and Debian's Chromium (headless, no browser download), shared by the browser tests.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/lib/chromium/chromium";

    public PlaygroundHost Host { get; private set; } = null!;
    public IPlaywright Playwright { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where the screenshots go: the test output folder.</summary>
    public static string ScreenshotDir => Path.Combine(AppContext.BaseDirectory, "playground-screenshots");

    public async Task InitializeAsync()
    {
        Host = await PlaygroundHost.StartAsync();
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"the browser tests need Debian's Chromium at {ChromiumPath}, which is missing: install it with `apt-get install -y chromium` (.ci/run does this).");
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        try
        {
            Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
            });
        }
        catch (PlaywrightException e)
        {
            throw new InvalidOperationException($"Chromium at {ChromiumPath} did not start ({e.Message.Split('\n')[0]}); reinstall it with `apt-get install -y --reinstall chromium`.", e);
        }
        Directory.CreateDirectory(ScreenshotDir);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        Playwright?.Dispose();
        if (Host is not null) await Host.DisposeAsync();
    }
}

/// <summary>
/// The page in a real browser: spiral with L1 prox makes exact zeros and removes links; subgradient makes none; prune
/// keeps the boundary; screenshots are saved and are not blank.
/// </summary>
public class BrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Spiral = "dataset=spiral&hidden=8,8&activation=tanh&learningRate=0.03&batchSize=10&penalty=l1&lambda=0.01&epochsPerFrame=20&framesPerSecond=20&seed=1";

    private async Task<IPage> Open(string hash)
    {
        var page = await fixture.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1300, Height = 900 } });
        page.SetDefaultTimeout(20000);
        await page.GotoAsync(fixture.Host.Server.Address + "#" + hash);
        await page.WaitForFunctionAsync("() => document.body.dataset.session && document.querySelectorAll('#network g.unit').length > 0");
        return page;
    }

    private static async Task<int> Value(IPage page, string id) => int.Parse(await page.GetAttributeAsync("#" + id, "data-value") ?? "-1", System.Globalization.CultureInfo.InvariantCulture);

    private static Task<int> Links(IPage page) => page.Locator("#network line.link").CountAsync();

    /// <summary>Saves a screenshot and checks in the browser that its pixels are not all one colour.</summary>
    private static async Task Screenshot(IPage page, string name)
    {
        string path = Path.Combine(BrowserFixture.ScreenshotDir, name + ".png");
        var bytes = await page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        Assert.True(new FileInfo(path).Length > 10_000, $"{path} is only {new FileInfo(path).Length} bytes");
        double sd = await page.EvaluateAsync<double>(@"async (b64) => {
            const img = new Image(); img.src = 'data:image/png;base64,' + b64; await img.decode();
            const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
            const ctx = c.getContext('2d'); ctx.drawImage(img, 0, 0);
            const d = ctx.getImageData(0, 0, c.width, c.height).data;
            let s = 0, s2 = 0, n = 0;
            for (let i = 0; i < d.length; i += 4) { const v = (d[i] + d[i + 1] + d[i + 2]) / 3; s += v; s2 += v * v; n++; }
            return Math.sqrt(s2 / n - (s / n) * (s / n)); }", Convert.ToBase64String(bytes));
        Assert.True(sd > 10, $"{path} looks blank (pixel standard deviation {sd:F1})");
    }

    private static async Task WaitEpoch(IPage page, int epoch) =>
        await page.WaitForFunctionAsync($"() => Number(document.getElementById('epoch').dataset.value) >= {epoch}");

    [Fact]
    public async Task L1ProxMakesZerosAndRemovesLinksSubgradientMakesNone()
    {
        var page = await Open(Spiral + "&l1Mode=prox");
        int allLinks = await Links(page);
        Assert.Equal(2 * 8 + 8 * 8 + 8, allLinks);
        Assert.Equal(0, await Value(page, "zeros"));
        await page.ClickAsync("#play");
        await page.WaitForFunctionAsync("() => Number(document.getElementById('zeros').dataset.value) >= 20", null, new PageWaitForFunctionOptions { Timeout = 30000 });
        await page.ClickAsync("#play");   // pause
        await WaitEpoch(page, 1);
        int zeros = await Value(page, "zeros");
        int links = await Links(page);
        Assert.True(links <= allLinks - zeros, $"{zeros} exact zeros but {links} of {allLinks} links drawn");
        int proxEpoch = await Value(page, "epoch");
        await Screenshot(page, "spiral-l1-prox");
        Assert.Contains("l1Mode=prox", page.Url, StringComparison.Ordinal);

        // The same run with the subgradient: no exact zero, every link drawn.
        await page.CheckAsync("input[name=l1Mode][value=subgradient]");
        await page.WaitForFunctionAsync("() => location.hash.includes('l1Mode=subgradient')");
        await page.ClickAsync("#reset");
        await page.WaitForFunctionAsync("() => Number(document.getElementById('epoch').dataset.value) === 0");
        await page.ClickAsync("#play");
        await WaitEpoch(page, proxEpoch);
        await page.ClickAsync("#play");
        Assert.Equal(0, await Value(page, "zeros"));
        Assert.Equal(allLinks, await Links(page));
        await Screenshot(page, "spiral-l1-subgradient");
        await page.CloseAsync();
    }

    [Fact]
    public async Task PruneShowsASmallerNetWithTheSameBoundary()
    {
        var page = await Open(Spiral.Replace("lambda=0.01", "lambda=0.02", StringComparison.Ordinal) + "&l1Mode=prox");
        await page.ClickAsync("#play");
        await page.WaitForFunctionAsync("() => Number(document.getElementById('dead').dataset.value) >= 1", null, new PageWaitForFunctionOptions { Timeout = 40000 });
        await page.ClickAsync("#play");
        await page.WaitForFunctionAsync("() => !lastFrame.playing");
        await page.WaitForTimeoutAsync(300);
        int unitsBefore = await page.Locator("#network g.unit").CountAsync();
        string before = await page.EvaluateAsync<string>("() => { render(lastFrame); return document.getElementById('boundary').toDataURL(); }");
        await page.ClickAsync("#prune");
        await page.WaitForFunctionAsync("() => !document.getElementById('prune-info').hidden");
        double maxDiff = double.Parse((await page.GetAttributeAsync("#prune-info", "data-max-difference"))!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(maxDiff < 1e-4, $"the pruned network's output differs by {maxDiff} on the grid");
        int unitsAfter = await page.Locator("#network g.unit").CountAsync();
        Assert.True(unitsAfter < unitsBefore, $"pruning left {unitsAfter} of {unitsBefore} units");
        Assert.Equal(0, await page.Locator("#network g.unit.dead").CountAsync());
        // The boundary images before and after are (almost) the same pixels.
        double diff = await page.EvaluateAsync<double>(@"async (before) => {
            const load = async (src) => { const img = new Image(); img.src = src; await img.decode();
                const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
                const x = c.getContext('2d'); x.drawImage(img, 0, 0); return x.getImageData(0, 0, c.width, c.height).data; };
            const a = await load(before), b = await load(document.getElementById('boundary').toDataURL());
            let s = 0; for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]); return s / a.length; }", before);
        Assert.True(diff < 0.5, $"the boundary changed by {diff} per channel on average after pruning");
        await Screenshot(page, "spiral-pruned");
        await page.CloseAsync();
    }

    [Fact]
    public async Task LambdaPathScrubsAndOtherDatasetsDraw()
    {
        var page = await Open("dataset=xor&hidden=8&penalty=l1&lambda=0.3&l1Mode=prox&epochsPerFrame=20&framesPerSecond=20");
        await page.ClickAsync("#path");
        await page.WaitForFunctionAsync("() => document.getElementById('path-panel').dataset.done === 'true'", null, new PageWaitForFunctionOptions { Timeout = 40000 });
        Assert.Equal("19", await page.GetAttributeAsync("#path-scrub", "max"));
        await page.Locator("#path-scrub").FillAsync("0");
        await page.WaitForFunctionAsync("() => document.getElementById('view-note').textContent.includes('frame 1 of 20')");
        int zerosAtMax = await Value(page, "zeros");
        await page.Locator("#path-scrub").FillAsync("19");
        await page.WaitForFunctionAsync("() => document.getElementById('view-note').textContent.includes('frame 20 of 20')");
        int zerosAtMin = await Value(page, "zeros");
        Assert.True(zerosAtMax > zerosAtMin, $"exact zeros at the largest λ {zerosAtMax}, at the smallest {zerosAtMin}");
        await Screenshot(page, "xor-lambda-path");
        await page.CloseAsync();

        foreach (var (hash, name) in new[] { ("dataset=bumps&hidden=8,8&features=x,y,x2,y2", "bumps-regression"), ("dataset=spiral3&hidden=12,12&activation=relu", "spiral3-multiclass") })
        {
            page = await Open(hash + "&epochsPerFrame=20&framesPerSecond=20");
            await page.ClickAsync("#play");
            await WaitEpoch(page, 40);
            await page.ClickAsync("#play");
            await Screenshot(page, name);
            await page.CloseAsync();
        }
    }
}
