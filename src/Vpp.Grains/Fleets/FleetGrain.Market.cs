using Vpp.Domain.Schedules;
using Vpp.Grains.Contracts;

namespace Vpp.Grains.Fleets;

/// <summary>
/// The fleet's part of flexibility and bids: a snapshot of what only it knows, answered from memory.
/// <see cref="FleetQueryGrain"/> asks the partitions, the schedule and the slice book and does the rest.
/// </summary>
public sealed partial class FleetGrain
{
    public Task<MarketSnapshot> GetMarketSnapshotAsync()
    {
        RequireKnown();
        return Task.FromResult(new MarketSnapshot(
            [.. S.PartitionKeys.Order(StringComparer.Ordinal)], [.. G.FcrAwards], G.AfrrCapacityUpKw, G.AfrrCapacityDownKw,
            FcrCapacityNow().RegisteredKw, OnlineStorage, S.SlicesKw ?? 0));
    }

    /// <summary>The fleet's stored schedule slots over the range (an award's period is checked against them).</summary>
    private Task<IReadOnlyList<ScheduledSlot>> ScheduledSlotsAsync(SlotRange range) => ScheduleReads.SlotsAsync(GrainFactory, FleetId, range);
}
