using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Occam.Playground.Tests;

/// <summary>A playground server on a free port of 127.0.0.1 and an HTTP client for it.</summary>
public sealed class PlaygroundHost : IAsyncDisposable
{
    private PlaygroundHost(PlaygroundServer server)
    {
        Server = server;
        Client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public PlaygroundServer Server { get; }
    public HttpClient Client { get; }

    public static async Task<PlaygroundHost> StartAsync(PlaygroundLimits? limits = null) =>
        new(await PlaygroundServer.StartAsync(new PlaygroundOptions { Port = 0, Limits = limits ?? new PlaygroundLimits() }));

    public Task<HttpResponseMessage> PostJson(string url, string json) =>
        Client.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>Creates a session; the response must be 201.</summary>
    public async Task<JsonElement> Create(object settings)
    {
        var response = await Client.PostAsJsonAsync("/api/sessions", settings);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async Task Control(string id, string action)
    {
        var response = await PostJson($"/api/sessions/{id}/control", $"{{\"action\":\"{action}\"}}");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The first frame of the session's event stream (the current state).</summary>
    public async Task<JsonElement> Frame(string id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/sessions/{id}/events");
        using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        string? line;
        while ((line = await reader.ReadLineAsync()) is not null)
            if (line.StartsWith("data: ", StringComparison.Ordinal))
                return JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone();
        throw new InvalidOperationException("the event stream ended without a frame");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
