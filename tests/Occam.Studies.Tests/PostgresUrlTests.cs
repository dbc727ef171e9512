using Npgsql;

namespace Occam.Studies.Tests;

/// <summary>Parsing study URLs into Npgsql connection strings (no server needed).</summary>
public sealed class PostgresUrlTests
{
    [Fact]
    public void A_full_url_maps_to_the_connection_string_and_displays_without_its_password()
    {
        var url = PostgresUrl.Parse("postgresql://ann%40lab:p%3Ass%2Fw@db.example.org:6543/sweeps?schema=digits_l1&sslmode=require&connect_timeout=3");
        var cs = new NpgsqlConnectionStringBuilder(url.ConnectionString);
        Assert.Equal(("db.example.org", 6543, "ann@lab", "p:ss/w", "sweeps", "digits_l1"), (cs.Host, cs.Port, cs.Username, cs.Password, cs.Database, cs.SearchPath));
        Assert.Equal((SslMode.Require, 3), (cs.SslMode, cs.Timeout));
        Assert.Equal("digits_l1", url.Schema);
        Assert.Equal("postgresql://ann@lab@db.example.org:6543/sweeps?schema=digits_l1", url.Display);
        Assert.Equal(url.Display, url.ToString());
    }

    [Fact]
    public void Defaults_follow_libpq()
    {
        var url = PostgresUrl.Parse("postgres://localhost");
        var cs = new NpgsqlConnectionStringBuilder(url.ConnectionString);
        Assert.Equal(("localhost", 5432, Environment.UserName, Environment.UserName, "occam"), (cs.Host, cs.Port, cs.Username, cs.Database, cs.SearchPath));
        Assert.Null(cs.Password);
        Assert.Equal($"postgresql://{Environment.UserName}@localhost:5432/{Environment.UserName}", url.Display);
        var v6 = new NpgsqlConnectionStringBuilder(PostgresUrl.Parse("postgresql://u@[::1]:5433/d").ConnectionString);
        Assert.Equal(("::1", 5433), (v6.Host, v6.Port));
        var socket = new NpgsqlConnectionStringBuilder(PostgresUrl.Parse("postgresql://u@x/d?host=/var/run/postgresql").ConnectionString);
        Assert.Equal("/var/run/postgresql", socket.Host);
    }

    [Theory]
    [InlineData("postgresql://u:pw@h:99999/d", "--study postgresql://u:***@h:99999/d: port '99999' is not a number from 1 to 65535")]
    [InlineData("postgresql://u:pw@h/d?shema=x", "--study postgresql://u:***@h/d?shema=x: unknown parameter 'shema'; known: schema, sslmode, connect_timeout, application_name, host")]
    [InlineData("postgresql://h/d?schema=Bad-Name", "--study postgresql://h/d?schema=Bad-Name: schema 'Bad-Name' must be a lower-case identifier (a-z, 0-9, _; at most 63 characters, not starting with a digit)")]
    [InlineData("postgresql://h/d?sslmode=always", "--study postgresql://h/d?sslmode=always: sslmode 'always' is not one of disable, allow, prefer, require, verify-ca, verify-full")]
    [InlineData("postgresql://u:pw@/d", "--study postgresql://u:***@/d: the URL names no host; write postgresql://USER@HOST[:PORT]/DATABASE")]
    [InlineData("mysql://h/d", "--study mysql://h/d: unknown URL scheme 'mysql://'; pass a file path or a postgresql:// URL")]
    [InlineData(" ", "--study is empty; pass a study file path or a postgresql://USER@HOST/DATABASE URL")]
    public void Bad_urls_are_usage_errors_that_hide_the_password(string text, string message)
    {
        var e = Assert.Throws<OccamException>(() => StudyStores.Open(text));
        Assert.Equal(OccamErrorKind.Usage, e.Kind);
        Assert.Equal(message, e.Message);
    }
}
