using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.TestingHost;
using Vpp.Silo.Storage;

namespace Vpp.Silo.Tests.Storage;

public interface IPgReminderTestGrain : IGrainWithStringKey
{
    Task Start(TimeSpan dueTime, TimeSpan period);

    Task Stop();
}

public sealed class PgReminderTestGrain : Grain, IPgReminderTestGrain, IRemindable
{
    public const string ReminderName = "pg-test-tick";

    /// <summary>Ticks received per grain key (the tests run in the silos' process).</summary>
    public static ConcurrentDictionary<string, int> Ticks { get; } = new();

    public Task Start(TimeSpan dueTime, TimeSpan period) => this.RegisterOrUpdateReminder(ReminderName, dueTime, period);

    public async Task Stop()
    {
        var reminder = await this.GetReminder(ReminderName);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        Ticks.AddOrUpdate(this.GetPrimaryKeyString(), 1, (_, count) => count + 1);
        return Task.CompletedTask;
    }
}

public sealed class PostgresReminderTests(PostgresFixture database) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task A_reminder_fires_and_survives_a_full_cluster_restart()
    {
        var key = "tick-" + Guid.NewGuid().ToString("N");
        var grainId = GrainId.Create("pgremindertest", key);

        await using (var first = await StartClusterAsync())
        {
            await first.Client.GetGrain<IPgReminderTestGrain>(key).Start(TimeSpan.FromSeconds(1), Period);
            await Eventually.Until(() => Task.FromResult(TicksOf(key)), n => n >= 1, "the first tick", TimeSpan.FromSeconds(60));

            var table = first.GetSiloServiceProvider().GetRequiredService<IReminderTable>();
            var stored = await table.ReadRow(grainId, PgReminderTestGrain.ReminderName);
            Assert.NotNull(stored);
            Assert.Equal(Period, stored.Period);
            await first.StopAllSilosAsync();
        }

        var ticksBeforeRestart = TicksOf(key);
        await using (var second = await StartClusterAsync())
        {
            // Nobody calls the grain: the reminder service reads the row from PostgreSQL and activates it.
            var table = second.GetSiloServiceProvider().GetRequiredService<IReminderTable>();
            var rows = await table.ReadRows(grainId);
            var row = Assert.Single(rows.Reminders);
            Assert.Equal(PgReminderTestGrain.ReminderName, row.ReminderName);
            Assert.Equal(Period, row.Period);

            await Eventually.Until(
                () => Task.FromResult(TicksOf(key)), n => n > ticksBeforeRestart, "a tick after the restart", TimeSpan.FromSeconds(60));

            await second.Client.GetGrain<IPgReminderTestGrain>(key).Stop();
            Assert.Empty((await table.ReadRows(grainId)).Reminders);
            await second.StopAllSilosAsync();
        }
    }

    [Fact]
    public async Task Reminder_table_rows_round_trip_with_etags()
    {
        await using var cluster = await StartClusterAsync();
        var table = cluster.GetSiloServiceProvider().GetRequiredService<IReminderTable>();
        var grainId = GrainId.Create("pgremindertest", "rows-" + Guid.NewGuid().ToString("N"));
        var start = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);

        var etag1 = Assert.IsType<string>(await table.UpsertRow(new ReminderEntry { GrainId = grainId, ReminderName = "a", StartAt = start, Period = TimeSpan.FromMinutes(5) }));
        var etag2 = Assert.IsType<string>(await table.UpsertRow(new ReminderEntry { GrainId = grainId, ReminderName = "a", StartAt = start, Period = TimeSpan.FromMinutes(6) }));
        Assert.NotEqual(etag1, etag2);
        await table.UpsertRow(new ReminderEntry { GrainId = grainId, ReminderName = "b", StartAt = start, Period = TimeSpan.FromDays(40) });

        var a = Assert.IsType<ReminderEntry>(await table.ReadRow(grainId, "a"));
        Assert.Equal(TimeSpan.FromMinutes(6), a.Period);
        Assert.Equal(start, a.StartAt.ToUniversalTime());
        Assert.Equal(etag2, a.ETag);
        Assert.Equal(TimeSpan.FromDays(40), Assert.IsType<ReminderEntry>(await table.ReadRow(grainId, "b")).Period);

        // The whole ring (both range queries) contains the grain.
        var hash = grainId.GetUniformHashCode();
        var ring = await table.ReadRows(hash - 1, hash);
        Assert.Contains(ring.Reminders, r => r.GrainId == grainId && r.ReminderName == "a");
        var wrapped = await table.ReadRows(hash, hash - 1);
        Assert.DoesNotContain(wrapped.Reminders, r => r.GrainId == grainId);

        Assert.False(await table.RemoveRow(grainId, "a", etag1));
        Assert.True(await table.RemoveRow(grainId, "a", etag2));
        Assert.Single((await table.ReadRows(grainId)).Reminders);
        await cluster.StopAllSilosAsync();
    }

    private static int TicksOf(string key) => PgReminderTestGrain.Ticks.GetValueOrDefault(key);

    private async Task<InProcessTestCluster> StartClusterAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ServiceId = database.ServiceId;
        builder.Options.ClusterId = database.ClusterId;
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UseVppPostgresReminders(database.ConnectionString, PostgresFixture.SqlFolder);
            silo.Configure<ReminderOptions>(options => options.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}
