namespace Vpp.Silo.Storage;

/// <summary>
/// The PostgreSQL profile's settings: <c>ConnectionStrings:Postgres</c> (else env <c>VPP_POSTGRES</c>, the
/// variable scripts/postgres.sh exports), <c>Storage:Postgres:ApplySchemaAtStart</c>,
/// <c>Storage:Postgres:SqlFolder</c> and <c>Storage:Postgres:MaxPoolSize</c>.
/// </summary>
public sealed record PostgresSettings(string ConnectionString, bool ApplySchemaAtStart, string SqlFolder)
{
    public const string ConnectionStringName = "Postgres";
    public const string EnvironmentVariable = "VPP_POSTGRES";

    /// <summary>
    /// Connections one silo may hold (Npgsql's Maximum Pool Size), set when the connection string names none: grain
    /// storage, membership and reminders share the pool. The server's max_connections must cover every silo's pool
    /// plus its reserved and administrative connections: N × MaxPoolSize + 3 (superuser_reserved_connections) + ~10.
    /// Small on purpose: a server does its most work with about two active connections per core (PostgreSQL wiki,
    /// "Number Of Database Connections": ((cores × 2) + effective spindles)), and more connections than that only
    /// queue inside it. Measured with bulk registration on 2 cores: 50 connections stored a new fleet's first 20,000
    /// assets at about half the rate of 8 or 16 (docs/benchmarks.md, "Bulk registration").
    /// </summary>
    public const int DefaultMaxPoolSize = 16;

    /// <exception cref="InvalidOperationException">No connection string is configured (the message says where to put one).</exception>
    public static PostgresSettings From(IConfiguration config)
    {
        var connectionString = config.GetConnectionString(ConnectionStringName) is { Length: > 0 } configured
            ? configured
            : Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"Storage:Provider is Postgres but no connection string is set: set ConnectionStrings:{ConnectionStringName} " +
                $"(env ConnectionStrings__{ConnectionStringName}) or {EnvironmentVariable} " +
                "(e.g. Host=127.0.0.1;Port=5432;Database=vpp;Username=vpp;Password=…; `eval \"$(scripts/postgres.sh env)\"` starts a local one).");
        }

        var section = config.GetSection("Storage:Postgres");
        var sqlFolder = section["SqlFolder"] is { Length: > 0 } folder ? folder
            : config["Vpp:ConfigDirectory"] is { Length: > 0 } configDirectory ? Path.Combine(configDirectory, "sql", "postgres")
            : PostgresSetup.DefaultSqlFolder;
        var maxPoolSize = section.GetValue("MaxPoolSize", DefaultMaxPoolSize);
        if (maxPoolSize < 1)
        {
            throw new InvalidOperationException("Storage:Postgres:MaxPoolSize must be at least 1");
        }

        return new PostgresSettings(WithPoolLimit(connectionString, maxPoolSize), section.GetValue("ApplySchemaAtStart", true), sqlFolder);
    }

    /// <summary>The connection string with <c>Maximum Pool Size</c> set, unless it already sets one (it wins).</summary>
    public static string WithPoolLimit(string connectionString, int maxPoolSize)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder();
        try
        {
            given.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            return connectionString; // malformed: PostgresSetup reports it with the setting's name
        }

        if (!new[] { "Maximum Pool Size", "Max Pool Size", "MaxPoolSize", "MaximumPoolSize" }.Any(given.ContainsKey))
        {
            given["Maximum Pool Size"] = maxPoolSize;
        }

        return given.ConnectionString;
    }
}
