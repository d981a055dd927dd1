using Orleans.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;

namespace Vpp.Silo.Storage;

/// <summary>What <see cref="SqliteStorageSetup.Apply"/> did to a SQLite database.</summary>
/// <param name="DatabasePath">Full path of the database file (or the data source as given for in-memory databases).</param>
/// <param name="JournalMode">Journal mode reported by SQLite after the switch (<c>wal</c> for a file database).</param>
/// <param name="AppliedScripts">File names of the scripts run, in the order they were run.</param>
public sealed record SqliteSetupResult(string DatabasePath, string JournalMode, IReadOnlyList<string> AppliedScripts);

/// <summary>
/// Prepares the embedded SQLite database that backs the default grain storage, and registers the
/// Orleans ADO.NET grain storage provider on it.
/// </summary>
/// <remarks>
/// The ADO.NET provider ships no SQL: the schema and the <c>OrleansQuery</c> rows come from our own
/// idempotent scripts (silo-config/sql/sqlite). The provider reads its queries once when it initialises,
/// so the scripts are applied by a silo lifecycle participant one stage before the provider starts.
/// </remarks>
public static class SqliteStorageSetup
{
    /// <summary>
    /// The ADO.NET invariant the Orleans provider maps to <c>Microsoft.Data.Sqlite.SqliteFactory</c>.
    /// ("Microsoft.Data.Sqlite" is not a known invariant and fails with a KeyNotFoundException.)
    /// </summary>
    public const string AdoNetInvariant = "System.Data.SQLite";

    /// <summary>
    /// Seconds a command waits for a lock held by another connection (another silo in the same process
    /// or another process on the same file) before failing with SQLITE_BUSY. Used when the connection
    /// string does not set <c>Default Timeout</c>.
    /// </summary>
    public const int DefaultBusyTimeoutSeconds = 30;

    /// <summary>
    /// The most grain-state writes committed in one SQLite transaction (<c>Storage:Sqlite:MaxWriteBatch</c>). 1 writes
    /// one state at a time through the provider.
    /// </summary>
    public const int DefaultMaxWriteBatch = 512;

    /// <summary>The service key of the <see cref="SqliteWriteBatcher"/> behind grain storage <paramref name="providerName"/>.</summary>
    public static string WriterKey(string providerName) => providerName + ".sqlite";

    /// <summary>The queries the ADO.NET grain storage provider requires in <c>OrleansQuery</c>.</summary>
    public static IReadOnlyList<string> RequiredPersistenceQueryKeys => SchemaLifecycle.PersistenceQueryKeys;

    /// <summary>
    /// Returns the connection string the silo should use: a relative file <c>Data Source</c> is made
    /// absolute (against the current directory, so the set-up and the provider open the same file whatever
    /// happens later), and <c>Default Timeout</c> is written explicitly so that concurrent writers wait
    /// (Microsoft.Data.Sqlite retries a busy statement until the command timeout expires).
    /// </summary>
    /// <exception cref="ArgumentException">The connection string is empty, malformed or has no data source.</exception>
    public static string NormalizeConnectionString(string connectionString)
    {
        var builder = Parse(connectionString);
        if (!IsInMemory(builder) && !IsUri(builder.DataSource))
        {
            builder.DataSource = ResolveDataSource(builder.DataSource);
        }

        if (!ContainsKeyword(connectionString, "Default Timeout", "DefaultTimeout", "Command Timeout", "CommandTimeout"))
        {
            builder.DefaultTimeout = DefaultBusyTimeoutSeconds;
        }

        return builder.ConnectionString;
    }

    /// <summary>
    /// Creates the folder of the database file if missing, switches the database to WAL journal mode and
    /// runs every <c>*.sql</c> file of <paramref name="sqlFolder"/> (ordinal order of file names), each in
    /// its own immediate transaction. The scripts must be idempotent: they run on every call.
    /// </summary>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string, e.g. <c>Data Source=./data/vpp.db</c>.</param>
    /// <param name="sqlFolder">Folder holding the scripts.</param>
    /// <exception cref="DirectoryNotFoundException"><paramref name="sqlFolder"/> does not exist.</exception>
    /// <exception cref="InvalidOperationException">A script failed; the message names the script and the database.</exception>
    public static SqliteSetupResult Apply(string connectionString, string sqlFolder)
    {
        var scripts = GetScripts(sqlFolder);
        var builder = Parse(NormalizeConnectionString(connectionString));
        var databasePath = builder.DataSource;

        if (!IsInMemory(builder) && !IsUri(databasePath))
        {
            var directory = Path.GetDirectoryName(databasePath);
            if (!string.IsNullOrEmpty(directory))
            {
                try
                {
                    Directory.CreateDirectory(directory);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw new InvalidOperationException(
                        $"Cannot create the folder '{directory}' for the SQLite grain storage database '{databasePath}': {ex.Message}", ex);
                }
            }
        }

        using var connection = new SqliteConnection(builder.ConnectionString);
        try
        {
            connection.Open();
        }
        catch (SqliteException ex)
        {
            throw new InvalidOperationException($"Cannot open the SQLite database '{databasePath}': {ex.Message}", ex);
        }

        // Let SQLite itself wait for locks on this connection too (milliseconds; Default Timeout 0 = wait forever).
        var busyTimeoutMs = builder.DefaultTimeout <= 0 ? int.MaxValue : Math.Min(builder.DefaultTimeout * 1000L, int.MaxValue);
        ExecuteNonQuery(connection, $"PRAGMA busy_timeout = {busyTimeoutMs};");

        // WAL lets readers run alongside the single writer. It is a property of the file, so it persists
        // for every later connection (the provider's included); per-connection pragmas would not.
        var journalMode = ExecuteScalar(connection, "PRAGMA journal_mode = WAL;") ?? "unknown";

        AddMissingColumns(connection, databasePath);
        var applied = new List<string>(scripts.Count);
        foreach (var script in scripts)
        {
            var name = Path.GetFileName(script);
            var sql = File.ReadAllText(script);
            try
            {
                // BeginTransaction() is BEGIN IMMEDIATE: concurrent appliers (several silos on one file)
                // queue for the write lock instead of failing half way through.
                using var transaction = connection.BeginTransaction();
                using (var command = connection.CreateCommand())
                {
                    command.Transaction = transaction;
                    command.CommandText = sql;
                    command.ExecuteNonQuery();
                }

                transaction.Commit();
            }
            catch (SqliteException ex)
            {
                throw new InvalidOperationException(
                    $"Applying SQL script '{script}' to the SQLite database '{databasePath}' failed: {ex.Message}", ex);
            }

            applied.Add(name);
        }

        return new SqliteSetupResult(databasePath, journalMode, applied);
    }

    /// <summary>
    /// Columns the scripts' tables have that a file made by an earlier schema may lack. SQLite has no
    /// <c>ADD COLUMN IF NOT EXISTS</c>, so they are added here, before the scripts (whose indexes use them) run.
    /// </summary>
    private static readonly (string Table, string Column, string Definition)[] AddedColumns =
    [
        ("VppAudit", "ServiceId", "text NOT NULL DEFAULT ''"),
    ];

    private static void AddMissingColumns(SqliteConnection connection, string databasePath)
    {
        foreach (var (table, column, definition) in AddedColumns)
        {
            using var transaction = connection.BeginTransaction(); // immediate: another silo may be adding it too
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"SELECT COUNT(*) FROM pragma_table_info('{table}'); SELECT COUNT(*) FROM pragma_table_info('{table}') WHERE name = '{column}';";
            long columns, matching;
            using (var reader = command.ExecuteReader())
            {
                reader.Read();
                columns = reader.GetInt64(0);
                reader.NextResult();
                reader.Read();
                matching = reader.GetInt64(0);
            }

            if (columns > 0 && matching == 0)
            {
                try
                {
                    command.CommandText = $"ALTER TABLE {table} ADD COLUMN {column} {definition};";
                    command.ExecuteNonQuery();
                }
                catch (SqliteException ex)
                {
                    throw new InvalidOperationException(
                        $"Adding column {table}.{column} to the SQLite database '{databasePath}' failed: {ex.Message}", ex);
                }
            }

            transaction.Commit();
        }
    }

    /// <summary>
    /// Returns the <see cref="RequiredPersistenceQueryKeys"/> missing from the <c>OrleansQuery</c> table
    /// (all of them when the table does not exist).
    /// </summary>
    public static IReadOnlyList<string> FindMissingPersistenceQueries(string connectionString) =>
        FindMissingQueries(connectionString, RequiredPersistenceQueryKeys);

    /// <summary>Returns those of <paramref name="queryKeys"/> missing from the <c>OrleansQuery</c> table.</summary>
    public static IReadOnlyList<string> FindMissingQueries(string connectionString, IReadOnlyList<string> queryKeys)
    {
        using var connection = new SqliteConnection(NormalizeConnectionString(connectionString));
        connection.Open();

        var tableExists = ExecuteScalar(connection,
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'OrleansQuery';") is not null;
        if (!tableExists)
        {
            return queryKeys;
        }

        var present = new HashSet<string>(StringComparer.Ordinal);
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT QueryKey FROM OrleansQuery;";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                present.Add(reader.GetString(0));
            }
        }

        return queryKeys.Where(key => !present.Contains(key)).ToArray();
    }

    /// <summary>
    /// Registers an Orleans ADO.NET grain storage named <paramref name="providerName"/> on the SQLite file of
    /// <paramref name="connectionString"/>. When the silo starts, one lifecycle stage before the provider
    /// initialises, the database folder is created, WAL is enabled and every <c>*.sql</c> script of
    /// <paramref name="sqlFolder"/> is applied; start-up fails with a clear message if the persistence
    /// queries are then still missing.
    /// </summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="providerName">Storage provider name, as used in <c>[PersistentState(stateName, providerName)]</c>.</param>
    /// <param name="connectionString">Microsoft.Data.Sqlite connection string, e.g. <c>Data Source=./data/vpp.db</c>.</param>
    /// <param name="sqlFolder">Folder of the idempotent SQLite scripts (e.g. silo-config/sql/sqlite).</param>
    /// <param name="maxWriteBatch">
    /// The most writes committed in one transaction (see <see cref="DefaultMaxWriteBatch"/>); 1 writes one state at a
    /// time through the provider.
    /// </param>
    /// <exception cref="ArgumentException">An argument is empty or the connection string is malformed.</exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="sqlFolder"/> does not exist (checked immediately).</exception>
    public static ISiloBuilder AddVppSqliteGrainStorage(
        this ISiloBuilder builder,
        string providerName,
        string connectionString,
        string sqlFolder,
        int maxWriteBatch = DefaultMaxWriteBatch)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(providerName);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWriteBatch, 1);

        // Fail at configuration time for mistakes that need no database.
        var normalized = NormalizeConnectionString(connectionString);
        _ = GetScripts(sqlFolder); // throws DirectoryNotFoundException naming the folder
        var fullSqlFolder = Path.GetFullPath(sqlFolder);

        // The ADO.NET provider is registered under an inner name; grains reach it through the unreadable-state
        // guard and the silo's single SQLite writer.
        var innerName = WriterKey(providerName);
        builder.Services.UseStateJson();
        builder.Services.AddKeyedSingleton(
            innerName,
            (services, _) => new SqliteWriteBatcher(
                normalized,
                () => ((AdoNetGrainStorage)services.GetRequiredKeyedService<IGrainStorage>(innerName)).CurrentOperationalQueries.WriteToStorage,
                maxWriteBatch));
        builder.Services.AddKeyedSingleton<IGrainStorage>(
            providerName,
            (services, _) => new UnreadableStateGuard(
                SingleWriter(services, innerName, maxWriteBatch),
                services.GetRequiredService<ILogger<UnreadableStateGuard>>()));
        AddSchemaParticipant(builder, $"grain storage '{innerName}'", normalized, fullSqlFolder, RequiredPersistenceQueryKeys,
            services => services.GetRequiredService<IOptionsMonitor<AdoNetGrainStorageOptions>>().Get(innerName).InitStage);

        return builder.AddAdoNetGrainStorage(innerName, options =>
        {
            options.Invariant = AdoNetInvariant;
            options.ConnectionString = normalized;
        });
    }

    /// <summary>
    /// Uses the SQLite file of <paramref name="connectionString"/> for reminders (the Orleans ADO.NET reminder
    /// provider maps the invariant <see cref="AdoNetInvariant"/> to Microsoft.Data.Sqlite too). The scripts of
    /// <paramref name="sqlFolder"/> are applied before the reminder service starts.
    /// </summary>
    public static ISiloBuilder UseVppSqliteReminders(this ISiloBuilder builder, string connectionString, string sqlFolder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var normalized = NormalizeConnectionString(connectionString);
        _ = GetScripts(sqlFolder);
        AddSchemaParticipant(builder, "reminders", normalized, Path.GetFullPath(sqlFolder), SchemaLifecycle.ReminderQueryKeys, _ => null);
        return SchemaLifecycle.UseAdoNetReminders(builder, AdoNetInvariant, normalized);
    }

    private static IGrainStorage SingleWriter(IServiceProvider services, string innerName, int maxWriteBatch)
    {
        var provider = services.GetRequiredKeyedService<IGrainStorage>(innerName);
        return maxWriteBatch > 1 && provider is AdoNetGrainStorage adoNet
            ? new BatchedSqliteGrainStorage(
                adoNet,
                innerName,
                services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
                services.GetRequiredKeyedService<SqliteWriteBatcher>(innerName))
            : new SerializedWritesGrainStorage(provider);
    }

    private static void AddSchemaParticipant(
        ISiloBuilder builder,
        string purpose,
        string connectionString,
        string sqlFolder,
        IReadOnlyList<string> requiredKeys,
        Func<IServiceProvider, int?> providerStage) =>
        SchemaLifecycle.AddParticipant(builder, $"SQLite {purpose}", providerStage, async (once, _) =>
        {
            var result = await once.EnsureAsync(
                $"sqlite|{connectionString}|{sqlFolder}", () => Task.FromResult(Apply(connectionString, sqlFolder)));
            var journal = string.Equals(result.JournalMode, "wal", StringComparison.OrdinalIgnoreCase)
                ? result.JournalMode
                : $"{result.JournalMode}, not WAL: concurrent readers will block the writer";
            SchemaLifecycle.ThrowIfMissing(
                $"SQLite {purpose}", sqlFolder, result.AppliedScripts.Count, $"'{result.DatabasePath}'", FindMissingQueries(connectionString, requiredKeys));
            return $"database {result.DatabasePath} ready (journal mode {journal}); applied {string.Join(", ", result.AppliedScripts)} from {sqlFolder}.";
        });

    private static IReadOnlyList<string> GetScripts(string sqlFolder) => SchemaLifecycle.GetScripts(sqlFolder, "SQLite");

    private static SqliteConnectionStringBuilder Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            throw new ArgumentException($"Invalid SQLite connection string: {ex.Message}", nameof(connectionString), ex);
        }

        if (string.IsNullOrWhiteSpace(builder.DataSource))
        {
            throw new ArgumentException(
                "The SQLite connection string has no 'Data Source' (e.g. 'Data Source=./data/vpp.db').", nameof(connectionString));
        }

        return builder;
    }

    private static bool IsInMemory(SqliteConnectionStringBuilder builder) =>
        builder.Mode == SqliteOpenMode.Memory
        || string.Equals(builder.DataSource, ":memory:", StringComparison.OrdinalIgnoreCase);

    private static bool IsUri(string dataSource) =>
        dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase);

    private static string ResolveDataSource(string dataSource)
    {
        const string dataDirectoryMacro = "|DataDirectory|";
        if (dataSource.StartsWith(dataDirectoryMacro, StringComparison.OrdinalIgnoreCase))
        {
            var dataDirectory = AppDomain.CurrentDomain.GetData("DataDirectory") as string;
            if (string.IsNullOrEmpty(dataDirectory))
            {
                dataDirectory = AppContext.BaseDirectory;
            }

            dataSource = Path.Combine(dataDirectory, dataSource[dataDirectoryMacro.Length..].TrimStart('/', '\\'));
        }

        return Path.GetFullPath(dataSource);
    }

    private static bool ContainsKeyword(string connectionString, params string[] keywords)
    {
        var parsed = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        return keywords.Any(parsed.ContainsKey);
    }

    private static void ExecuteNonQuery(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string? ExecuteScalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar() is { } value and not DBNull ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }
}
