using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace Occam.Playground.Tests;

/// <summary>What a session does through the API: live changes without reset, the λ path, CSV upload, frame pacing.</summary>
public class SessionApiTests
{
    private static string Id(JsonElement session) => session.GetProperty("id").GetString()!;

    [Fact]
    public async Task LiveLambdaChangeContinuesFromTheCurrentWeights()
    {
        await using var host = await PlaygroundHost.StartAsync();
        string id = Id(await host.Create(new { dataset = "circle", hidden = "8", penalty = "none", seed = 3 }));
        for (int e = 0; e < 5; e++) await host.Control(id, "step");
        var before = await host.Frame(id);
        Assert.Equal(5, before.GetProperty("epoch").GetInt32());
        Assert.Equal(0, before.GetProperty("counters").GetProperty("zeros").GetInt32());

        var response = await host.PostJson($"/api/sessions/{id}/settings", """{"penalty":"l1","lambda":0.5,"l1Mode":"prox"}""");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await host.Control(id, "step");
        var after = await host.Frame(id);
        Assert.Equal(6, after.GetProperty("epoch").GetInt32());   // not reset
        Assert.Equal(before.GetProperty("steps").GetInt64() + 28, after.GetProperty("steps").GetInt64());   // 280 training rows / 10
        Assert.Equal("l1", after.GetProperty("settings").GetProperty("penalty").GetString());
        Assert.True(after.GetProperty("counters").GetProperty("zeros").GetInt32() > 0);

        await host.Control(id, "reset");
        var reset = await host.Frame(id);
        Assert.Equal(0, reset.GetProperty("epoch").GetInt32());
        Assert.Equal(0.5, reset.GetProperty("settings").GetProperty("lambda").GetDouble());
    }

    [Fact]
    public async Task LambdaPathSweepsDownWarmStartedAndKeepsAFramePerLambda()
    {
        await using var host = await PlaygroundHost.StartAsync();
        string id = Id(await host.Create(new { dataset = "xor", hidden = "8", penalty = "l1", lambda = 0.3, epochsPerFrame = 10, framesPerSecond = 20 }));
        var started = await host.PostJson($"/api/sessions/{id}/path", """{"points":4,"epochs":5,"ratio":0.001}""");
        Assert.Equal(HttpStatusCode.NoContent, started.StatusCode);
        var clock = Stopwatch.StartNew();
        JsonElement frame;
        do
        {
            await Task.Delay(100);
            frame = await host.Frame(id);
        }
        while (!frame.GetProperty("path").GetProperty("done").GetBoolean() && clock.Elapsed < TimeSpan.FromSeconds(30));
        var path = frame.GetProperty("path");
        Assert.True(path.GetProperty("done").GetBoolean());
        Assert.Equal(20, frame.GetProperty("epoch").GetInt32());   // 4 λ × 5 epochs, one run (warm start)
        Assert.False(frame.GetProperty("playing").GetBoolean());
        var lambdas = path.GetProperty("lambdas").EnumerateArray().Select(l => l.GetDouble()).ToArray();
        Assert.Equal([0.3, 0.03, 0.003, 0.0003], lambdas.Select(l => Math.Round(l, 10)).ToArray());
        var zeros = path.GetProperty("finished").EnumerateArray().Select(p => p.GetProperty("zeroFraction").GetDouble()).ToArray();
        Assert.Equal(4, zeros.Length);
        Assert.True(zeros[0] > zeros[^1], $"zero fraction along the path: {string.Join(", ", zeros)}");
        for (int k = 0; k < 4; k++)
        {
            using var kept = JsonDocument.Parse(await host.Client.GetStringAsync($"/api/sessions/{id}/path/{k}"));
            Assert.Equal(5 * (k + 1), kept.RootElement.GetProperty("epoch").GetInt32());
            Assert.Equal(lambdas[k], kept.RootElement.GetProperty("settings").GetProperty("lambda").GetDouble());
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Client.GetAsync($"/api/sessions/{id}/path/4")).StatusCode);
    }

    [Theory]
    [InlineData("a,b,label\n", "binary", "label")]
    [InlineData("x,y,value\n", "regression", "value")]
    public async Task AnUploadedCsvTrains(string header, string task, string target)
    {
        var rng = new Random(5);
        var rows = Enumerable.Range(0, 120).Select(_ => (X: rng.NextDouble() * 4 - 2, Y: rng.NextDouble() * 4 - 2)).ToArray();
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        string csv = header + string.Concat(rows.Select(r => string.Create(inv, $"{r.X},{r.Y},{(task == "binary" ? (r.X * r.Y > 0 ? "yes" : "no") : (r.X - r.Y).ToString("R", inv))}\n")));
        await using var host = await PlaygroundHost.StartAsync();
        var session = await host.Create(new { dataset = "csv", csv, features = "x,y,xy", hidden = "4" });
        Assert.Equal(task, session.GetProperty("task").GetString());
        Assert.Equal(120, session.GetProperty("points").GetArrayLength());
        var domain = session.GetProperty("domain");
        Assert.True(domain.GetProperty("xMin").GetDouble() < rows.Min(r => r.X) && domain.GetProperty("xMax").GetDouble() > rows.Max(r => r.X));
        string id = Id(session);
        await host.Control(id, "step");
        var frame = await host.Frame(id);
        Assert.Equal(1, frame.GetProperty("epoch").GetInt32());
        Assert.Equal(["x", "y", "xy"], frame.GetProperty("network").GetProperty("inputs").EnumerateArray().Select(e => e.GetString()!).ToArray());
        string data = await host.Client.GetStringAsync($"/api/sessions/{id}/data.csv");
        Assert.StartsWith($"x,y,xy,{target}\n", data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FramesArriveAtTheAskedRate()
    {
        await using var host = await PlaygroundHost.StartAsync();
        string id = Id(await host.Create(new { dataset = "spiral", epochsPerFrame = 1, framesPerSecond = 10 }));
        await host.Control(id, "play");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/sessions/{id}/events");
        using var response = await host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        // 10 frames per second: at most 23 may arrive in the first 2 s (about 20, with slack for the frame sent at
        // subscription), and a machine however loaded must go on delivering them: at least 6 within 20 s. (Requiring 6
        // inside the 2 s failed once under load 9: the rate is a ceiling, not a promise.)
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var clock = Stopwatch.StartNew();
        int frames = 0, framesIn2s = 0;
        var epochs = new List<int>();
        while ((frames < 6 || clock.Elapsed < TimeSpan.FromSeconds(2)) && await reader.ReadLineAsync(timeout.Token) is { } line)
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                frames++;
                if (clock.Elapsed < TimeSpan.FromSeconds(2)) framesIn2s++;
                using var doc = JsonDocument.Parse(line[6..]);
                epochs.Add(doc.RootElement.GetProperty("epoch").GetInt32());
            }
        Assert.InRange(framesIn2s, 1, 23);
        Assert.True(frames >= 6, $"{frames} frames in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(epochs.SequenceEqual(epochs.Order()), string.Join(",", epochs));
    }
}
