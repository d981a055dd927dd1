using Vpp.Silo.Storage;

namespace Vpp.Silo.Hosting;

/// <summary>
/// What the process does besides serving: the <c>migrate</c> verb, and the start-up check that turns an
/// unusable database into one line and an exit code instead of a hang or a stack trace.
/// </summary>
public static class SiloCommands
{
    public const string MigrateVerb = "migrate";

    /// <summary>Exit code when the configuration is unusable (no connection string, unknown provider).</summary>
    public const int ConfigurationError = 2;

    /// <summary>Exit code when the database cannot be reached or refuses the connection.</summary>
    public const int DatabaseUnavailable = 3;

    public static bool IsMigrate(string[] args) => args.Length > 0 && args[0] == MigrateVerb;

    /// <summary>Applies the configured provider's scripts (idempotent) and returns the process exit code.</summary>
    public static async Task<int> MigrateAsync(IConfiguration config, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            switch (OrleansSetup.StorageProvider(config))
            {
                case "postgres":
                    var settings = PostgresSettings.From(config);
                    if (await PostgresPreflight.ProblemAsync(settings.ConnectionString, cancellationToken) is { } problem)
                    {
                        await error.WriteLineAsync(problem);
                        return DatabaseUnavailable;
                    }

                    var result = await PostgresSetup.ApplyAsync(settings.ConnectionString, settings.SqlFolder, cancellationToken);
                    await output.WriteLineAsync($"migrate: PostgreSQL at {result.Server}: applied {string.Join(", ", result.AppliedScripts)} from {settings.SqlFolder}");
                    return 0;
                case "sqlite":
                    var connectionString = config["Storage:Sqlite:ConnectionString"]
                        ?? throw new InvalidOperationException("Storage:Sqlite:ConnectionString is not configured");
                    var sqlite = SqliteStorageSetup.Apply(connectionString, Path.Combine(config["Vpp:ConfigDirectory"]!, "sql", "sqlite"));
                    await output.WriteLineAsync($"migrate: SQLite database {sqlite.DatabasePath}: applied {string.Join(", ", sqlite.AppliedScripts)}");
                    return 0;
                case "memory":
                    await output.WriteLineAsync("migrate: Storage:Provider is Memory; nothing to migrate");
                    return 0;
                default:
                    await error.WriteLineAsync($"migrate: Storage:Provider '{config["Storage:Provider"]}' is not supported (use Sqlite, Memory or Postgres)");
                    return ConfigurationError;
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IOException)
        {
            await error.WriteLineAsync($"migrate: {ex.Message}");
            return ConfigurationError;
        }
    }

    /// <summary>
    /// Null when the silo can start; else the line to print. Bounded by the connection timeout
    /// (<see cref="PostgresSetup.DefaultConnectTimeoutSeconds"/> s unless the connection string sets one).
    /// </summary>
    public static async Task<(string Message, int ExitCode)?> StartupProblemAsync(IConfiguration config, CancellationToken cancellationToken)
    {
        if (ClusterTls.Problem(config) is { } tlsProblem)
        {
            return (tlsProblem, ConfigurationError);
        }

        if (WorkerThreadLimit.Problem(config) is { } threadProblem)
        {
            return (threadProblem, ConfigurationError);
        }

        if (OrleansSetup.StorageProvider(config) != "postgres")
        {
            return null;
        }

        PostgresSettings settings;
        try
        {
            settings = PostgresSettings.From(config);
        }
        catch (InvalidOperationException ex)
        {
            return (ex.Message, ConfigurationError);
        }

        return await PostgresPreflight.ProblemAsync(settings.ConnectionString, cancellationToken) is { } problem
            ? (problem, DatabaseUnavailable)
            : null;
    }
}
