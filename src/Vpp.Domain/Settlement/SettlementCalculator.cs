using Vpp.Domain.Schedules;

namespace Vpp.Domain.Settlement;

/// <summary>One asset's data for settlement: its requested power (the setpoints it was sent) and its telemetry.</summary>
public sealed record AssetMeterInput(string AssetId, StepProfile RequestedKw, IReadOnlyList<PowerSample> Samples);

/// <summary>
/// Delivered versus requested energy per 15-minute slot. Requested energy is the fleet's request (schedule plus
/// activations, see <see cref="StepProfile.Sum"/>), integrated exactly; delivered energy is each asset's telemetry
/// integrated by the <see cref="Meter"/> (trapezoidal, gaps unknown), summed over assets.
/// <para>
/// Who compensated for whom is measured against each asset's PLANNED share: the fleet's requested energy split in
/// proportion to the setpoints in force at the slot start (or, when those sum to nothing, each asset's own request).
/// Against its own setpoints an asset that picked up another's share after a re-dispatch shows no deviation; against
/// the plan it does. Assets whose delivery went against the fleet's request fell short, those that went with it made
/// up, and the matched energy (the smaller of the two totals) is shared pro rata on both sides. Only assets with
/// complete data take part: a gap proves nothing either way.
/// </para>
/// </summary>
public static class SettlementCalculator
{
    public static IReadOnlyList<SlotSettlement> Settle(
        SlotRange range, StepProfile fleetRequestedKw, IReadOnlyList<AssetMeterInput> assets, TimeSpan? maxSampleGap = null)
    {
        var meters = assets.Select(a => new Meter(a.Samples, maxSampleGap)).ToArray();
        var result = new List<SlotSettlement>(range.SlotCount);
        foreach (var start in range.Starts)
        {
            var end = start + QuarterHour.Length;
            var metered = meters.Select(m => m.Integrate(start, end)).ToArray();
            var deliveredKwh = metered.Sum(m => m.Kwh);
            var requestedKwh = fleetRequestedKw.EnergyKwh(start, end);
            var planned = PlannedKwh(assets, start, end, requestedKwh);
            var perAsset = assets.Select((a, i) => new AssetSlotSettlement(
                a.AssetId,
                a.RequestedKw.EnergyKwh(start, end),
                planned[i],
                metered[i].Kwh,
                metered[i].Unknown,
                metered[i].CoveragePercent,
                Math.Abs(deliveredKwh) > SlotSettlement.ToleranceKwh ? 100 * metered[i].Kwh / deliveredKwh : null)).ToList();
            result.Add(new SlotSettlement(start, requestedKwh, deliveredKwh, perAsset, Compensations(perAsset, requestedKwh)));
        }

        return result;
    }

    private static double[] PlannedKwh(IReadOnlyList<AssetMeterInput> assets, DateTimeOffset start, DateTimeOffset end, double fleetRequestedKwh)
    {
        var atStartKw = assets.Select(a => a.RequestedKw.KwAt(start)).ToArray();
        var totalKw = atStartKw.Sum();
        return Math.Abs(totalKw) > Dispatch.Capability.ToleranceKw
            ? atStartKw.Select(kw => fleetRequestedKwh * kw / totalKw).ToArray()
            : assets.Select(a => a.RequestedKw.EnergyKwh(start, end)).ToArray();
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

        return madeUp.SelectMany(helper => fellShort.Select(dropped => new Compensation(
                helper.AssetId,
                dropped.AssetId,
                matchedKwh * (Math.Abs(helper.OffPlanKwh) / extraKwh) * (Math.Abs(dropped.OffPlanKwh) / shortKwh))))
            .ToList();
    }
}
