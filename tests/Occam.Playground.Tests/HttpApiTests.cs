using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace Occam.Playground.Tests;

/// <summary>The HTTP API: bad requests are 400 with a message, the server survives load, sessions are bounded and cleaned up.</summary>
public class HttpApiTests
{
    private static async Task<(HttpStatusCode Status, string Error)> Error(HttpResponseMessage response)
    {
        string body = await response.Content.ReadAsStringAsync();
        using var doc = JsonDocument.Parse(body);
        return (response.StatusCode, doc.RootElement.GetProperty("error").GetString()!);
    }

    [Theory]
    [InlineData("{bad json", "not valid JSON")]
    [InlineData("[1,2]", "JSON object")]
    [InlineData("{\"dataset\":\"nope\"}", "dataset must be one of")]
    [InlineData("{\"hidden\":\"8,8,8,8,8,8,8\"}", "at most 6 hidden layers")]
    [InlineData("{\"hidden\":\"100\"}", "1 to 16 units")]
    [InlineData("{\"points\":1000000}", "points must be a whole number in [10, 2000]")]
    [InlineData("{\"lambda\":-1}", "lambda must be a number in [0, 10]")]
    [InlineData("{\"lambda\":\"NaN\"}", "lambda must be a number")]
    [InlineData("{\"dropout\":0.95}", "dropout must be a number in [0, 0.9]")]
    [InlineData("{\"features\":\"x,z\"}", "'z' is not a feature")]
    [InlineData("{\"features\":[]}", "at least one input feature")]
    [InlineData("{\"framesPerSecond\":1000}", "framesPerSecond")]
    [InlineData("{\"wat\":1}", "unknown setting 'wat'")]
    [InlineData("{\"dataset\":\"csv\"}", "upload a CSV")]
    [InlineData("{\"dataset\":\"csv\",\"csv\":\"a,b\\n1,2\\n\"}", "needs 3: x, y and the target")]
    [InlineData("{\"dataset\":\"csv\",\"csv\":\"x,y,label\\n1,2,a\\n3,oops,b\\n\"}", "upload.csv line 3")]
    [InlineData("{\"hidden\":\"none\",\"dropout\":0.5}", "dropout acts after hidden layers")]
    [InlineData("{\"seed\":-3}", "seed must be a whole number")]
    [InlineData("{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":{\"i\":1}}}}}}}}}", "not valid JSON")]
    public async Task MalformedSessionRequestsAre400WithAMessage(string body, string expected)
    {
        await using var host = await PlaygroundHost.StartAsync();
        var (status, error) = await Error(await host.PostJson("/api/sessions", body));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Equal(0, host.Server.Sessions.Count);
    }

    [Fact]
    public async Task OversizedAndBadRequestsOnASessionAre400And404()
    {
        await using var host = await PlaygroundHost.StartAsync();
        var huge = new string('x', 400 * 1024);
        var (status, error) = await Error(await host.PostJson("/api/sessions", $"{{\"dataset\":\"csv\",\"csv\":\"{huge}\"}}"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("KiB", error, StringComparison.Ordinal);

        // A CSV under the body limit but over the upload limit (256 KiB).
        var big = "x,y,label\n" + string.Concat(Enumerable.Repeat("1.0000000000,2.0000000000,a\n", 10000));
        (status, error) = await Error(await host.PostJson("/api/sessions", JsonSerializer.Serialize(new { dataset = "csv", csv = big })));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("larger than 256 KiB", error, StringComparison.Ordinal);

        var s = await host.Create(new { dataset = "xor" });
        string id = s.GetProperty("id").GetString()!;
        foreach (var (url, body, expected) in new[]
        {
            ($"/api/sessions/{id}/control", "{\"action\":\"fly\"}", "action must be play"),
            ($"/api/sessions/{id}/control", "{}", "the body must be"),
            ($"/api/sessions/{id}/control", "", "no body"),
            ($"/api/sessions/{id}/settings", "{\"hidden\":\"4\"}", "cannot change while a session runs"),
            ($"/api/sessions/{id}/settings", "{\"lambda\":1e999}", "lambda must be a number"),
            ($"/api/sessions/{id}/path", "{\"points\":2}", "needs a penalty"),
            ($"/api/sessions/{id}/path", "{\"points\":1000}", "points must be a whole number in [2, 40]"),
        })
        {
            (status, error) = await Error(await host.PostJson(url, body));
            Assert.True(status == HttpStatusCode.BadRequest, $"{url} {body}: {status} {error}");
            Assert.Contains(expected, error, StringComparison.Ordinal);
        }
        (status, error) = await Error(await host.Client.GetAsync($"/api/sessions/{id}/path/x"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        (status, error) = await Error(await host.Client.GetAsync($"/api/sessions/{id}/path/0"));
        Assert.Contains("no λ path", error, StringComparison.Ordinal);
        (status, error) = await Error(await host.Client.GetAsync("/api/sessions/nope/events"));
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("reload the page", error, StringComparison.Ordinal);
        (status, _) = await Error(await host.Client.GetAsync("/etc/passwd"));
        Assert.Equal(HttpStatusCode.NotFound, status);
        // Still serving.
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/app.js")).StatusCode);
    }

    [Fact]
    public async Task IdleSessionsAreRemovedAndWatchedOnesKept()
    {
        await using var host = await PlaygroundHost.StartAsync(new PlaygroundLimits { IdleTimeout = TimeSpan.FromSeconds(1) });
        var idle = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => host.Create(new { dataset = "xor", seed = i })));
        var watched = (await host.Create(new { dataset = "circle" })).GetProperty("id").GetString()!;
        using var stream = await host.Client.GetAsync($"/api/sessions/{watched}/events", HttpCompletionOption.ResponseHeadersRead);
        var clock = Stopwatch.StartNew();
        while (host.Server.Sessions.Count > 1 && clock.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(100);
        Assert.Equal(1, host.Server.Sessions.Count);
        foreach (var s in idle)
            Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync($"/api/sessions/{s.GetProperty("id").GetString()}")).StatusCode);
        // The session with an open event stream stays, however long it is idle otherwise.
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync($"/api/sessions/{watched}")).StatusCode);
    }

    [Fact]
    public async Task ANewStreamBeyondTheLimitEndsTheOldest()
    {
        await using var host = await PlaygroundHost.StartAsync(new PlaygroundLimits { MaxStreamsPerSession = 2 });
        string id = (await host.Create(new { dataset = "xor" })).GetProperty("id").GetString()!;
        var streams = new List<HttpResponseMessage>();
        for (int i = 0; i < 3; i++)
            streams.Add(await host.Client.GetAsync($"/api/sessions/{id}/events", HttpCompletionOption.ResponseHeadersRead));
        Assert.All(streams, s => Assert.Equal("text/event-stream", s.Content.Headers.ContentType?.MediaType));
        // The first stream was ended by the third: reading it to the end completes.
        string first = await streams[0].Content.ReadAsStringAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.StartsWith("data: {", first, StringComparison.Ordinal);
        Assert.Equal(2, host.Server.Sessions.Get(id).Streams);
        foreach (var s in streams) s.Dispose();
    }

    [Fact]
    public async Task DeleteRemovesASessionAndEndsItsStream()
    {
        await using var host = await PlaygroundHost.StartAsync();
        var s = await host.Create(new { dataset = "circle" });
        string id = s.GetProperty("id").GetString()!;
        Assert.Equal(1, host.Server.Sessions.Count);
        Assert.Equal(HttpStatusCode.NoContent, (await host.Client.DeleteAsync($"/api/sessions/{id}")).StatusCode);
        Assert.Equal(0, host.Server.Sessions.Count);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.DeleteAsync($"/api/sessions/{id}")).StatusCode);
    }
}
