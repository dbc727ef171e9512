using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Occam.Playground;

/// <summary>
/// The live sessions of a server: at most <see cref="PlaygroundLimits.MaxSessions"/>; a timer removes a session that
/// has been idle (no request and no open stream) for <see cref="PlaygroundLimits.IdleTimeout"/> or that is older than
/// <see cref="PlaygroundLimits.MaxLifetime"/>. Training on all sessions together uses at most one thread per core.
/// </summary>
internal sealed class SessionStore : IDisposable
{
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private readonly PlaygroundLimits _limits;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _cpu = new(Environment.ProcessorCount, Environment.ProcessorCount);
    private readonly ITimer _sweeper;
    private readonly object _createGate = new();

    public SessionStore(PlaygroundLimits limits, TimeProvider clock)
    {
        _limits = limits;
        _clock = clock;
        var period = TimeSpan.FromTicks(Math.Clamp(limits.IdleTimeout.Ticks / 4, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(30).Ticks));
        _sweeper = clock.CreateTimer(_ => Sweep(), null, period, period);
    }

    public int Count => _sessions.Count;

    /// <summary>A new session (503 via <see cref="ServerFullException"/> when the limit is reached).</summary>
    public Session Create(PlaygroundSettings settings, string? csv)
    {
        lock (_createGate)
        {
            if (_sessions.Count >= _limits.MaxSessions) Sweep();
            if (_sessions.Count >= _limits.MaxSessions)
                throw new ServerFullException($"the server already runs {_sessions.Count} sessions (at most {_limits.MaxSessions}); close a tab or try again when idle sessions have expired ({_limits.IdleTimeout.TotalMinutes:0.#} min).");
            string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            var session = Session.Create(id, settings, csv, _limits, _cpu, _clock);
            _sessions[id] = session;
            return session;
        }
    }

    /// <summary>The session <paramref name="id"/>; <see cref="SessionNotFoundException"/> (404) when there is none.</summary>
    public Session Get(string id) => _sessions.TryGetValue(id, out var s)
        ? s
        : throw new SessionNotFoundException($"no session '{(id.Length > 40 ? id[..40] + "…" : id)}' (it may have expired after {_limits.IdleTimeout.TotalMinutes:0.#} idle minutes); reload the page.");

    public bool Remove(string id)
    {
        if (!_sessions.TryRemove(id, out var s)) return false;
        s.Dispose();
        return true;
    }

    /// <summary>Removes idle and expired sessions; returns how many.</summary>
    public int Sweep()
    {
        int removed = 0;
        var now = _clock.GetUtcNow();
        foreach (var (id, s) in _sessions)
        {
            bool idle = s.Streams == 0 && s.Idle >= _limits.IdleTimeout;
            bool old = now - s.Created >= _limits.MaxLifetime;
            if ((idle || old) && Remove(id)) removed++;
        }
        return removed;
    }

    public void Dispose()
    {
        _sweeper.Dispose();
        foreach (var id in _sessions.Keys) Remove(id);
        _cpu.Dispose();
    }
}

/// <summary>The server has no room for another session: HTTP 503.</summary>
public sealed class ServerFullException(string message) : Exception(message);

/// <summary>No such session: HTTP 404.</summary>
public sealed class SessionNotFoundException(string message) : Exception(message);
