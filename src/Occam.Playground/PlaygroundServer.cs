using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Occam.Playground;

/// <summary>Where a playground server listens and what it allows.</summary>
public sealed record PlaygroundOptions
{
    /// <summary>The address to bind: 127.0.0.1 by default (this machine only); another address exposes the server.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free one (see <see cref="PlaygroundServer.Address"/>). Default 5000.</summary>
    public int Port { get; init; } = 5000;

    public PlaygroundLimits Limits { get; init; } = new();

    /// <summary>Where time comes from (frame pacing, idle expiry).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}

/// <summary>
/// The playground: an ASP.NET Core server (minimal APIs) that serves the page (static files embedded in this assembly,
/// so the installed <c>occam</c> tool carries them) and the session API of docs/playground.md, training on the engine
/// (<see cref="Training.SteppedFit"/>) and streaming frames by Server-Sent Events. Malformed or oversized requests get
/// 400 with a one-line JSON error; no request can stop the server.
/// </summary>
public sealed class PlaygroundServer : IAsyncDisposable
{
    private static readonly Dictionary<string, string> StaticFiles = new(StringComparer.Ordinal)
    {
        ["/"] = "index.html",
        ["/index.html"] = "index.html",
        ["/app.js"] = "app.js",
        ["/style.css"] = "style.css",
    };

    private readonly WebApplication _app;

    private PlaygroundServer(WebApplication app, SessionStore sessions, Uri address)
    {
        _app = app;
        Sessions = sessions;
        Address = address;
    }

    /// <summary>The address the server listens on (with the real port when 0 was asked).</summary>
    public Uri Address { get; }

    internal SessionStore Sessions { get; }

    /// <summary>Starts the server; a bad host or a port in use is an <see cref="OccamException"/> that says what to change.</summary>
    public static async Task<PlaygroundServer> StartAsync(PlaygroundOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Limits.Validate();
        if (options.Port is < 0 or > 65535) throw OccamException.Usage($"--port must be in 0..65535 (got {options.Port}).");
        IPAddress address = options.Host == "localhost" ? IPAddress.Loopback
            : IPAddress.TryParse(options.Host, out var parsed) ? parsed
            : throw OccamException.Usage($"--host '{options.Host}' is not an IP address; use 127.0.0.1 (this machine only), 0.0.0.0 (every interface) or one of this machine's addresses.");

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(address, options.Port);
            k.Limits.MaxRequestBodySize = 4 * options.Limits.MaxRequestBytes;
            k.AddServerHeader = false;
        });
        var app = builder.Build();
        var sessions = new SessionStore(options.Limits, options.Clock);
        Map(app, sessions, options.Limits);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            sessions.Dispose();
            await app.DisposeAsync().ConfigureAwait(false);
            throw OccamException.Usage($"cannot listen on {options.Host}:{options.Port}: {e.Message} Pick another --port (or 0 for any free one).");
        }
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new PlaygroundServer(app, sessions, new Uri(bound.Replace("[::]", "localhost", StringComparison.Ordinal)));
    }

    /// <summary>Completes when <paramref name="cancellationToken"/> is cancelled (Ctrl+C) or the server stops.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => Microsoft.Extensions.Hosting.HostingAbstractionsHostExtensions.WaitForShutdownAsync(_app, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        Sessions.Dispose();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static void Map(WebApplication app, SessionStore sessions, PlaygroundLimits limits)
    {
        app.Use(async (ctx, next) =>
        {
            try
            {
                await next(ctx).ConfigureAwait(false);
            }
            catch (Exception e) when (!ctx.Response.HasStarted)
            {
                var (status, message) = e switch
                {
                    PlaygroundRequestException => (400, e.Message),
                    OccamException => (400, e.Message),
                    JsonException => (400, "the body is not valid JSON: " + e.Message.Split(" Path:")[0]),
                    BadHttpRequestException b => (400, b.StatusCode == 413 ? $"the request body is larger than {limits.MaxRequestBytes / 1024} KiB." : "bad request: " + e.Message),
                    SessionNotFoundException => (404, e.Message),
                    ServerFullException => (503, e.Message),
                    OperationCanceledException when ctx.RequestAborted.IsCancellationRequested => (499, "request aborted"),
                    _ => (500, "internal error: " + e.Message),
                };
                ctx.Response.Clear();
                ctx.Response.StatusCode = status;
                ctx.Response.ContentType = "application/json";
                await ctx.Response.WriteAsync(Session.Json(w => w.WriteString("error", message))).ConfigureAwait(false);
            }
            catch (Exception) when (ctx.Response.HasStarted)
            {
                // A stream that breaks after it started (the client left): nothing more to send.
            }
        });

        foreach (var (route, file) in StaticFiles)
            app.MapGet(route, () => Results.Bytes(Resource(file), ContentType(file)));

        app.MapGet("/api/limits", () => Results.Content(Session.Json(w =>
        {
            w.WriteNumber("maxSessions", limits.MaxSessions);
            w.WriteNumber("idleTimeoutSeconds", limits.IdleTimeout.TotalSeconds);
            w.WriteNumber("maxLifetimeSeconds", limits.MaxLifetime.TotalSeconds);
            w.WriteNumber("maxHiddenLayers", limits.MaxHiddenLayers);
            w.WriteNumber("maxUnits", limits.MaxUnits);
            w.WriteNumber("maxPoints", limits.MaxPoints);
            w.WriteNumber("maxUploadBytes", limits.MaxUploadBytes);
            w.WriteNumber("maxRequestBytes", limits.MaxRequestBytes);
            w.WriteNumber("maxFramesPerSecond", limits.MaxFramesPerSecond);
            w.WriteNumber("maxEpochsPerFrame", limits.MaxEpochsPerFrame);
            w.WriteNumber("maxPathPoints", limits.MaxPathPoints);
            w.WriteNumber("maxPathEpochs", limits.MaxPathEpochs);
            w.WriteNumber("sessions", sessions.Count);
        }), "application/json"));

        app.MapPost("/api/sessions", async (HttpContext ctx) =>
        {
            using var body = await ReadJson(ctx, limits).ConfigureAwait(false);
            var root = body.RootElement;
            var settings = new PlaygroundSettings().With(root, limits);
            string? csv = null;
            if (root.TryGetProperty("csv", out var c))
                csv = c.ValueKind == JsonValueKind.String ? c.GetString() : throw new PlaygroundRequestException("csv must be the file's text (a JSON string).");
            var session = sessions.Create(settings, csv);
            return Results.Content(session.Describe(), "application/json", Encoding.UTF8, 201);
        });

        app.MapGet("/api/sessions/{id}", (string id) => Results.Content(sessions.Get(id).Describe(), "application/json"));

        app.MapDelete("/api/sessions/{id}", (string id) => sessions.Remove(id) ? Results.NoContent() : throw new SessionNotFoundException($"no session '{id}'."));

        app.MapGet("/api/sessions/{id}/events", async (string id, HttpContext ctx) =>
        {
            var session = sessions.Get(id);
            var reader = session.Subscribe();
            try
            {
                ctx.Response.ContentType = "text/event-stream";
                ctx.Response.Headers.CacheControl = "no-cache";
                await ctx.Response.Body.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
                await foreach (var frame in reader.ReadAllAsync(ctx.RequestAborted).ConfigureAwait(false))
                {
                    await ctx.Response.WriteAsync("data: " + frame + "\n\n", ctx.RequestAborted).ConfigureAwait(false);
                    await ctx.Response.Body.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                // The page closed the stream.
            }
            finally
            {
                session.Unsubscribe(reader);
            }
        });

        app.MapPost("/api/sessions/{id}/control", async (string id, HttpContext ctx) =>
        {
            var session = sessions.Get(id);
            using var body = await ReadJson(ctx, limits).ConfigureAwait(false);
            if (body.RootElement.ValueKind != JsonValueKind.Object || !body.RootElement.TryGetProperty("action", out var a) || a.ValueKind != JsonValueKind.String)
                throw new PlaygroundRequestException("the body must be {\"action\": \"play\" | \"pause\" | \"step\" | \"reset\"}.");
            session.Control(a.GetString()!);
            return Results.NoContent();
        });

        app.MapPost("/api/sessions/{id}/settings", async (string id, HttpContext ctx) =>
        {
            var session = sessions.Get(id);
            using var body = await ReadJson(ctx, limits).ConfigureAwait(false);
            session.Update(body.RootElement);
            return Results.NoContent();
        });

        app.MapPost("/api/sessions/{id}/path", async (string id, HttpContext ctx) =>
        {
            var session = sessions.Get(id);
            using var body = await ReadJson(ctx, limits).ConfigureAwait(false);
            var root = body.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new PlaygroundRequestException("the body must be {\"points\": K, \"epochs\": E, \"ratio\": r}.");
            int points = IntField(root, "points", 20, 2, limits.MaxPathPoints);
            int epochs = IntField(root, "epochs", 50, 1, limits.MaxPathEpochs);
            double ratio = root.TryGetProperty("ratio", out var r) && r.ValueKind == JsonValueKind.Number ? r.GetDouble() : root.TryGetProperty("ratio", out _) ? double.NaN : 1e-3;
            if (!(ratio >= 1e-6 && ratio < 1)) throw new PlaygroundRequestException("ratio (λ_min/λ_max) must be a number in [1e-6, 1) (default 1e-3).");
            foreach (var p in root.EnumerateObject())
                if (p.Name is not ("points" or "epochs" or "ratio")) throw new PlaygroundRequestException($"unknown path field '{p.Name}'; use points, epochs and ratio.");
            session.StartPath(points, epochs, ratio);
            return Results.NoContent();
        });

        app.MapGet("/api/sessions/{id}/path/{index}", (string id, string index) =>
        {
            if (!int.TryParse(index, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int k))
                throw new PlaygroundRequestException($"the path index must be a whole number (got '{(index.Length > 20 ? index[..20] : index)}').");
            return Results.Content(sessions.Get(id).PathFrame(k), "application/json");
        });

        app.MapPost("/api/sessions/{id}/prune", (string id) => Results.Content(sessions.Get(id).Prune(), "application/json"));

        app.MapGet("/api/sessions/{id}/model", (string id, HttpContext ctx) =>
        {
            bool pruned = ctx.Request.Query["pruned"] is var v && (v == "1" || v == "true");
            var json = sessions.Get(id).ModelJson(pruned);
            ctx.Response.Headers.ContentDisposition = $"attachment; filename=\"playground{(pruned ? "-pruned" : "")}.json\"";
            return Results.Content(json, "application/json");
        });

        app.MapGet("/api/sessions/{id}/data.csv", (string id, HttpContext ctx) =>
        {
            var bytes = sessions.Get(id).DataCsv();
            ctx.Response.Headers.ContentDisposition = "attachment; filename=\"playground.csv\"";
            return Results.Bytes(bytes, "text/csv");
        });

        app.MapFallback((HttpContext ctx) => Results.Content(Session.Json(w => w.WriteString("error", $"no such page or endpoint: {ctx.Request.Method} {ctx.Request.Path}; the API is described in docs/playground.md.")), "application/json", Encoding.UTF8, 404));
    }

    private static int IntField(JsonElement root, string name, int fallback, int min, int max)
    {
        if (!root.TryGetProperty(name, out var v)) return fallback;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int x) && x >= min && x <= max) return x;
        throw new PlaygroundRequestException($"{name} must be a whole number in [{min}, {max}] (got {v.GetRawText()}).");
    }

    /// <summary>Reads the body as JSON, at most <see cref="PlaygroundLimits.MaxRequestBytes"/> bytes (400 beyond).</summary>
    private static async Task<JsonDocument> ReadJson(HttpContext ctx, PlaygroundLimits limits)
    {
        if (ctx.Request.ContentLength > limits.MaxRequestBytes)
            throw new PlaygroundRequestException($"the request body has {ctx.Request.ContentLength} bytes; at most {limits.MaxRequestBytes / 1024} KiB are accepted.");
        using var buffer = new MemoryStream();
        var chunk = new byte[16384];
        int n;
        while ((n = await ctx.Request.Body.ReadAsync(chunk, ctx.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + n > limits.MaxRequestBytes)
                throw new PlaygroundRequestException($"the request body is larger than {limits.MaxRequestBytes / 1024} KiB.");
            buffer.Write(chunk, 0, n);
        }
        if (buffer.Length == 0) throw new PlaygroundRequestException("the request has no body; send a JSON object.");
        return JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
    }

    private static byte[] Resource(string file)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Occam.Playground.wwwroot." + file)
            ?? throw new InvalidOperationException($"the page file {file} is not embedded in {Assembly.GetExecutingAssembly().GetName().Name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string ContentType(string file) => Path.GetExtension(file) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        _ => "text/css; charset=utf-8",
    };
}
