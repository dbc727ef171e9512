namespace Occam.Playground;

/// <summary>
/// The bounds of a playground server: every request that asks for more gets HTTP 400 (or 503 when the server is
/// full), so a server stays small whatever its pages send. The defaults are the documented ones (docs/playground.md).
/// </summary>
public sealed record PlaygroundLimits
{
    /// <summary>Sessions alive at once; creating one more gives 503. Default 64.</summary>
    public int MaxSessions { get; init; } = 64;

    /// <summary>A session nobody has asked for (no request, no open event stream) for this long is removed. Default 10 minutes.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>A session is removed this long after its creation, in use or not. Default 2 hours.</summary>
    public TimeSpan MaxLifetime { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Hidden layers at most. Default 6.</summary>
    public int MaxHiddenLayers { get; init; } = 6;

    /// <summary>Units per hidden layer at most. Default 16.</summary>
    public int MaxUnits { get; init; } = 16;

    /// <summary>Data points (generated or uploaded) at most. Default 2000.</summary>
    public int MaxPoints { get; init; } = 2000;

    /// <summary>Bytes of an uploaded CSV at most. Default 256 KiB.</summary>
    public int MaxUploadBytes { get; init; } = 256 * 1024;

    /// <summary>Bytes of any request body at most (the upload plus the settings). Default 320 KiB.</summary>
    public long MaxRequestBytes { get; init; } = 320 * 1024;

    /// <summary>Frames per second of a session's event stream at most. Default 20.</summary>
    public int MaxFramesPerSecond { get; init; } = 20;

    /// <summary>Epochs trained between two frames at most. Default 50.</summary>
    public int MaxEpochsPerFrame { get; init; } = 50;

    /// <summary>λ values of a λ path at most. Default 40.</summary>
    public int MaxPathPoints { get; init; } = 40;

    /// <summary>Epochs per λ of a λ path at most. Default 500.</summary>
    public int MaxPathEpochs { get; init; } = 500;

    /// <summary>Open event streams per session at most. Default 4.</summary>
    public int MaxStreamsPerSession { get; init; } = 4;

    /// <summary>Cells per side of the boundary heatmap. Default 48.</summary>
    public int GridSize { get; init; } = 48;

    /// <summary>Cells per side of each unit's heatmap. Default 16.</summary>
    public int UnitGridSize { get; init; } = 16;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming a limit that is not positive.</summary>
    public void Validate()
    {
        foreach (var (name, value) in new (string, double)[]
        {
            (nameof(MaxSessions), MaxSessions), (nameof(IdleTimeout), IdleTimeout.TotalSeconds), (nameof(MaxLifetime), MaxLifetime.TotalSeconds),
            (nameof(MaxHiddenLayers), MaxHiddenLayers + 1), (nameof(MaxUnits), MaxUnits), (nameof(MaxPoints), MaxPoints),
            (nameof(MaxUploadBytes), MaxUploadBytes), (nameof(MaxRequestBytes), MaxRequestBytes), (nameof(MaxFramesPerSecond), MaxFramesPerSecond),
            (nameof(MaxEpochsPerFrame), MaxEpochsPerFrame), (nameof(MaxPathPoints), MaxPathPoints), (nameof(MaxPathEpochs), MaxPathEpochs),
            (nameof(MaxStreamsPerSession), MaxStreamsPerSession), (nameof(GridSize), GridSize), (nameof(UnitGridSize), UnitGridSize),
        })
            if (!(value > 0)) throw new ArgumentOutOfRangeException(name, value, $"PlaygroundLimits.{name} must be > 0.");
    }
}
