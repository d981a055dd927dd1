using Vpp.Domain.Assets;

namespace Vpp.Domain.Simulation;

/// <summary>
/// A wind turbine's power curve: 0 below cut-in, a cubic rise P_rated·(v³ − v_ci³)/(v_r³ − v_ci³) up to rated speed,
/// rated power up to and including cut-out, 0 above (the turbine shuts down to protect itself).
/// </summary>
public sealed record WindPowerCurve(double CutInMps = 3.5, double RatedMps = 12, double CutOutMps = 25)
{
    public static readonly WindPowerCurve Default = new();

    public double PowerKw(double windSpeedMps, double ratedKw)
    {
        if (windSpeedMps < CutInMps || windSpeedMps > CutOutMps)
        {
            return 0;
        }

        if (windSpeedMps >= RatedMps)
        {
            return ratedKw;
        }

        var cutIn3 = CutInMps * CutInMps * CutInMps;
        var rated3 = RatedMps * RatedMps * RatedMps;
        return ratedKw * ((windSpeedMps * windSpeedMps * windSpeedMps) - cutIn3) / (rated3 - cutIn3);
    }
}

/// <summary>
/// The wind a simulated turbine sees: a slow Ornstein–Uhlenbeck process around the mean speed plus a fast one for
/// gusts. Both are stepped exactly (not Euler), so any step length gives the same statistics.
/// </summary>
public sealed record WindConditions
{
    public double MeanSpeedMps { get; init; } = 8;

    /// <summary>Long-run standard deviation of the slow component (m/s).</summary>
    public double SpeedStdDevMps { get; init; } = 2.5;

    /// <summary>How long the slow component takes to forget a deviation (1/θ).</summary>
    public TimeSpan ReversionTime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Long-run standard deviation of the gust component (m/s); 0 for no gusts.</summary>
    public double GustStdDevMps { get; init; } = 1;

    public TimeSpan GustTime { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Wind speed at the start; null draws one from the long-run distribution.</summary>
    public double? InitialSpeedMps { get; init; }

    public WindPowerCurve Curve { get; init; } = WindPowerCurve.Default;
}

/// <summary>A wind turbine: available power from the power curve at the current wind speed; curtailment only.</summary>
public sealed class SimulatedWind : SimulatedAsset
{
    private readonly WindConditions _conditions;
    private double _slowMps;
    private double _gustMps;

    public SimulatedWind(AssetSpec spec, Random random, WindConditions? conditions = null)
        : base(spec, AssetKind.Wind, random)
    {
        _conditions = conditions ?? new WindConditions();
        var curve = _conditions.Curve;
        if (!(curve.CutInMps >= 0 && curve.CutInMps < curve.RatedMps && curve.RatedMps <= curve.CutOutMps))
        {
            throw new ArgumentException("the power curve needs 0 <= cut-in < rated <= cut-out", nameof(conditions));
        }

        if (_conditions.ReversionTime <= TimeSpan.Zero || _conditions.GustTime <= TimeSpan.Zero)
        {
            throw new ArgumentException("reversion and gust times must be positive", nameof(conditions));
        }

        _slowMps = _conditions.InitialSpeedMps ?? (_conditions.MeanSpeedMps + (_conditions.SpeedStdDevMps * Random.NextGaussian()));
        _gustMps = 0;
        WindSpeedMps = Math.Max(0, _slowMps);
    }

    public double WindSpeedMps { get; private set; }

    public double AvailableKw { get; private set; }

    public override double? AvailablePowerKw => AvailableKw;

    protected override void Advance(double seconds, DateTimeOffset now, double? setpointKw)
    {
        _slowMps = OrnsteinUhlenbeck(_slowMps, _conditions.MeanSpeedMps, _conditions.SpeedStdDevMps, _conditions.ReversionTime, seconds);
        _gustMps = OrnsteinUhlenbeck(_gustMps, 0, _conditions.GustStdDevMps, _conditions.GustTime, seconds);
        WindSpeedMps = Math.Max(0, _slowMps + _gustMps);
        AvailableKw = _conditions.Curve.PowerKw(WindSpeedMps, Spec.MaxPowerKw);

        var targetKw = setpointKw is { } sp ? Math.Clamp(sp, 0, AvailableKw) : AvailableKw;
        ActivePowerKw = Math.Clamp(RampToward(targetKw, seconds), 0, AvailableKw);
    }

    /// <summary>Exact step of dx = θ(μ − x)dt + σ dW, parameterised by its long-run standard deviation.</summary>
    private double OrnsteinUhlenbeck(double x, double mean, double stdDev, TimeSpan reversionTime, double seconds)
    {
        var decay = Math.Exp(-seconds / reversionTime.TotalSeconds);
        return mean + ((x - mean) * decay) + (stdDev * Math.Sqrt(1 - (decay * decay)) * Random.NextGaussian());
    }
}
