using Microsoft.Extensions.Logging;
using Vpp.Domain.Assets;

namespace Vpp.Grains.Fleets;

/// <summary>
/// The durable half of the offline watchdog: one reminder per partition (not per asset), registered when a member is
/// first online here and stopped when the last member left; each tick asks the members believed online for their
/// report. A partition whose members have never been online has nothing to watch, so a bulk registration of new (offline)
/// assets writes no reminder rows: on SQLite each such write waits for the file's write lock beside the rows being stored.
/// </summary>
public sealed partial class FleetPartitionGrain
{
    public const string WatchdogReminder = "member-watchdog";

    private bool _reminderRegistered;
    private Task? _reminderRegistration;

    /// <summary>
    /// The watchdog tick: asks every member this partition believes online for its report. A member whose grain
    /// was lost with a silo (or a full restart) is activated by the call, and its own watchdog then marks it
    /// offline if it has been silent too long. Costs one call per online member per period.
    /// </summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != WatchdogReminder)
        {
            return;
        }

        if (_members.Count == 0)
        {
            await StopWatchdogReminderAsync();
            return;
        }

        var online = _members.Where(m => m.Value.Report.Status == AssetStatus.Online).Select(m => m.Key).ToList();
        await RefreshMembersAsync(online);
    }

    /// <summary>Registers the watchdog reminder if any member is online (see the class remarks).</summary>
    private Task WatchOnlineMembersAsync() =>
        _members.Values.Any(m => m.Report.Status == AssetStatus.Online) ? EnsureWatchdogReminderAsync() : Task.CompletedTask;

    /// <summary>
    /// Registers the watchdog reminder once. Joins and member updates interleave: a fleet coming online sends hundreds
    /// of online reports together, and each would otherwise write the reminder row again (on SQLite each such write
    /// also waits for the file's write lock). They share the one registration in flight instead.
    /// </summary>
    private Task EnsureWatchdogReminderAsync()
    {
        if (_reminderRegistered)
        {
            return Task.CompletedTask;
        }

        // A finished registration that failed is not reused: this call tries again.
        if (_reminderRegistration is not { IsCompleted: false })
        {
            _reminderRegistration = RegisterWatchdogReminderAsync();
        }

        return _reminderRegistration;
    }

    private async Task RegisterWatchdogReminderAsync()
    {
        try
        {
            await this.RegisterOrUpdateReminder(WatchdogReminder, _options.UpkeepPeriod, _options.UpkeepPeriod);
            _reminderRegistered = true;
        }
        catch (Exception ex)
        {
            // The reminder table being unreachable must not stop dispatch; the next join or activation tries again.
            LogReminderFailed(this.GetPrimaryKeyString(), ex.GetBaseException().Message);
        }
    }

    private async Task StopWatchdogReminderAsync()
    {
        if (await this.GetReminder(WatchdogReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        _reminderRegistered = false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition}: could not register its watchdog reminder (retried on the next join or activation): {Error}")]
    private partial void LogReminderFailed(string partition, string error);
}
