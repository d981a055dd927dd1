using Microsoft.Extensions.Logging;
using Vpp.Domain.Assets;

namespace Vpp.Grains.Fleets;

/// <summary>
/// The durable half of the offline watchdog: one reminder per partition (not per asset), registered with the first
/// member and stopped when the last one left; each tick asks the members believed online for their report.
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

    /// <summary>
    /// Registers the watchdog reminder once. Joins interleave: a bulk registration resumes hundreds of them together
    /// after one membership write, and each would otherwise write the reminder row again (on SQLite each such write
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
