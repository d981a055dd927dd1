using Vpp.Domain.Assets;

namespace Vpp.Grains.Assets;

/// <summary>
/// The silence watchdog: while the asset is online, a <see cref="SilenceWatch.Watch"/> of this silo's
/// <see cref="SilenceWatch"/> due when the asset would have been silent for <see cref="VppOptions.OfflineAfter"/>;
/// each measurement moves it later, and the watch calls <see cref="CheckSilenceAsync"/> only when the instant passes.
/// </summary>
public sealed partial class AssetGrain
{
    private SilenceWatch.Watch? _watchdog;

    /// <summary>When the asset will have been silent for OfflineAfter, as the domain counts silence.</summary>
    private DateTimeOffset SilenceDue(DateTimeOffset now)
    {
        var due = _options.OfflineAfter - AssetBehaviour.SilentFor(Live, now);
        return now + (due < TimeSpan.Zero ? TimeSpan.Zero : due);
    }

    private void ArmWatchdog()
    {
        var due = SilenceDue(Now);
        if (_watchdog is null)
        {
            _watchdog = silenceWatch.Arm(AssetId, due);
        }
        else
        {
            _watchdog.MoveTo(due);
        }
    }

    /// <summary>After a measurement: the watch is due later (nothing queued, no call).</summary>
    private void HeardFrom() => _watchdog?.MoveTo(SilenceDue(Now));

    private void DisarmWatchdog()
    {
        _watchdog?.Disarm();
        _watchdog = null;
    }

    /// <summary>Due when the asset would have been silent for OfflineAfter; telemetry since then just re-arms it.</summary>
    public async Task CheckSilenceAsync()
    {
        if (_watchdog is null)
        {
            return; // offline or deactivated since the watch came due
        }

        var now = Now;
        var statusBefore = Live.Status;
        await ChangeLiveAsync(live => AssetBehaviour.OnSilenceCheck(live, now, _options.OfflineAfter), reason: null);
        if (Live.Status == statusBefore && Live.Status == AssetStatus.Online)
        {
            ArmWatchdog();
        }
    }
}
