using Vpp.Domain.Assets;

namespace Vpp.Domain.Simulation;

/// <summary>
/// The sky and climate a simulated solar plant sees. Without a latitude the sun follows a fixed day (sunrise and
/// sunset in UTC; the defaults fit an equinox day); with <see cref="LatitudeDegrees"/> it follows the season and the
/// site (see <see cref="SolarGeometry"/>).
/// </summary>
public sealed record SolarConditions
{
    /// <summary>Site latitude (°, north positive). When set, the sun rises and sets by day of year at this latitude and <see cref="LongitudeDegrees"/>.</summary>
    public double? LatitudeDegrees { get; init; }

    /// <summary>Site longitude (°, east positive); only used with <see cref="LatitudeDegrees"/>.</summary>
    public double LongitudeDegrees { get; init; }

    public TimeSpan SunriseUtc { get; init; } = TimeSpan.FromHours(6);

    public TimeSpan SunsetUtc { get; init; } = TimeSpan.FromHours(18);

    /// <summary>Clear-sky irradiance at solar noon (W/m²).</summary>
    public double PeakIrradianceWPerM2 { get; init; } = 1000;

    public double AmbientTemperatureC { get; init; } = 20;

    /// <summary>Nominal operating cell temperature: at 800 W/m² the cells run (NOCT − 20) K above ambient.</summary>
    public double NominalOperatingCellTemperatureC { get; init; } = 45;

    /// <summary>γ: relative change of output per kelvin of cell temperature above 25 °C.</summary>
    public double TemperatureCoefficientPerK { get; init; } = -0.004;

    /// <summary>Lower bound of the cloud factor (share of clear-sky irradiance that gets through); the upper bound is 1.</summary>
    public double MinCloudFactor { get; init; } = 0.2;

    /// <summary>Random-walk step of the cloud factor per √second; 0 keeps the sky as it starts.</summary>
    public double CloudVolatilityPerSqrtSecond { get; init; } = 0.01;

    /// <summary>The cloud factor at the start; null draws one between 0.6 and 1.</summary>
    public double? InitialCloudFactor { get; init; }
}

/// <summary>
/// A solar plant: P = G/1000 · P_rated · (1 + γ·(T_cell − 25 °C)), capped at the rated (inverter) power.
/// G is the clear-sky irradiance (zero at night) times a cloud factor that follows a bounded random walk; clear sky is
/// a half sine between fixed sunrise and sunset, or, for a site with a latitude, peak · sin(solar elevation). Available power is that; the plant only curtails: active = min(available, setpoint).
/// </summary>
public sealed class SimulatedSolar : SimulatedAsset
{
    private readonly SolarConditions _conditions;

    public SimulatedSolar(AssetSpec spec, Random random, SolarConditions? conditions = null)
        : base(spec, AssetKind.Solar, random)
    {
        _conditions = conditions ?? new SolarConditions();
        if (_conditions.SunriseUtc >= _conditions.SunsetUtc || _conditions.SunriseUtc < TimeSpan.Zero || _conditions.SunsetUtc > TimeSpan.FromDays(1))
        {
            throw new ArgumentException("sunrise must come before sunset, both within one UTC day", nameof(conditions));
        }

        if (_conditions.LatitudeDegrees is { } latitude && !(latitude is >= -90 and <= 90 && _conditions.LongitudeDegrees is >= -180 and <= 180))
        {
            throw new ArgumentException("latitude must be within ±90° and longitude within ±180°", nameof(conditions));
        }

        if (_conditions.MinCloudFactor is < 0 or > 1)
        {
            throw new ArgumentException("the minimum cloud factor must be between 0 and 1", nameof(conditions));
        }

        CloudFactor = Math.Clamp(_conditions.InitialCloudFactor ?? Random.NextUniform(0.6, 1), _conditions.MinCloudFactor, 1);
    }

    /// <summary>Share of clear-sky irradiance reaching the panels now.</summary>
    public double CloudFactor { get; private set; }

    public double IrradianceWPerM2 { get; private set; }

    public double CellTemperatureC { get; private set; }

    public double AvailableKw { get; private set; }

    public override double? AvailablePowerKw => AvailableKw;

    /// <summary>Clear-sky irradiance, zero at night: peak · sin(elevation) at a site with a latitude, else a half sine from sunrise to sunset.</summary>
    public static double ClearSkyIrradianceWPerM2(DateTimeOffset at, SolarConditions conditions)
    {
        if (conditions.LatitudeDegrees is { } latitude)
        {
            return conditions.PeakIrradianceWPerM2 * Math.Max(0, SolarGeometry.SineOfElevation(at, latitude, conditions.LongitudeDegrees));
        }

        var timeOfDay = at.UtcDateTime.TimeOfDay;
        if (timeOfDay <= conditions.SunriseUtc || timeOfDay >= conditions.SunsetUtc)
        {
            return 0;
        }

        var dayFraction = (timeOfDay - conditions.SunriseUtc) / (conditions.SunsetUtc - conditions.SunriseUtc);
        return conditions.PeakIrradianceWPerM2 * Math.Sin(Math.PI * dayFraction);
    }

    /// <summary>NOCT model: cells warm above ambient in proportion to irradiance.</summary>
    public static double CellTemperatureCAt(double irradianceWPerM2, SolarConditions conditions) =>
        conditions.AmbientTemperatureC + ((conditions.NominalOperatingCellTemperatureC - 20) * irradianceWPerM2 / 800);

    /// <summary>P = G/1000 · P_rated · (1 + γ·(T_cell − 25 °C)), never negative (before any inverter cap).</summary>
    public static double PanelPowerKw(double irradianceWPerM2, double cellTemperatureC, double ratedKw, double temperatureCoefficientPerK) =>
        Math.Max(0, irradianceWPerM2 / 1000 * ratedKw * (1 + (temperatureCoefficientPerK * (cellTemperatureC - 25))));

    protected override void Advance(double seconds, DateTimeOffset now, double? setpointKw)
    {
        CloudFactor = ReflectInto(
            CloudFactor + (_conditions.CloudVolatilityPerSqrtSecond * Math.Sqrt(seconds) * Random.NextGaussian()),
            _conditions.MinCloudFactor,
            1);
        IrradianceWPerM2 = ClearSkyIrradianceWPerM2(now, _conditions) * CloudFactor;
        CellTemperatureC = CellTemperatureCAt(IrradianceWPerM2, _conditions);
        AvailableKw = Math.Min(
            Spec.MaxPowerKw,
            PanelPowerKw(IrradianceWPerM2, CellTemperatureC, Spec.MaxPowerKw, _conditions.TemperatureCoefficientPerK));

        var targetKw = setpointKw is { } sp ? Math.Clamp(sp, 0, AvailableKw) : AvailableKw;
        ActivePowerKw = Math.Clamp(RampToward(targetKw, seconds), 0, AvailableKw); // the sun caps output whatever the ramp says
    }

    /// <summary>Mirrors a value back into [min, max]: a bounded walk that does not stick to its bounds.</summary>
    internal static double ReflectInto(double value, double min, double max)
    {
        if (max <= min)
        {
            return min;
        }

        for (var i = 0; i < 4 && (value < min || value > max); i++)
        {
            value = value < min ? (2 * min) - value : (2 * max) - value;
        }

        return Math.Clamp(value, min, max);
    }
}
