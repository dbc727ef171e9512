using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Occam.Studies.Tests;

/// <summary>
/// A real child process running trials through a study store (tests/Occam.Studies.TestWorker, built next to the
/// tests): started with <c>dotnet</c>, its stdout lines collected, killed with SIGKILL (<see cref="Process.Kill()"/>
/// on Linux) like <c>kill -9</c>.
/// </summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly BlockingCollection<string> _lines = [];
    private readonly List<string> _seen = [];

    public WorkerProcess(string study, int trials, string worker, int leaseMs, int workMs, int? hangAfter = null, bool waitForGo = false,
        bool leaseOnly = false)
        : this("Occam.Studies.TestWorker.dll",
            [study, trials.ToString(CultureInfo.InvariantCulture), worker, leaseMs.ToString(CultureInfo.InvariantCulture),
             workMs.ToString(CultureInfo.InvariantCulture), .. hangAfter is int k ? [k.ToString(CultureInfo.InvariantCulture)] : Array.Empty<string>()],
            (waitForGo ? [("OCCAM_TEST_WORKER_WAIT", "1")] : Array.Empty<(string, string)>())
            .Concat(leaseOnly ? [("OCCAM_TEST_WORKER_LEASE_ONLY", "1")] : Array.Empty<(string, string)>()).ToArray())
    {
    }

    /// <summary>Runs <c>dotnet DLL ARGS</c>, DLL being a program built next to the tests (the test worker, or the
    /// <c>occam</c> command itself: Occam.Cli.dll).</summary>
    public WorkerProcess(string dll, IReadOnlyList<string> arguments, IReadOnlyList<(string Name, string Value)>? environment = null)
    {
        var start = new ProcessStartInfo
        {
            FileName = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? []) start.Environment[name] = value;
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, dll));
        foreach (string a in arguments) start.ArgumentList.Add(a);
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) _lines.CompleteAdding();
            else _lines.Add(e.Data);
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) Errors.Add(e.Data);
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public ConcurrentBag<string> Errors { get; } = [];

    /// <summary>The process id (for the worker names the occam command gives: host:pid#thread).</summary>
    public int Id => _process.Id;

    /// <summary>Every stdout line read so far by <see cref="WaitFor"/>.</summary>
    public IReadOnlyList<string> Seen => _seen;

    /// <summary>Reads lines until one matches; fails the test if the process ends or the time runs out first.</summary>
    public string WaitFor(Func<string, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !_lines.TryTake(out string? line, left))
                throw new Xunit.Sdk.XunitException($"worker: no matching line within {timeout.TotalSeconds} s (exited: {_process.HasExited}); "
                    + $"seen: {string.Join(" | ", _seen.TakeLast(5))}; stderr: {string.Join(" | ", Errors)}");
            _seen.Add(line);
            if (match(line)) return line;
        }
    }

    /// <summary>Lets a worker started with waitForGo begin claiming.</summary>
    public void Go()
    {
        _process.StandardInput.WriteLine("go");
        _process.StandardInput.Flush();
    }

    /// <summary>SIGKILL, as <c>kill -9</c>: the process gets no chance to clean up.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>Waits for a normal exit and returns the exit code, reading the remaining lines.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill();
            throw new Xunit.Sdk.XunitException($"worker did not finish within {timeout.TotalSeconds} s; seen: {string.Join(" | ", _seen.TakeLast(5))}");
        }
        _process.WaitForExit(); // drains the output events
        foreach (string line in _lines.GetConsumingEnumerable()) _seen.Add(line);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        _process.Dispose();
        _lines.Dispose();
    }
}
