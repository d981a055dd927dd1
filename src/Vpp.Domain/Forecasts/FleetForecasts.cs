using System.Globalization;
using Vpp.Domain.Assets;
using Vpp.Domain.Optimisation;
using Vpp.Domain.Schedules;
using Vpp.Domain.Settlement;
using Vpp.Domain.Simulation;

namespace Vpp.Domain.Forecasts;

/// <summary>Where the fleet's solar parks stand (degrees; north and east positive): one site for the whole fleet.</summary>
public sealed record SiteLocation(double LatitudeDegrees, double LongitudeDegrees);

/// <summary>
/// The forecasts the VPP makes when a fleet has none stored, and the optimiser's groups with the fleet's forecasts
/// applied. PV uses the simulator's own physics (<see cref="SolarGeometry"/>, <see cref="SimulatedSolar"/>), so the
/// forecast and the simulated plants agree on when the sun shines.
/// </summary>
public static class FleetForecasts
{
    /// <summary>Below this share of the rated power the clear-sky output now is too small to scale a forecast from.</summary>
    public const double MinClearSkyShareForScaling = 0.05;

    /// <summary>
    /// Clear-sky PV output (kW) of <paramref name="ratedKw"/> of panels at <paramref name="at"/>: peak irradiance ·
    /// sin(solar elevation), zero at night, through the panel and cell-temperature model of <see cref="SimulatedSolar"/>.
    /// </summary>
    public static double ClearSkyKw(DateTimeOffset at, double ratedKw, SiteLocation site)
    {
        var conditions = new SolarConditions { LatitudeDegrees = site.LatitudeDegrees, LongitudeDegrees = site.LongitudeDegrees };
        var irradiance = SimulatedSolar.ClearSkyIrradianceWPerM2(at, conditions);
        return Math.Min(ratedKw, SimulatedSolar.PanelPowerKw(
            irradiance, SimulatedSolar.CellTemperatureCAt(irradiance, conditions), ratedKw, conditions.TemperatureCoefficientPerK));
    }

    /// <summary>
    /// Measured over clear-sky output now, within 0–1: how much of the clear sky the clouds let through. When the
    /// clear sky gives less than <see cref="MinClearSkyShareForScaling"/> of the rated power (night, dawn) there is
    /// nothing to learn from the measurement, and the factor is 1.
    /// </summary>
    public static double PersistenceFactor(double measuredKw, double clearSkyNowKw, double ratedKw) =>
        clearSkyNowKw >= MinClearSkyShareForScaling * ratedKw && clearSkyNowKw > 0 ? Math.Clamp(measuredKw / clearSkyNowKw, 0, 1) : 1;

    /// <summary>
    /// PV by clear sky with persistence: each slot's clear-sky output (at the slot's middle) times the share of the
    /// clear sky measured now (<see cref="PersistenceFactor"/>), the "smart persistence" reference forecast.
    /// </summary>
    public static ForecastSeries Pv(DateTimeOffset now, DateTimeOffset from, int slots, double ratedKw, double measuredKw, SiteLocation site)
    {
        var factor = PersistenceFactor(measuredKw, ClearSkyKw(now, ratedKw, site), ratedKw);
        var kw = Enumerable.Range(0, slots)
            .Select(t => factor * ClearSkyKw(from + (QuarterHour.Length * t) + (QuarterHour.Length / 2), ratedKw, site))
            .ToArray();
        return new ForecastSeries(ForecastSeries.Pv, from, kw, string.Create(
            CultureInfo.InvariantCulture,
            $"clear sky with persistence: the clear-sky output of {ratedKw:0.###} kW of panels at {site.LatitudeDegrees:0.##}°, {site.LongitudeDegrees:0.##}° times {factor:0.###}, the share of the clear sky measured now"));
    }

    /// <summary>Wind by persistence: the power available now, held for every slot (the reference forecast for short horizons).</summary>
    public static ForecastSeries Wind(DateTimeOffset from, int slots, double measuredKw) =>
        new(ForecastSeries.Wind, from, [.. Enumerable.Repeat(Math.Max(0, measuredKw), slots)], "persistence: the wind power available now, held for every slot");

    /// <summary>How many weeks back the similar-day load forecast looks for the same weekday.</summary>
    public const int SimilarDayWeeks = 4;

    /// <summary>
    /// Load by similar day where metered history exists, else the registered baselines. Slot t's forecast is the mean
    /// of the flexible loads' metered consumption in the same quarter hour of the same weekday 1 … n weeks earlier
    /// (<paramref name="meteredKwByWeek"/>[k − 1][t], null where the meters hold nothing), over the weeks that hold
    /// it; a slot no week holds gets the loads' summed registered baseline. This is the "same day last week" similar-day
    /// method, averaged over several weeks like the "X of Y" customer baselines of demand response (e.g. PJM Manual 11,
    /// customer baseline load): a weekday's profile repeats a week later far better than the day before predicts it.
    /// </summary>
    public static ForecastSeries Load(DateTimeOffset from, int slots, double baselineKw, IReadOnlyList<double?[]>? meteredKwByWeek = null)
    {
        var weeks = meteredKwByWeek ?? [];
        var kw = new double[slots];
        var held = 0;
        for (var t = 0; t < slots; t++)
        {
            var metered = weeks.Select(w => t < w.Length ? w[t] : null).OfType<double>().ToList();
            kw[t] = metered.Count > 0 ? Math.Max(0, metered.Average()) : Math.Max(0, baselineKw);
            held += metered.Count > 0 ? 1 : 0;
        }

        var method = held == 0
            ? "registered baselines: the flexible loads' summed baseline consumption in every slot"
            : string.Create(
                CultureInfo.InvariantCulture,
                $"similar day: in {held} of {slots} quarter hours the flexible loads' mean metered consumption in the same quarter hour of the same weekday over the previous {weeks.Count} weeks the meters hold; the registered baselines in the others");
        return new ForecastSeries(ForecastSeries.Load, from, kw, method);
    }

    /// <summary>
    /// Metered consumption (kW, positive) of loads in one slot: each reading's energy over the time its meter covered,
    /// summed; null when no reading covers any of the slot (nothing is known, which is not zero).
    /// </summary>
    public static double? MeteredLoadKw(IEnumerable<SlotReading> readings)
    {
        double? kw = null;
        foreach (var r in readings.Where(r => r.Covered > TimeSpan.Zero))
        {
            kw = (kw ?? 0) + Math.Max(0, -r.DeliveredKwh / r.Covered.TotalHours);
        }

        return kw;
    }

    /// <summary>Per-slot sums that add up across partitions: a slot is null only when no part holds it.</summary>
    public static double?[] AddUp(IEnumerable<double?[]?> parts, int slots)
    {
        var sum = new double?[slots];
        foreach (var part in parts.OfType<double?[]>())
        {
            for (var t = 0; t < Math.Min(slots, part.Length); t++)
            {
                if (part[t] is { } kw)
                {
                    sum[t] = (sum[t] ?? 0) + kw;
                }
            }
        }

        return sum;
    }

    /// <summary>
    /// The VPP's own forecast named <paramref name="name"/> (pv, wind or load) from the fleet's online groups and, for
    /// load, the metered history of the same weekday (<see cref="Load"/>); null for other names.
    /// </summary>
    public static ForecastSeries? Default(
        string name, IReadOnlyList<GroupTotals> groups, DateTimeOffset now, DateTimeOffset from, int slots, SiteLocation site,
        IReadOnlyList<double?[]>? meteredLoadKwByWeek = null) => name switch
    {
        ForecastSeries.Pv => Pv(now, from, slots, Sum(groups, AssetKind.Solar, g => g.PowerKw), Sum(groups, AssetKind.Solar, g => g.MaxKw), site),
        ForecastSeries.Wind => Wind(from, slots, Sum(groups, AssetKind.Wind, g => g.MaxKw)),
        ForecastSeries.Load => Load(from, slots, Sum(groups, AssetKind.FlexibleLoad, g => -g.MinKw), meteredLoadKwByWeek),
        _ => null,
    };

    /// <summary>
    /// The optimiser's groups over <paramref name="slots"/> quarter hours from <paramref name="from"/>: each fleet-wide
    /// forecast (the stored one where it covers a slot, the VPP's own elsewhere, load from <paramref name="meteredLoadKwByWeek"/>
    /// where it holds a slot) split over the groups of its kind in
    /// proportion to their registered power (PV, wind: rated power, capped at it; load: baseline).
    /// </summary>
    public static IReadOnlyList<FleetGroup> Groups(
        IReadOnlyList<GroupTotals> groups, IReadOnlyDictionary<string, ForecastSeries> stored, DateTimeOffset now, DateTimeOffset from, int slots, SiteLocation site,
        IReadOnlyList<double?[]>? meteredLoadKwByWeek = null)
    {
        var series = ForecastSeries.Known.ToDictionary(name => name, name =>
        {
            var own = Default(name, groups, now, from, slots, site, meteredLoadKwByWeek)!.Kw;
            return stored.TryGetValue(name, out var theirs) ? theirs.Over(from, slots, own) : [.. own];
        });
        var ratedSolarKw = Sum(groups, AssetKind.Solar, g => g.PowerKw);
        var ratedWindKw = Sum(groups, AssetKind.Wind, g => g.PowerKw);
        var baselineKw = Sum(groups, AssetKind.FlexibleLoad, g => -g.MinKw);
        return [.. groups.Select(g => g.Kind switch
        {
            AssetKind.Solar => g.ToGroup(slots, Split(series[ForecastSeries.Pv], g.PowerKw, ratedSolarKw, cap: true)),
            AssetKind.Wind => g.ToGroup(slots, Split(series[ForecastSeries.Wind], g.PowerKw, ratedWindKw, cap: true)),
            AssetKind.FlexibleLoad when g.ToGroup(slots) is FlexibleLoadGroup load =>
                load with { BaselineKwPerSlot = Split(series[ForecastSeries.Load], load.BaselineKw, baselineKw, cap: false) },
            _ => g.ToGroup(slots),
        })];
    }

    private static double[] Split(double[] fleetKw, double groupKw, double totalKw, bool cap) =>
        [.. fleetKw.Select(kw => totalKw > 0 ? Math.Max(0, cap ? Math.Min(groupKw, kw * groupKw / totalKw) : kw * groupKw / totalKw) : 0)];

    private static double Sum(IReadOnlyList<GroupTotals> groups, AssetKind kind, Func<GroupTotals, double> value) =>
        groups.Where(g => g.Kind == kind).Sum(value);
}
