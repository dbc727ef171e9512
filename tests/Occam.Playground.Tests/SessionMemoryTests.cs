using System.Diagnostics;
using System.Net;

namespace Occam.Playground.Tests;

/// <summary>
/// Fifty sessions train at once within a memory bound, and deleting them gives the memory back. The bounds are on
/// <see cref="GC.GetTotalMemory(bool)"/>, which counts the whole process's managed heap, so this class runs alone
/// (<see cref="SessionMemoryCollection"/>): beside the other test classes, whatever they hold at the moment of a
/// measurement counted as the playground's (session 10: 30–31 MB "still held" in full runs on a loaded host, 8–21 MB
/// alone).
/// </summary>
[Collection(nameof(SessionMemoryCollection))]
public class SessionMemoryTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task FiftyConcurrentSessionsTrainWithinAMemoryBound()
    {
        await using var host = await PlaygroundHost.StartAsync(new PlaygroundLimits { MaxSessions = 50 });
        GC.Collect();
        long before = GC.GetTotalMemory(forceFullCollection: true);
        string[] datasets = ["circle", "xor", "gaussian", "spiral", "spiral3", "plane", "bumps"];
        var sessions = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => host.Create(new
        {
            dataset = datasets[i % datasets.Length], hidden = "16,16,16", points = 2000, penalty = "l1", lambda = 0.003,
            epochsPerFrame = 50, framesPerSecond = 20, seed = i,
        })));
        var ids = sessions.Select(s => s.GetProperty("id").GetString()!).ToArray();
        await Task.WhenAll(ids.Select(id => host.Control(id, "play")));
        // A 51st session is refused: the server is full.
        var full = await host.PostJson("/api/sessions", "{}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, full.StatusCode);
        // Ten open event streams while all fifty train; each delivers frames.
        var frames = await Task.WhenAll(ids.Take(10).Select(host.Frame));
        Assert.All(frames, f => Assert.True(f.GetProperty("counters").GetProperty("weights").GetInt32() > 0));
        var clock = Stopwatch.StartNew();
        while ((await host.Frame(ids[^1])).GetProperty("epoch").GetInt32() == 0 && clock.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(200);
        await Task.Delay(TimeSpan.FromSeconds(2));
        long during = GC.GetTotalMemory(forceFullCollection: true);
        Assert.Equal(50, host.Server.Sessions.Count);
        Assert.True((await host.Frame(ids[^1])).GetProperty("epoch").GetInt32() > 0, "the last session did not train");
        // Bound: 50 sessions of 2000 points and a 3 × 16 network stay far under 200 MB of managed memory.
        output.WriteLine($"managed memory: {before >> 20} MB before, {during >> 20} MB with 50 sessions training, working set {Environment.WorkingSet >> 20} MB");
        Assert.True(during - before < 200L << 20, $"managed memory grew by {(during - before) >> 20} MB");
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/api/limits")).StatusCode);

        await Task.WhenAll(ids.Select(id => host.Client.DeleteAsync($"/api/sessions/{id}")));
        Assert.Equal(0, host.Server.Sessions.Count);
        GC.Collect();
        long after = GC.GetTotalMemory(forceFullCollection: true);
        output.WriteLine($"managed memory after deleting them: {after >> 20} MB");
        Assert.True(after - before < 30L << 20, $"{(after - before) >> 20} MB still held after every session was removed");
    }
}

/// <summary>Test classes that measure process-wide memory run after the parallel ones, one at a time.</summary>
[CollectionDefinition(nameof(SessionMemoryCollection), DisableParallelization = true)]
public sealed class SessionMemoryCollection;
