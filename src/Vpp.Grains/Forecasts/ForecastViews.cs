using Vpp.Abstractions.Forecasts;
using Vpp.Domain.Forecasts;
using Vpp.Domain.Schedules;

namespace Vpp.Grains.Forecasts;

/// <summary>Domain forecasts to and from their wire form, and the site the clear-sky forecast uses.</summary>
public static class ForecastViews
{
    /// <summary>How far the VPP's own forecasts reach from the current quarter hour: the optimiser's longest horizon.</summary>
    public static readonly int DefaultSlots = Domain.Optimisation.OptimisationProblem.MaxSlots;

    public static SiteLocation Site(VppOptions options) => new(options.Optimisation.LatitudeDegrees, options.Optimisation.LongitudeDegrees);

    public static ForecastView ToView(string fleetId, ForecastSeries series, string source, DateTimeOffset? storedAt) => new(
        fleetId, series.Name, source, series.Method, series.From, series.Until,
        [.. series.Kw.Select((kw, t) => new ForecastSlot(series.From + (QuarterHour.Length * t), kw))], storedAt);

    public static ForecastSeries ToSeries(ForecastView view) => new(view.Name, view.From, [.. view.Points.Select(p => p.Kw)], view.Method);
}
