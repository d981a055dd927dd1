using Vpp.Domain.Schedules;

namespace Vpp.Domain.Settlement;

/// <summary>One asset's meter reading for one slot.</summary>
public sealed record AssetSlotReading(string AssetId, SlotReading Reading);

/// <summary>
/// Delivered versus requested energy per 15-minute slot. Requested energy is the fleet's request (a <see cref="StepProfile"/>), integrated exactly; delivered energy is each asset's telemetry
/// integrated by its <see cref="SlotMeter"/> (trapezoidal, gaps unknown), summed over assets.
/// <para>
/// Who compensated for whom is measured against each asset's planned share: its own requested energy as planned for
/// the slot, the setpoint it held at the slot start over the whole slot (its requested energy when it had none then).
/// Against its own later setpoints an asset that picked up another's share after a re-dispatch shows no deviation;
/// against its plan it does. A share of the fleet's request in proportion to setpoints would invent compensations
/// wherever setpoints of both signs nearly cancel (solar +1000 kW, battery −900 kW: any change of the fleet's
/// request is scaled tenfold onto both). Assets whose delivery went against the fleet's request fell short, those
/// that went with it made up, and the matched energy (the smaller of the two totals) is shared pro rata on both
/// sides. Only assets with complete data take part: a gap proves nothing either way.
/// </para>
/// </summary>
public static class SettlementCalculator
{
    /// <summary>
    /// One slot from per-asset meter readings (as partitions keep them): delivered and unknown per asset, planned
    /// shares from each asset's own requested energy, and who compensated for whom.
    /// </summary>
    public static SlotSettlement SettleSlot(DateTimeOffset start, double fleetRequestedKwh, IReadOnlyList<AssetSlotReading> assets)
    {
        var deliveredKwh = assets.Sum(a => a.Reading.DeliveredKwh);
        var perAsset = assets.Select(a =>
        {
            var covered = a.Reading.Covered > QuarterHour.Length ? QuarterHour.Length : a.Reading.Covered;
            return new AssetSlotSettlement(
                a.AssetId,
                a.Reading.RequestedKwh,
                PlannedKwh(a.Reading),
                a.Reading.DeliveredKwh,
                QuarterHour.Length - covered,
                100 * covered / QuarterHour.Length,
                Math.Abs(deliveredKwh) > SlotSettlement.ToleranceKwh ? 100 * a.Reading.DeliveredKwh / deliveredKwh : null);
        }).ToList();
        return new SlotSettlement(start, fleetRequestedKwh, deliveredKwh, perAsset, Compensations(perAsset, fleetRequestedKwh));
    }

    private static double PlannedKwh(SlotReading reading) =>
        reading.RequestedKwAtStart is { } kw ? kw * QuarterHour.Length.TotalHours : reading.RequestedKwh;

    /// <summary>
    /// How many assets each side of a slot's compensations names, largest off-plan energy first: 20 × 20 pairs at
    /// most, whatever the fleet's size. Each listed pair keeps its pro-rata energy of the whole slot.
    /// </summary>
    public const int MaxCompensationParties = 20;

    private static List<AssetSlotSettlement> Largest(List<AssetSlotSettlement> side)
    {
        if (side.Count <= MaxCompensationParties)
        {
            return side;
        }

        var largest = side.OrderByDescending(a => Math.Abs(a.OffPlanKwh)).ThenBy(a => a.AssetId, StringComparer.Ordinal)
            .Take(MaxCompensationParties).ToHashSet();
        return side.Where(largest.Contains).ToList(); // in the slot's asset order, as without the cut
    }

    private static IReadOnlyList<Compensation> Compensations(IReadOnlyList<AssetSlotSettlement> assets, double fleetRequestedKwh)
    {
        // "With the request": export when the fleet was asked to export, import when asked to import (export if nothing).
        var with = fleetRequestedKwh < 0 ? -1 : 1;
        var complete = assets.Where(a => a.IsComplete && Math.Abs(a.OffPlanKwh) > SlotSettlement.ToleranceKwh).ToList();
        var fellShort = complete.Where(a => Math.Sign(a.OffPlanKwh) == -with).ToList();
        var madeUp = complete.Where(a => Math.Sign(a.OffPlanKwh) == with).ToList();
        var shortKwh = fellShort.Sum(a => Math.Abs(a.OffPlanKwh));
        var extraKwh = madeUp.Sum(a => Math.Abs(a.OffPlanKwh));
        var matchedKwh = Math.Min(shortKwh, extraKwh);
        if (matchedKwh <= SlotSettlement.ToleranceKwh)
        {
            return [];
        }

        // The pairs grow as the product of the two sides: name the largest of each (the rest still shares the totals).
        fellShort = Largest(fellShort);
        madeUp = Largest(madeUp);
        return madeUp.SelectMany(helper => fellShort.Select(dropped => new Compensation(
                helper.AssetId,
                dropped.AssetId,
                matchedKwh * (Math.Abs(helper.OffPlanKwh) / extraKwh) * (Math.Abs(dropped.OffPlanKwh) / shortKwh))))
            .ToList();
    }
}
