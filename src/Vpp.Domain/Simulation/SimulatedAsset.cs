using Vpp.Domain.Assets;
using Vpp.Domain.Validation;

namespace Vpp.Domain.Simulation;

/// <summary>
/// One step of a simulated device: how long it lasts, the UTC instant it ends (the telemetry timestamp),
/// and the setpoint the VPP last sent (kW, + export; null when it sent none).
/// </summary>
public readonly record struct SimulationStep(TimeSpan Duration, DateTimeOffset Now, double? SetpointKw = null);

/// <summary>Misbehaviour a simulated device can be given, to exercise the VPP's failure handling.</summary>
public sealed record SimulationFaults
{
    public static readonly SimulationFaults None = new();

    /// <summary>The device keeps running but sends no telemetry (a lost gateway or link).</summary>
    public bool Silent { get; init; }

    /// <summary>The device behaves as if no setpoint had been sent (it acknowledges but never acts).</summary>
    public bool IgnoresSetpoints { get; init; }

    /// <summary>Standard deviation of multiplicative noise on reported power, in percent of the true value.</summary>
    public double TelemetryNoisePercent { get; init; }
}

/// <summary>How the surroundings of simulated devices behave; defaults suit a demo in central Europe.</summary>
public sealed record SimulationSettings
{
    public static readonly SimulationSettings Default = new();

    public SolarConditions Solar { get; init; } = new();

    public WindConditions Wind { get; init; } = new();

    public FlexibleLoadBehaviour FlexibleLoad { get; init; } = new();
}

/// <summary>
/// The physics a simulated device follows. Pure and single-threaded: each call to <see cref="Step(SimulationStep)"/>
/// advances the device's physical state by one interval and returns what it would report.
/// All randomness comes from the <see cref="Random"/> given at construction, so a seed reproduces a run.
/// </summary>
public abstract class SimulatedAsset
{
    private readonly Random _noise;

    protected SimulatedAsset(AssetSpec spec, AssetKind kind, Random random)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(random);
        if (spec.Kind != kind)
        {
            throw new ArgumentException($"a simulated {kind.ToWire()} needs a {kind.ToWire()} spec, not a {spec.Kind.ToWire()}", nameof(spec));
        }

        DomainValidationException.ThrowIfAny(spec.Validate());
        Spec = spec;
        Random = random;

        // Noise draws from its own stream, so switching noise on or off does not change the physics of a seeded run.
        _noise = new Random(random.Next());
    }

    public AssetSpec Spec { get; }

    /// <summary>Faults in effect from the next step on; may be changed between steps.</summary>
    public SimulationFaults Faults { get; set; } = SimulationFaults.None;

    /// <summary>True output now (kW, + export), before any telemetry noise.</summary>
    public double ActivePowerKw { get; protected set; }

    /// <summary>What the weather allows now (solar, wind); null for kinds where it does not apply.</summary>
    public virtual double? AvailablePowerKw => null;

    /// <summary>State of charge now (battery); null for other kinds.</summary>
    public virtual double? StateOfChargePercent => null;

    protected Random Random { get; }

    /// <summary>A device of the spec's kind, with the conditions in <paramref name="settings"/>.</summary>
    public static SimulatedAsset Create(AssetSpec spec, Random random, SimulationSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        settings ??= SimulationSettings.Default;
        return spec.Kind switch
        {
            AssetKind.Battery => new SimulatedBattery(spec, random),
            AssetKind.Solar => new SimulatedSolar(spec, random, settings.Solar),
            AssetKind.Wind => new SimulatedWind(spec, random, settings.Wind),
            AssetKind.Chp => new SimulatedChp(spec, random),
            AssetKind.FlexibleLoad => new SimulatedFlexibleLoad(spec, random, settings.FlexibleLoad),
            _ => throw new ArgumentException($"no simulation for asset kind {spec.Kind}", nameof(spec)),
        };
    }

    public Telemetry? Step(TimeSpan duration, DateTimeOffset now, double? setpointKw = null) =>
        Step(new SimulationStep(duration, now, setpointKw));

    /// <summary>Advances the device by one step; returns its telemetry, or null when it is <see cref="SimulationFaults.Silent"/>.</summary>
    public Telemetry? Step(SimulationStep step)
    {
        if (step.Duration <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step.Duration, "a step must last longer than zero");
        }

        if (step.SetpointKw is { } setpointKw && !double.IsFinite(setpointKw))
        {
            throw new ArgumentOutOfRangeException(nameof(step), setpointKw, "a setpoint must be a finite number");
        }

        Advance(step.Duration.TotalSeconds, step.Now, Faults.IgnoresSetpoints ? null : step.SetpointKw);
        return Faults.Silent ? null : Measure(step.Now);
    }

    /// <summary>Advances the physical state by <paramref name="seconds"/>, ending at <paramref name="now"/>.</summary>
    protected abstract void Advance(double seconds, DateTimeOffset now, double? setpointKw);

    /// <summary>Where the output can get from <see cref="ActivePowerKw"/> towards <paramref name="targetKw"/> within the ramp rate.</summary>
    protected double RampToward(double targetKw, double seconds)
    {
        if (Spec.RampRateKwPerSecond is not { } rampKwPerSecond)
        {
            return targetKw;
        }

        var reachKw = rampKwPerSecond * seconds;
        return Math.Clamp(targetKw, ActivePowerKw - reachKw, ActivePowerKw + reachKw);
    }

    private Telemetry Measure(DateTimeOffset now)
    {
        var noise = Faults.TelemetryNoisePercent / 100;
        double Noisy(double kw) => noise > 0 ? kw * Math.Max(0, 1 + (noise * _noise.NextGaussian())) : kw;

        var availableKw = AvailablePowerKw is { } a ? Math.Max(0, Noisy(a)) : (double?)null;
        var socPercent = StateOfChargePercent is { } soc ? Math.Clamp(soc, 0, 100) : (double?)null;
        return new Telemetry(now, Noisy(ActivePowerKw), availableKw, socPercent);
    }
}

internal static class RandomExtensions
{
    /// <summary>A standard normal draw (Box–Muller).</summary>
    public static double NextGaussian(this Random random)
    {
        var u1 = 1 - random.NextDouble(); // (0, 1]: the logarithm stays finite
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    public static double NextUniform(this Random random, double min, double max) => min + ((max - min) * random.NextDouble());

    /// <summary>Uniform in log space: small sizes are as common as large ones per decade, as in real fleets.</summary>
    public static double NextLogUniform(this Random random, double min, double max) =>
        Math.Exp(random.NextUniform(Math.Log(min), Math.Log(max)));
}
