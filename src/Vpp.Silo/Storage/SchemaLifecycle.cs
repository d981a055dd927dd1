using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Hosting;
using Orleans.Runtime;

namespace Vpp.Silo.Storage;

/// <summary>
/// What PostgreSQL and SQLite share: finding the idempotent <c>*.sql</c> scripts, applying them once per silo
/// before the ADO.NET providers start (the providers read their <c>OrleansQuery</c> rows once, when they
/// initialise), and refusing to start when a provider's queries are still missing afterwards.
/// </summary>
public static class SchemaLifecycle
{
    /// <summary>Queries the ADO.NET grain storage provider requires.</summary>
    public static IReadOnlyList<string> PersistenceQueryKeys { get; } =
        ["ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey"];

    /// <summary>Queries the ADO.NET reminder provider requires.</summary>
    public static IReadOnlyList<string> ReminderQueryKeys { get; } =
    [
        "UpsertReminderRowKey", "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key",
        "ReadRangeRows2Key", "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    /// <summary>The <c>*.sql</c> files of <paramref name="sqlFolder"/>, in ordinal order of their names.</summary>
    /// <param name="database">Named in the error, e.g. "PostgreSQL" or "SQLite".</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static IReadOnlyList<string> GetScripts(string sqlFolder, string database)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sqlFolder);
        var fullPath = Path.GetFullPath(sqlFolder);
        if (!Directory.Exists(fullPath))
        {
            throw new DirectoryNotFoundException(
                $"{database} schema folder '{fullPath}' (configured as '{sqlFolder}') does not exist; it must hold the *.sql scripts.");
        }

        var scripts = Directory.GetFiles(fullPath, "*.sql", SearchOption.TopDirectoryOnly);
        Array.Sort(scripts, StringComparer.Ordinal);
        return scripts;
    }

    /// <summary>
    /// Registers a silo lifecycle participant that runs <paramref name="prepare"/> before the provider for
    /// <paramref name="purpose"/> starts: at <see cref="ServiceLifecycleStage.RuntimeInitialize"/>, or one stage
    /// before the provider's own stage when that is earlier. <paramref name="prepare"/> throws to stop the silo and
    /// returns the line to log on success.
    /// </summary>
    public static void AddParticipant(
        ISiloBuilder builder,
        string purpose,
        Func<IServiceProvider, int?> providerStage,
        Func<SchemaOnce, CancellationToken, Task<string>> prepare)
    {
        builder.Services.AddSingleton<SchemaOnce>();
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(services =>
            new Participant(
                purpose,
                providerStage(services),
                cancellationToken => prepare(services.GetRequiredService<SchemaOnce>(), cancellationToken),
                services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SchemaLifecycle).FullName!)));
    }

    /// <summary>The Orleans ADO.NET reminder table on <paramref name="invariant"/>, once the schema participant is registered.</summary>
    public static ISiloBuilder UseAdoNetReminders(ISiloBuilder builder, string invariant, string connectionString) =>
        builder.UseAdoNetReminderService(options =>
        {
            options.Invariant = invariant;
            options.ConnectionString = connectionString;
        });

    /// <exception cref="InvalidOperationException">Some of the provider's queries are missing.</exception>
    public static void ThrowIfMissing(string purpose, string sqlFolder, int scriptCount, string database, IReadOnlyList<string> missing)
    {
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"{purpose}: after applying the scripts of '{sqlFolder}' ({scriptCount} found) " +
                $"the database {database} still lacks the OrleansQuery rows {string.Join(", ", missing)}.");
        }
    }

    private sealed class Participant(string purpose, int? providerStage, Func<CancellationToken, Task<string>> prepare, ILogger logger)
        : ILifecycleParticipant<ISiloLifecycle>
    {
        public void Participate(ISiloLifecycle lifecycle)
        {
            var stage = ServiceLifecycleStage.RuntimeInitialize;
            if (providerStage is { } provider && provider <= stage)
            {
                stage = provider - 1;
            }

            lifecycle.Subscribe($"{nameof(SchemaLifecycle)}-{purpose}", stage, OnStart);
        }

        private async Task OnStart(CancellationToken cancellationToken)
        {
            var ready = await prepare(cancellationToken);
            logger.LogInformation("{Purpose}: {Ready}", purpose, ready);
        }
    }
}

/// <summary>Runs each schema application once per silo, however many providers (storage, reminders, membership) ask for it.</summary>
public sealed class SchemaOnce
{
    private readonly ConcurrentDictionary<string, Lazy<Task<object>>> _applied = new();

    public async Task<T> EnsureAsync<T>(string key, Func<Task<T>> apply) where T : class =>
        (T)await _applied.GetOrAdd(key, _ => new Lazy<Task<object>>(async () => await apply())).Value;
}
