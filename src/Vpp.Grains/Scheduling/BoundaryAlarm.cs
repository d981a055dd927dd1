using Microsoft.Extensions.Logging;

namespace Vpp.Grains.Scheduling;

/// <summary>
/// Wakes a grain at an instant of its clock: a one-shot grain timer due at that instant while the grain is active
/// (created afresh on each arming rather than changed, which is not reliable from inside a running tick), a periodic
/// timer every <see cref="VppOptions.ClockRecheckInterval"/> that catches anything missed (and a grain clock that
/// parted from the runtime's), and a reminder due at the same instant so a restart or a deactivation does not lose it.
/// The callback decides what is due from the clock, so it may run early or twice.
/// </summary>
internal sealed partial class BoundaryAlarm(
    Grain grain, string reminderName, TimeProvider clock, VppOptions options, Func<Task> onDue, ILogger logger)
{
    private IGrainTimer? _timer;
    private IGrainTimer? _recheck;
    private DateTimeOffset? _reminderFor;
    private bool _reminderMayExist = true; // unknown after an activation: the first disarm looks it up

    /// <summary>The instant armed for, or null when nothing is due any more.</summary>
    public DateTimeOffset? ArmedFor { get; private set; }

    /// <summary>Arms the timer and the reminder for <paramref name="at"/> (now or in the past: promptly); null disarms both.</summary>
    public async Task ArmAsync(DateTimeOffset? at)
    {
        ArmedFor = at;
        if (at is not { } instant)
        {
            _timer?.Dispose();
            _timer = null;
            _recheck?.Dispose();
            _recheck = null;
            await UnregisterReminderAsync();
            return;
        }

        var untilDue = instant - clock.GetUtcNow();
        SetTimer(untilDue < TimeSpan.Zero ? TimeSpan.Zero : untilDue > options.ClockRecheckInterval ? options.ClockRecheckInterval : untilDue);

        if (_reminderFor != instant)
        {
            try
            {
                // The period only matters when a tick is missed: the next one comes that much later.
                await grain.RegisterOrUpdateReminder(reminderName, untilDue < TimeSpan.Zero ? TimeSpan.Zero : untilDue, options.UpkeepPeriod);
                _reminderFor = instant;
                _reminderMayExist = true;
            }
            catch (Exception ex)
            {
                // The timer still fires while the grain is active; the next arming tries the reminder again.
                LogReminderFailed(grain.GetGrainId().ToString(), reminderName, ex.GetBaseException().Message);
            }
        }
    }

    /// <summary>
    /// Runs the callback again after a short real-time pause, after it failed (the fleet unreachable for a moment):
    /// what was due stays due, whatever the grain clock says meanwhile. The reminder stays as it was.
    /// </summary>
    public void RetrySoon()
    {
        ArmedFor = clock.GetUtcNow();
        SetTimer(options.ClockRecheckInterval < RetryPause ? options.ClockRecheckInterval : RetryPause);
    }

    private void SetTimer(TimeSpan due)
    {
        _timer?.Dispose();
        _timer = grain.RegisterGrainTimer(FireAsync, new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan));
        _recheck ??= grain.RegisterGrainTimer(
            FireAsync, new GrainTimerCreationOptions(options.ClockRecheckInterval, options.ClockRecheckInterval));
    }

    private static readonly TimeSpan RetryPause = TimeSpan.FromSeconds(5);

    /// <summary>Stops the timer and removes the reminder (the grain's state is going away).</summary>
    public Task DisarmAsync() => ArmAsync(null);

    private async Task FireAsync(CancellationToken cancellationToken)
    {
        if (ArmedFor is not { } at)
        {
            return;
        }

        var untilDue = at - clock.GetUtcNow();
        if (untilDue > TimeSpan.Zero)
        {
            if (untilDue < options.ClockRecheckInterval)
            {
                SetTimer(untilDue); // woke for a clock re-check: now aim at the exact instant
            }

            return;
        }

        await onDue();
    }

    private async Task UnregisterReminderAsync()
    {
        if (!_reminderMayExist)
        {
            return;
        }

        try
        {
            if (await grain.GetReminder(reminderName) is { } reminder)
            {
                await grain.UnregisterReminder(reminder);
            }

            _reminderMayExist = false;
            _reminderFor = null;
        }
        catch (Exception ex)
        {
            // A leftover reminder only wakes the grain, which then finds nothing due and tries again.
            LogReminderFailed(grain.GetGrainId().ToString(), reminderName, ex.GetBaseException().Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{GrainId}: reminder {Reminder} could not be updated (retried on the next change): {Error}")]
    private partial void LogReminderFailed(string grainId, string reminder, string error);
}
