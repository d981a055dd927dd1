namespace Vpp.Silo.Storage;

/// <summary>
/// The PostgreSQL profile's settings: <c>ConnectionStrings:Postgres</c> (else env <c>VPP_POSTGRES</c>, the
/// variable scripts/postgres.sh exports), <c>Storage:Postgres:ApplySchemaAtStart</c> and
/// <c>Storage:Postgres:SqlFolder</c>.
/// </summary>
public sealed record PostgresSettings(string ConnectionString, bool ApplySchemaAtStart, string SqlFolder)
{
    public const string ConnectionStringName = "Postgres";
    public const string EnvironmentVariable = "VPP_POSTGRES";

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
        var sqlFolder = section["SqlFolder"] is { Length: > 0 } folder
            ? folder
            : Path.Combine(config["Vpp:ConfigDirectory"] ?? Path.GetDirectoryName(PostgresSetup.DefaultSqlFolder)!, "sql", "postgres");
        return new PostgresSettings(connectionString, section.GetValue("ApplySchemaAtStart", true), sqlFolder);
    }
}
