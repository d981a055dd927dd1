using Vpp.Domain.Assets;

namespace Vpp.Grains.Assets;

/// <summary>
/// The silence watchdog: a grain timer armed while the asset is online, due when it would have been silent for
/// <see cref="VppOptions.OfflineAfter"/>; telemetry since then just re-arms it.
/// </summary>
public sealed partial class AssetGrain
{
    private IGrainTimer? _watchdog;

    private void ArmWatchdog()
    {
        var due = _options.OfflineAfter - AssetBehaviour.SilentFor(Live, Now);
        due = due < TimeSpan.Zero ? TimeSpan.Zero : due;
        if (_watchdog is null)
        {
            _watchdog = this.RegisterGrainTimer(CheckSilenceAsync, new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan));
        }
        else
        {
            _watchdog.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    private void DisarmWatchdog()
    {
        _watchdog?.Dispose();
        _watchdog = null;
    }

    /// <summary>Fires when the asset would have been silent for OfflineAfter; telemetry since then just re-arms it.</summary>
    private async Task CheckSilenceAsync(CancellationToken cancellationToken)
    {
        var now = Now;
        var statusBefore = Live.Status;
        await ChangeLiveAsync(live => AssetBehaviour.OnSilenceCheck(live, now, _options.OfflineAfter), reason: null);
        if (Live.Status == statusBefore && Live.Status == AssetStatus.Online)
        {
            ArmWatchdog();
        }
    }
}
