using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.VirtualBatteries;
using Vpp.Domain.Schedules;
using Vpp.Domain.VirtualBatteries;

namespace Vpp.Grains.VirtualBatteries;

/// <summary>
/// Settlement per slot and slice: each slice is settled for its own request (netting does not change what a trader
/// asked for); its delivery is its share of the fleet's measured delivery (<see cref="SliceSettlement"/>), unknown
/// while the fleet's meters have a gap in the slot.
/// </summary>
public sealed partial class SliceBookGrain
{
    /// <summary>A caller acting for a trader (<see cref="TraderScope"/>) gets only that trader's slices' rows.</summary>
    public async Task<SliceSettlementView> GetSettlementAsync(DateTimeOffset from, DateTimeOffset to, string[]? virtualBatteryIds)
    {
        var caller = CallerTrader.Take();
        var fleet = await GrainFactory.GetGrain<ISettlementQueryGrain>(FleetId).GetSettlementTotalsAsync(from, to);
        // Deleted slices too: their setpoints were part of the fleet's request in the slots they were booked.
        var ids = S.Slices.Keys.Concat(S.Deleted.Keys).Order(StringComparer.Ordinal).ToArray();
        var ledgers = await Task.WhenAll(ids.Select(id => GrainFactory.GetGrain<IVirtualBatteryDeliveryGrain>(id).GetLedgerAsync(from, to)));
        var wanted = virtualBatteryIds?.ToHashSet(StringComparer.Ordinal);
        var rows = new List<SliceSettlementRow>();
        foreach (var slot in fleet.Slots)
        {
            var records = ledgers.Select(l => l.FirstOrDefault(r => r.Start == slot.Start)).ToArray();
            var setpointsKwh = records.Select(r => r?.SetpointKwh ?? 0).ToArray();
            var delivered = slot.Complete
                ? SliceSettlement.DeliveredKwh(slot.DeliveredKwh, slot.RequestedKwh - setpointsKwh.Sum(), setpointsKwh)
                : null;
            for (var i = 0; i < ids.Length; i++)
            {
                if (records[i] is not { } record || wanted is not null && !wanted.Contains(ids[i]) || !TraderScope.Allows(caller, TraderOf(ids[i])))
                {
                    continue;
                }

                double? deliveredKwh = delivered is null ? null : Math.Round(delivered[i], 6);
                rows.Add(new SliceSettlementRow(
                    ids[i], TraderOf(ids[i]), slot.Start, slot.Start + QuarterHour.Length,
                    Math.Round(record.RequestedKwh, 6), Math.Round(record.SetpointKwh, 6), deliveredKwh,
                    deliveredKwh is { } d ? Math.Round(d - record.RequestedKwh, 6) : null,
                    Math.Round(record.RequestedKwh - record.SetpointKwh, 6), record.CurtailmentReason, Math.Round(record.SocEndPercent, 6)));
            }
        }

        return new SliceSettlementView(from, to, [.. rows], SliceSettlementView.TotalsOf(rows));
    }

    private string TraderOf(string virtualBatteryId) =>
        S.Slices.TryGetValue(virtualBatteryId, out var entry) ? entry.Spec.TraderId : S.Deleted[virtualBatteryId].Spec.TraderId;
}
