using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Occam.Studies.Tests;

/// <summary>
/// A throw-away PostgreSQL server for the tests: Debian's <c>postgresql</c> binaries (/usr/lib/postgresql/N/bin, the
/// newest N; or $OCCAM_PG_BIN), <c>initdb</c> (as the postgres user when running as root: initdb refuses root) into a
/// temporary folder, <c>pg_ctl start</c> on a free loopback port with a private socket folder, stopped and removed on
/// dispose. If it cannot start, <see cref="Url"/> throws with the reason and the fix, so every PostgreSQL test fails
/// rather than passing silently.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    private readonly string? _bin;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "occam-pg-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly bool _asPostgres = Environment.UserName == "root";
    private int _schemas;

    public PostgresServer()
    {
        try
        {
            _bin = FindBinaries();
            Start();
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or System.ComponentModel.Win32Exception or UnauthorizedAccessException)
        {
            Error = "the PostgreSQL test server could not start: " + e.Message
                + " — install the server with `apt-get install -y postgresql` (Debian; .ci/run does this) or point $OCCAM_PG_BIN at its bin folder";
        }
    }

    /// <summary>Why the server did not start, or null.</summary>
    public string? Error { get; }

    public int Port { get; private set; }

    private string Data => Path.Combine(_folder, "data");

    /// <summary>A study URL on this server in a fresh schema (one study per schema).</summary>
    public string Url(string? schema = null)
    {
        if (Error is not null) throw new InvalidOperationException(Error);
        schema ??= "t" + Interlocked.Increment(ref _schemas).ToString(CultureInfo.InvariantCulture) + "_" + Guid.NewGuid().ToString("N")[..8];
        return $"postgresql://postgres@127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/postgres?schema={schema}";
    }

    /// <summary>A plain Npgsql connection string to the server (for setting up faults in tests).</summary>
    public string ConnectionString
    {
        get
        {
            if (Error is not null) throw new InvalidOperationException(Error);
            return $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Database=postgres;Pooling=false";
        }
    }

    public void Dispose()
    {
        if (_bin is not null && Port != 0)
            Run(Path.Combine(_bin, "pg_ctl"), ["-D", Data, "-m", "immediate", "-w", "stop"], throwOnError: false);
        try
        {
            if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private static string FindBinaries()
    {
        string? env = Environment.GetEnvironmentVariable("OCCAM_PG_BIN");
        if (!string.IsNullOrEmpty(env))
            return File.Exists(Path.Combine(env, "initdb")) ? env : throw new InvalidOperationException($"$OCCAM_PG_BIN={env} has no initdb");
        const string Root = "/usr/lib/postgresql";
        var bins = Directory.Exists(Root)
            ? Directory.GetDirectories(Root)
                .Select(d => (Version: int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v : -1, Bin: Path.Combine(d, "bin")))
                .Where(x => x.Version > 0 && File.Exists(Path.Combine(x.Bin, "initdb")) && File.Exists(Path.Combine(x.Bin, "pg_ctl")))
                .OrderByDescending(x => x.Version).ToArray()
            : [];
        return bins.Length > 0 ? bins[0].Bin : throw new InvalidOperationException($"no initdb/pg_ctl under {Root}/*/bin");
    }

    private void Start()
    {
        Directory.CreateDirectory(_folder);
        if (_asPostgres) Run("chown", ["postgres:postgres", _folder]);
        Run(Path.Combine(_bin!, "initdb"), ["-D", Data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"]);
        string? lastError = null;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            int port = FreePort();
            var (code, output) = Run(Path.Combine(_bin!, "pg_ctl"), ["-D", Data, "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "60",
                "-o", $"-p {port.ToString(CultureInfo.InvariantCulture)} -k {_folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", "start"],
                throwOnError: false);
            if (code == 0)
            {
                Port = port;
                return;
            }
            string log = Path.Combine(_folder, "server.log");
            lastError = output.Trim() + (File.Exists(log) ? " | " + File.ReadAllText(log).Trim().Replace('\n', ' ') : "");
        }
        throw new InvalidOperationException("pg_ctl start failed: " + lastError);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private (int Code, string Output) Run(string program, string[] arguments, bool throwOnError = true)
    {
        var start = new ProcessStartInfo
        {
            FileName = _asPostgres && program != "chown" ? "runuser" : program,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (_asPostgres && program != "chown")
        {
            foreach (string a in (string[])["-u", "postgres", "--", program]) start.ArgumentList.Add(a);
        }
        foreach (string a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + program);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Path.GetFileName(program)} did not finish in 90 s");
        }
        string output = stdout.Result + stderr.Result;
        if (throwOnError && process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(program)} exited with {process.ExitCode}: {output.Trim().Replace('\n', ' ')}");
        return (process.ExitCode, output);
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
