namespace Vpp.Domain.Settlement;

/// <summary>
/// One asset in one slot: what it was asked (its setpoints), its planned share of the fleet's request, what its meter
/// proves, and how much is unknown.
/// </summary>
public sealed record AssetSlotSettlement(
    string AssetId,
    double RequestedKwh,
    double PlannedKwh,
    double DeliveredKwh,
    TimeSpan UnknownTime,
    double CoveragePercent,
    double? SharePercent)
{
    public bool IsComplete => UnknownTime <= TimeSpan.Zero;

    /// <summary>Delivered minus requested; null when part of the slot is unknown (a gap is not a deviation of zero).</summary>
    public double? DeviationKwh => IsComplete ? DeliveredKwh - RequestedKwh : null;

    /// <summary>Delivered minus the planned share (see <see cref="SettlementCalculator"/>): what it did for or against the pool.</summary>
    public double OffPlanKwh => DeliveredKwh - PlannedKwh;
}

/// <summary>Energy one asset delivered beyond its request that made up for another asset's shortfall.</summary>
public sealed record Compensation(string CompensatingAssetId, string ForAssetId, double Kwh);

/// <summary>
/// Settlement of one 15-minute slot. <see cref="DeliveredKwh"/> is the energy the meters prove; when any asset has a
/// telemetry gap the slot is incomplete, the deviation is null and <see cref="AssetsWithGaps"/> names who is missing.
/// </summary>
public sealed record SlotSettlement(
    DateTimeOffset Start,
    double RequestedKwh,
    double DeliveredKwh,
    IReadOnlyList<AssetSlotSettlement> Assets,
    IReadOnlyList<Compensation> Compensations)
{
    /// <summary>Requests below 1 Wh are treated as none when a percentage would divide by them.</summary>
    public const double ToleranceKwh = 1e-3;

    public DateTimeOffset End => Start + Schedules.QuarterHour.Length;

    public IReadOnlyList<string> AssetsWithGaps => Assets.Where(a => !a.IsComplete).Select(a => a.AssetId).ToList();

    public bool IsComplete => Assets.All(a => a.IsComplete);

    public double? DeviationKwh => SlotDeviation.Kwh(RequestedKwh, DeliveredKwh, IsComplete);

    /// <summary>Deviation as a percentage of the requested energy; null when incomplete or nothing was requested.</summary>
    public double? DeviationPercent => SlotDeviation.Percent(RequestedKwh, DeviationKwh);
}

/// <summary>How far a slot's delivery is off its request: only when every meter covered the whole slot.</summary>
public static class SlotDeviation
{
    public static double? Kwh(double requestedKwh, double deliveredKwh, bool complete) => complete ? deliveredKwh - requestedKwh : null;

    /// <summary>As a percentage of the requested energy; null when unknown or nothing (below 1 Wh) was requested.</summary>
    public static double? Percent(double requestedKwh, double? deviationKwh) =>
        deviationKwh is { } d && Math.Abs(requestedKwh) > SlotSettlement.ToleranceKwh ? 100 * d / Math.Abs(requestedKwh) : null;
}

/// <summary>
/// A slot settled from its fleet totals only (meters summed where they are kept, no per-asset list): what a fleet
/// too large to list asset by asset reports, e.g. 100,000 assets over a day.
/// </summary>
public sealed record SlotTotals(DateTimeOffset Start, double RequestedKwh, double DeliveredKwh, int AssetCount, int IncompleteCount)
{
    public DateTimeOffset End => Start + Schedules.QuarterHour.Length;

    public bool IsComplete => IncompleteCount == 0;

    public double? DeviationKwh => SlotDeviation.Kwh(RequestedKwh, DeliveredKwh, IsComplete);

    public double? DeviationPercent => SlotDeviation.Percent(RequestedKwh, DeviationKwh);
}
