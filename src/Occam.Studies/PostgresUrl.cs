using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Occam.Studies;

/// <summary>
/// A PostgreSQL study URL, libpq's form: <c>postgresql://[user[:password]@]host[:port][/database][?param=value&amp;…]</c>
/// (or <c>postgres://</c>). User and password are percent-decoded. Defaults as libpq: port 5432, user = the OS user,
/// database = the user name; the password may also come from <c>PGPASSWORD</c> or <c>~/.pgpass</c>. Parameters:
/// <c>schema</c> (the PostgreSQL schema holding the study's tables, default <c>occam</c>; one study per schema),
/// <c>sslmode</c> (disable, allow, prefer, require, verify-ca, verify-full), <c>connect_timeout</c> (seconds, default
/// 10), <c>application_name</c>, <c>host</c> (overrides the host, e.g. a Unix-socket folder).
/// </summary>
internal sealed partial record PostgresUrl(string ConnectionString, string Schema, string Display)
{
    public const string DefaultSchema = "occam";

    /// <summary>The URL without its password (the connection string may hold it).</summary>
    public override string ToString() => Display;

    public static bool IsUrl(string text) =>
        text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase);

    public static PostgresUrl Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        int authorityStart = url.IndexOf("://", StringComparison.Ordinal) + 3;
        int authorityEnd = url.IndexOfAny(['/', '?'], authorityStart);
        if (authorityEnd < 0) authorityEnd = url.Length;
        string authority = url[authorityStart..authorityEnd];
        string? user = null, password = null;
        int at = authority.LastIndexOf('@');
        string shown = url; // the URL as given, the password replaced by ***, for errors about the URL itself
        if (at >= 0)
        {
            string info = authority[..at];
            int colon = info.IndexOf(':', StringComparison.Ordinal);
            user = Decode(colon >= 0 ? info[..colon] : info);
            if (colon >= 0)
            {
                password = Decode(info[(colon + 1)..]);
                shown = url[..authorityStart] + info[..colon] + ":***" + url[(authorityStart + at)..];
            }
            authority = authority[(at + 1)..];
        }
        string rest = url[authorityEnd..];
        string query = "";
        int q = rest.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0) (rest, query) = (rest[..q], rest[(q + 1)..]);
        string database = Decode(rest.TrimStart('/'));
        string host = authority;
        int port = 5432;
        int portColon = host.StartsWith('[') ? host.IndexOf("]:", StringComparison.Ordinal) + 1 : host.LastIndexOf(':');
        if (portColon > 0)
        {
            string portText = host[(portColon + 1)..];
            host = host[..portColon];
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
                throw OccamException.Usage($"--study {shown}: port '{portText}' is not a number from 1 to 65535");
        }
        host = Decode(host.Trim('[', ']'));
        var builder = new NpgsqlConnectionStringBuilder
        {
            Port = port,
            Timeout = 10,
            CommandTimeout = 60,
            ApplicationName = "occam",
        };
        string schema = DefaultSchema;
        foreach (string pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            string key = Decode(eq >= 0 ? pair[..eq] : pair), value = eq >= 0 ? Decode(pair[(eq + 1)..]) : "";
            switch (key)
            {
                case "schema":
                    if (!Identifier().IsMatch(value))
                        throw OccamException.Usage($"--study {shown}: schema '{value}' must be a lower-case identifier (a-z, 0-9, _; at most 63 characters, not starting with a digit)");
                    schema = value;
                    break;
                case "sslmode":
                    builder.SslMode = value switch
                    {
                        "disable" => SslMode.Disable,
                        "allow" => SslMode.Allow,
                        "prefer" => SslMode.Prefer,
                        "require" => SslMode.Require,
                        "verify-ca" => SslMode.VerifyCA,
                        "verify-full" => SslMode.VerifyFull,
                        _ => throw OccamException.Usage($"--study {shown}: sslmode '{value}' is not one of disable, allow, prefer, require, verify-ca, verify-full"),
                    };
                    break;
                case "connect_timeout":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) || seconds < 1)
                        throw OccamException.Usage($"--study {shown}: connect_timeout '{value}' must be a whole number of seconds, at least 1");
                    builder.Timeout = seconds;
                    break;
                case "application_name":
                    builder.ApplicationName = value;
                    break;
                case "host":
                    host = value;
                    break;
                default:
                    throw OccamException.Usage($"--study {shown}: unknown parameter '{key}'; known: schema, sslmode, connect_timeout, application_name, host");
            }
        }
        if (host.Length == 0)
            throw OccamException.Usage($"--study {shown}: the URL names no host; write postgresql://USER@HOST[:PORT]/DATABASE");
        user = string.IsNullOrEmpty(user) ? Environment.UserName : user;
        if (database.Length == 0) database = user;
        builder.Host = host;
        builder.Username = user;
        builder.Database = database;
        if (password is not null) builder.Password = password;
        builder.SearchPath = schema;
        string display = $"postgresql://{user}@{(host.Contains(':', StringComparison.Ordinal) ? "[" + host + "]" : host)}:{port.ToString(CultureInfo.InvariantCulture)}/{database}"
            + (schema == DefaultSchema ? "" : "?schema=" + schema);
        return new PostgresUrl(builder.ConnectionString, schema, display);
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text);

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex Identifier();
}
