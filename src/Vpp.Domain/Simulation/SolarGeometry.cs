namespace Vpp.Domain.Simulation;

/// <summary>
/// Where the sun stands, from the day of year and the site's latitude and longitude: declination by Cooper's formula
/// and the hour angle from mean solar time (longitude / 15° per hour from UTC). The equation of time (±16 min over the
/// year) is left out: good enough for a simulated day curve, not for a solar tracker.
/// </summary>
public static class SolarGeometry
{
    private const double DegreesToRadians = Math.PI / 180;

    /// <summary>δ = 23.44° · sin(360° · (284 + n) / 365), in radians.</summary>
    public static double DeclinationRadians(int dayOfYear) =>
        23.44 * DegreesToRadians * Math.Sin(2 * Math.PI * (284 + dayOfYear) / 365);

    /// <summary>sin(elevation) = sin φ · sin δ + cos φ · cos δ · cos ω; at or below 0 the sun is down.</summary>
    public static double SineOfElevation(DateTimeOffset at, double latitudeDegrees, double longitudeDegrees)
    {
        var utc = at.UtcDateTime;
        var solarHours = utc.TimeOfDay.TotalHours + (longitudeDegrees / 15);
        var hourAngle = 15 * DegreesToRadians * (solarHours - 12);
        var latitude = latitudeDegrees * DegreesToRadians;
        var declination = DeclinationRadians(utc.DayOfYear);
        return (Math.Sin(latitude) * Math.Sin(declination)) + (Math.Cos(latitude) * Math.Cos(declination) * Math.Cos(hourAngle));
    }
}
