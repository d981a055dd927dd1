using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.GridServices;

namespace Vpp.Grains.Fleets;

/// <summary>The two messages the fleet sends itself: a re-dispatch of the standing target, and a grid-service dispatch.</summary>
public sealed partial class FleetGrain
{
    private void CreateSelfCalls()
    {
        // An outage or drift is reported once: a lost re-dispatch is sent again until one runs.
        _reallocation = new QueuedSelfCall(
            this,
            () => this.AsReference<IFleetInternal>().ReallocateAsync(),
            error => LogReallocationFailed(FleetId, error.Message),
            retryAfter: _options.UnansweredRetryInterval);

        // Measurements keep coming: a lost service dispatch fails its waiting callers, and the next measurement queues one.
        _serviceApply = new QueuedSelfCall(
            this,
            () => this.AsReference<IFleetGridServicesInternal>().ApplyServiceTargetAsync(),
            error =>
            {
                if (!_serviceApply.IsQueued && _pendingServiceApply is { } pending)
                {
                    _pendingServiceApply = null;
                    pending.TrySetException(error);
                }

                LogServiceApplyFailed(FleetId, error.Message);
            });
    }
}
