using Vpp.Domain.Forecasts;
using Vpp.Domain.Validation;

namespace Vpp.Domain.Tests.Forecasts;

public sealed class ForecastSeriesTests
{
    private static readonly DateTimeOffset Noon = new(2026, 6, 21, 12, 0, 0, TimeSpan.Zero);

    private static (DateTimeOffset?, double?)?[] Points(params double[] kw) =>
        [.. kw.Select((p, i) => ((DateTimeOffset?, double?)?)(Noon.AddMinutes(15 * i), p))];

    private static IReadOnlyList<FieldError> Errors(string? name, IReadOnlyList<(DateTimeOffset? From, double? Kw)?>? points)
    {
        var errors = new FieldErrors();
        var series = ForecastSeries.Parse(errors, name, points);
        Assert.Equal(errors.Any, series is null);
        return errors.Errors;
    }

    [Fact]
    public void A_series_of_consecutive_quarter_hours_is_accepted()
    {
        var errors = new FieldErrors();

        var series = ForecastSeries.Parse(errors, "pv", Points(0, 10, 20))!;

        Assert.Empty(errors.Errors);
        Assert.Equal(Noon, series.From);
        Assert.Equal(Noon.AddMinutes(45), series.Until);
        Assert.Equal(10, series.KwAt(Noon.AddMinutes(15)));
        Assert.Null(series.KwAt(Noon.AddMinutes(45)));
        Assert.Null(series.KwAt(Noon.AddMinutes(-15)));
    }

    [Fact]
    public void A_gap_is_refused_naming_the_point_after_it()
    {
        var points = Points(1, 2, 3).ToList();
        points.RemoveAt(1);

        Assert.Equal("points[1].from", Assert.Single(Errors("pv", points)).Field);
    }

    [Fact]
    public void A_step_other_than_fifteen_minutes_and_a_misaligned_start_are_refused()
    {
        var halfHours = Points(1, 2).ToList();
        halfHours[1] = (Noon.AddMinutes(30), 2);
        Assert.Equal("points[1].from", Assert.Single(Errors("pv", halfHours)).Field);

        Assert.Equal("points[0].from", Assert.Single(Errors("pv", [(Noon.AddMinutes(5), 1)])).Field);
    }

    [Fact]
    public void An_instant_not_in_utc_is_refused()
    {
        var local = new DateTimeOffset(2026, 6, 21, 14, 0, 0, TimeSpan.FromHours(2));

        Assert.Equal("points[0].from", Assert.Single(Errors("pv", [(local, 1)])).Field);
    }

    [Fact]
    public void Too_long_empty_negative_and_badly_named_series_are_refused_naming_the_field()
    {
        Assert.Equal("points", Assert.Single(Errors("pv", Points(new double[ForecastSeries.MaxSlots + 1]))).Field);
        Assert.Equal("points", Assert.Single(Errors("pv", [])).Field);
        Assert.Equal("points[1].kw", Assert.Single(Errors("wind", Points(1, -1))).Field);
        Assert.Empty(Errors("spread", Points(1, -1))); // a trader's own series may be negative
        Assert.Equal("points[0].kw", Assert.Single(Errors("load", [(Noon, null)])).Field);
        Assert.Equal("name", Assert.Single(Errors("PV 1", Points(1))).Field);
        Assert.Equal("name", Assert.Single(Errors(null, Points(1))).Field);
    }
}
