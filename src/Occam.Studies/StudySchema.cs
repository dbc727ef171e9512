namespace Occam.Studies;

/// <summary>
/// The study schema, the same text for SQLite and PostgreSQL (types chosen so both read them alike: SQLite gives
/// <c>integer PRIMARY KEY</c> its rowid meaning, <c>bigint</c> integer affinity, <c>double precision</c> real affinity).
/// Migration <c>k</c> (1-based) takes a store from version <c>k − 1</c> to <c>k</c>; they run in order inside one
/// transaction, each recorded as a row of <c>schema_version</c>. A store whose version is newer than
/// <see cref="Version"/> is refused. Documented in docs/formats.md ("Study stores").
/// </summary>
internal static class StudySchema
{
    /// <summary>The schema version this code writes.</summary>
    public static int Version => Migrations.Count;

    public static IReadOnlyList<string> Migrations { get; } =
    [
        // 1: the study, its trials and every attempt at them. Times are Unix milliseconds.
        """
        CREATE TABLE schema_version (version integer PRIMARY KEY, applied bigint NOT NULL);
        CREATE TABLE study (
            id integer PRIMARY KEY CHECK (id = 1),
            name text NOT NULL,
            fingerprint text NOT NULL,
            definition_json text NOT NULL,
            created bigint NOT NULL);
        CREATE TABLE trials (
            number integer PRIMARY KEY,
            settings_json text NOT NULL,
            budget integer NOT NULL,
            promoted_from integer,
            state text NOT NULL CHECK (state IN ('pending', 'running', 'complete', 'failed')),
            attempts integer NOT NULL DEFAULT 0,
            worker text,
            lease_until bigint,
            objective double precision,
            objective_se double precision,
            metrics_json text,
            seconds double precision,
            error text,
            finished bigint);
        CREATE INDEX trials_open ON trials (number) WHERE state IN ('pending', 'running');
        CREATE TABLE attempts (
            number integer NOT NULL REFERENCES trials (number),
            attempt integer NOT NULL,
            worker text NOT NULL,
            state text NOT NULL CHECK (state IN ('running', 'complete', 'failed', 'stale', 'superseded')),
            started bigint NOT NULL,
            ended bigint,
            error text,
            host text,
            pid integer,
            pid_start bigint,
            PRIMARY KEY (number, attempt));
        """,
    ];
}
