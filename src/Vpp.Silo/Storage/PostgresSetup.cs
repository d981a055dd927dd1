using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Storage;

namespace Vpp.Silo.Storage;

/// <summary>What <see cref="PostgresSetup.ApplyAsync"/> did.</summary>
/// <param name="Server">The server and database, without credentials (<c>Host=…;Port=…;Database=…</c>).</param>
/// <param name="AppliedScripts">File names of the scripts run, in the order they were run.</param>
public sealed record SchemaResult(string Server, IReadOnlyList<string> AppliedScripts);

/// <summary>
/// PostgreSQL (Npgsql) back-end for Orleans: grain persistence, cluster membership and reminders through the
/// Orleans ADO.NET providers, with the schema and <c>OrleansQuery</c> rows from our own idempotent scripts
/// (silo-config/sql/postgres).
/// </summary>
/// <remarks>
/// The providers read their queries once when they initialise, so the scripts are applied by a silo
/// lifecycle participant before any of them starts (stage <see cref="ServiceLifecycleStage.RuntimeInitialize"/>;
/// membership starts at RuntimeGrainServices, grain storage at its InitStage). Scripts run once per silo
/// start even when several providers are registered; several silos starting at once serialise on an advisory lock.
/// </remarks>
public static class PostgresSetup
{
    /// <summary>The ADO.NET invariant the Orleans providers map to <c>Npgsql.NpgsqlFactory</c>.</summary>
    public const string AdoNetInvariant = "Npgsql";

    /// <summary>Seconds to wait for a connection when the connection string does not set <c>Timeout</c>.</summary>
    public const int DefaultConnectTimeoutSeconds = 10;

    /// <summary>Key of the transaction-scoped advisory lock held while the scripts run.</summary>
    public const long SchemaLockKey = 0x5650505F4F524CL; // "VPP_ORL"

    /// <summary>Queries the ADO.NET grain storage provider requires.</summary>
    public static IReadOnlyList<string> PersistenceQueryKeys => SchemaLifecycle.PersistenceQueryKeys;

    /// <summary>Queries the ADO.NET membership provider requires.</summary>
    public static IReadOnlyList<string> ClusteringQueryKeys { get; } =
    [
        "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey", "UpdateIAmAlivetimeKey",
        "MembershipReadRowKey", "MembershipReadAllKey", "GatewaysQueryKey", "DeleteMembershipTableEntriesKey",
        "CleanupDefunctSiloEntriesKey",
    ];

    /// <summary>Queries the ADO.NET reminder provider requires.</summary>
    public static IReadOnlyList<string> ReminderQueryKeys => SchemaLifecycle.ReminderQueryKeys;

    /// <summary>
    /// The default scripts folder: <c>sql/postgres</c> under $VPP_CONFIG_DIR, else under the silo-config/
    /// copied next to the binaries, else under the working directory's silo-config/.
    /// </summary>
    public static string DefaultSqlFolder
    {
        get
        {
            var candidates = new List<string>();
            if (Environment.GetEnvironmentVariable("VPP_CONFIG_DIR") is { Length: > 0 } configDir)
            {
                candidates.Add(configDir);
            }

            candidates.Add(Path.Combine(AppContext.BaseDirectory, "silo-config"));
            candidates.Add(Path.Combine(Directory.GetCurrentDirectory(), "silo-config"));
            var folders = candidates.Select(c => Path.Combine(c, "sql", "postgres")).ToList();
            return folders.FirstOrDefault(Directory.Exists) ?? folders[0];
        }
    }

    /// <summary>
    /// Returns the connection string to use: <c>Timeout</c> (connect timeout) is set to
    /// <see cref="DefaultConnectTimeoutSeconds"/> unless given.
    /// </summary>
    /// <exception cref="ArgumentException">The connection string is empty or malformed, or has no host.</exception>
    public static string NormalizeConnectionString(string connectionString)
    {
        var builder = Parse(connectionString);
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!new[] { "Timeout", "Connect Timeout", "Connection Timeout", "ConnectTimeout" }.Any(given.ContainsKey))
        {
            builder.Timeout = DefaultConnectTimeoutSeconds;
        }

        return builder.ConnectionString;
    }

    /// <summary>Describes the server of a connection string without credentials: <c>Host=…;Port=…;Database=…</c>.</summary>
    public static string DescribeServer(string connectionString)
    {
        var builder = Parse(connectionString);
        return $"Host={builder.Host};Port={builder.Port};Database={builder.Database}";
    }

    /// <summary>
    /// Runs every <c>*.sql</c> file of <paramref name="sqlFolder"/> (ordinal order of file names) in one
    /// transaction that first takes a transaction-scoped advisory lock, so silos starting together apply them
    /// one after the other. The scripts must be idempotent: they run on every call.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException"><paramref name="sqlFolder"/> does not exist.</exception>
    /// <exception cref="InvalidOperationException">The server is unreachable (message names host and port, never
    /// the password) or a script failed (message names the script).</exception>
    public static async Task<SchemaResult> ApplyAsync(string connectionString, string sqlFolder, CancellationToken cancellationToken)
    {
        var scripts = GetScripts(sqlFolder);
        var normalized = NormalizeConnectionString(connectionString);
        var server = DescribeServer(normalized);

        await using var connection = await OpenAsync(normalized, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("key", SchemaLockKey);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        var applied = new List<string>(scripts.Count);
        foreach (var script in scripts)
        {
            var name = Path.GetFileName(script);
            var sql = await File.ReadAllTextAsync(script, cancellationToken);
            try
            {
                await using var command = new NpgsqlCommand(sql, connection, transaction);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (PostgresException ex)
            {
                throw new InvalidOperationException(
                    $"Applying SQL script '{script}' to PostgreSQL at {server} failed: {ex.MessageText} (SQLSTATE {ex.SqlState}, line {LineOf(sql, ex.Position)}).", ex);
            }

            applied.Add(name);
        }

        await transaction.CommitAsync(cancellationToken);
        return new SchemaResult(server, applied);
    }

    /// <summary>
    /// Returns those of <paramref name="queryKeys"/> missing from the <c>OrleansQuery</c> table (all of them
    /// when the table does not exist).
    /// </summary>
    public static async Task<IReadOnlyList<string>> FindMissingQueriesAsync(
        string connectionString, IEnumerable<string> queryKeys, CancellationToken cancellationToken)
    {
        var wanted = queryKeys.ToArray();
        await using var connection = await OpenAsync(NormalizeConnectionString(connectionString), cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT to_regclass('orleansquery') IS NOT NULL", connection);
        if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
        {
            return wanted;
        }

        var present = new HashSet<string>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand("SELECT QueryKey FROM OrleansQuery", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            present.Add(reader.GetString(0));
        }

        return wanted.Where(key => !present.Contains(key)).ToArray();
    }

    /// <summary>
    /// Registers an Orleans ADO.NET grain storage named <paramref name="providerName"/> on PostgreSQL. Before
    /// the provider initialises, the scripts of <paramref name="sqlFolder"/> are applied and the persistence
    /// queries checked; start-up fails with a clear message otherwise.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException"><paramref name="sqlFolder"/> does not exist (checked immediately).</exception>
    public static ISiloBuilder AddVppPostgresGrainStorage(
        this ISiloBuilder builder,
        string providerName,
        string connectionString,
        string sqlFolder,
        bool applyScripts = true)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(providerName);
        var normalized = NormalizeConnectionString(connectionString);
        var folder = CheckedFolder(sqlFolder);

        // The ADO.NET provider is registered under an inner name; grains reach it through the unreadable-state guard.
        var innerName = providerName + ".postgres";
        builder.Services.UseStateJson();
        builder.Services.AddKeyedSingleton(innerName, (_, _) => NpgsqlDataSource.Create(normalized));
        builder.Services.AddKeyedSingleton<IGrainStorage>(
            providerName,
            (services, _) => new UnreadableStateGuard(
                WithBulkInsert(services, innerName),
                services.GetRequiredService<ILogger<UnreadableStateGuard>>()));
        AddSchemaParticipant(builder, $"grain storage '{providerName}'", normalized, folder, applyScripts, PersistenceQueryKeys,
            services => services.GetRequiredService<IOptionsMonitor<AdoNetGrainStorageOptions>>().Get(innerName).InitStage);
        return builder.AddAdoNetGrainStorage(innerName, options =>
        {
            options.Invariant = AdoNetInvariant;
            options.ConnectionString = normalized;
        });
    }

    private static IGrainStorage WithBulkInsert(IServiceProvider services, string innerName)
    {
        var provider = services.GetRequiredKeyedService<IGrainStorage>(innerName);
        return provider is AdoNetGrainStorage adoNet
            ? new PostgresInsertOnlyGrainStorage(
                adoNet,
                innerName,
                services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
                services.GetRequiredKeyedService<NpgsqlDataSource>(innerName))
            : provider;
    }

    /// <summary>
    /// Uses PostgreSQL for cluster membership (Orleans ADO.NET clustering). The scripts of
    /// <paramref name="sqlFolder"/> (default <see cref="DefaultSqlFolder"/>) are applied before membership starts.
    /// </summary>
    public static ISiloBuilder UseVppPostgresClustering(
        this ISiloBuilder builder, string connectionString, string? sqlFolder = null, bool applyScripts = true)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var normalized = NormalizeConnectionString(connectionString);
        var folder = CheckedFolder(sqlFolder ?? DefaultSqlFolder);

        AddSchemaParticipant(builder, "cluster membership", normalized, folder, applyScripts, ClusteringQueryKeys, _ => null);
        return builder.UseAdoNetClustering(options =>
        {
            options.Invariant = AdoNetInvariant;
            options.ConnectionString = normalized;
        });
    }

    /// <summary>
    /// Uses PostgreSQL for reminders (Orleans ADO.NET reminder table). The scripts of
    /// <paramref name="sqlFolder"/> (default <see cref="DefaultSqlFolder"/>) are applied before the reminder service starts.
    /// </summary>
    public static ISiloBuilder UseVppPostgresReminders(
        this ISiloBuilder builder, string connectionString, string? sqlFolder = null, bool applyScripts = true)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var normalized = NormalizeConnectionString(connectionString);
        var folder = CheckedFolder(sqlFolder ?? DefaultSqlFolder);

        AddSchemaParticipant(builder, "reminders", normalized, folder, applyScripts, ReminderQueryKeys, _ => null);
        return SchemaLifecycle.UseAdoNetReminders(builder, AdoNetInvariant, normalized);
    }

    private static void AddSchemaParticipant(
        ISiloBuilder builder,
        string purpose,
        string connectionString,
        string sqlFolder,
        bool applyScripts,
        IReadOnlyList<string> requiredKeys,
        Func<IServiceProvider, int?> providerStage) =>
        SchemaLifecycle.AddParticipant(builder, $"PostgreSQL {purpose}", providerStage, async (once, cancellationToken) =>
        {
            if (!applyScripts)
            {
                // Schema managed out of band (the `migrate` verb, a DBA): only check that it is there.
                var absent = await FindMissingQueriesAsync(connectionString, requiredKeys, cancellationToken);
                if (absent.Count > 0)
                {
                    throw new InvalidOperationException(
                        $"PostgreSQL {purpose}: the database at {DescribeServer(connectionString)} lacks the OrleansQuery rows " +
                        $"{string.Join(", ", absent)}; run `Vpp.Silo migrate` or set Storage:Postgres:ApplySchemaAtStart=true.");
                }

                return $"database at {DescribeServer(connectionString)} has its schema (scripts not applied at start).";
            }

            var result = await once.EnsureAsync(
                $"postgres|{connectionString}|{sqlFolder}", () => ApplyAsync(connectionString, sqlFolder, cancellationToken));
            var missing = await FindMissingQueriesAsync(connectionString, requiredKeys, cancellationToken);
            SchemaLifecycle.ThrowIfMissing($"PostgreSQL {purpose}", sqlFolder, result.AppliedScripts.Count, $"at {result.Server}", missing);
            return $"database at {result.Server} ready; applied {string.Join(", ", result.AppliedScripts)} from {sqlFolder}.";
        });

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException
                                       || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            await connection.DisposeAsync();
            throw new InvalidOperationException(
                $"PostgreSQL at {DescribeServer(connectionString)} is unreachable: {ex.Message}", ex);
        }
    }

    private static string CheckedFolder(string sqlFolder)
    {
        _ = GetScripts(sqlFolder);
        return Path.GetFullPath(sqlFolder);
    }

    private static IReadOnlyList<string> GetScripts(string sqlFolder) => SchemaLifecycle.GetScripts(sqlFolder, "PostgreSQL");

    private static NpgsqlConnectionStringBuilder Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            // The message of a parse error may quote the string; do not repeat it (it can hold a password).
            throw new ArgumentException("Invalid PostgreSQL connection string.", nameof(connectionString), ex);
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw new ArgumentException("The PostgreSQL connection string has no 'Host'.", nameof(connectionString));
        }

        return builder;
    }

    private static int LineOf(string sql, int position) =>
        position <= 0 ? 0 : sql.AsSpan(0, Math.Min(position, sql.Length)).Count('\n') + 1;
}
