using Orleans.Concurrency;
using Vpp.Abstractions.VirtualBatteries;

namespace Vpp.Grains.Contracts;

/// <summary>
/// A virtual battery as its slice book sees it: <see cref="IVirtualBatteryGrain"/> (the SDK's view) and the methods
/// only the book calls — the request from a quarter-hour boundary, the setpoint after netting, the ledger for settlement
/// — and the schedule optimiser (<see cref="ProjectAsync"/>).
/// </summary>
public interface IVirtualBatteryDeliveryGrain : IVirtualBatteryGrain
{
    /// <summary>The slice's quarter hours in [from, to).</summary>
    [AlwaysInterleave]
    Task<SliceSlotRecord[]> GetLedgerAsync(DateTimeOffset from, DateTimeOffset to);

    /// <summary>The slice book asks what the slice wants from a quarter-hour boundary (interleaves: the book may be answering this slice).</summary>
    [AlwaysInterleave]
    Task<SliceRequest> RequestFromAsync(DateTimeOffset boundary);

    /// <summary>The slice book gives the slice its setpoint after netting and curtailment.</summary>
    [AlwaysInterleave]
    Task ApplySetpointAsync(SliceSetpoint setpoint);

    /// <summary>
    /// The slice's plan from now until <paramref name="until"/> (a quarter-hour start) and the virtual SoC it leaves
    /// then if delivered as planned; null when the slice does not exist or was deleted.
    /// </summary>
    [AlwaysInterleave]
    Task<SliceProjection?> ProjectAsync(DateTimeOffset until);
}
