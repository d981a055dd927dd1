namespace Vpp.Domain.Assets;

/// <summary>What the VPP last heard from an asset and last told it. Unknown values stay null, never zero.</summary>
public sealed record AssetLiveState
{
    public AssetStatus Status { get; init; } = AssetStatus.Offline;

    /// <summary>Why the status is what it is: "registered, no telemetry yet", "silent for 15 s", an owner's reason.</summary>
    public string? StatusReason { get; init; } = "no telemetry yet";

    /// <summary>True when the asset itself or an operator set the status; telemetry does not override a reported status.</summary>
    public bool StatusReported { get; init; }

    public DateTimeOffset? LastSeen { get; init; }
    public double? ActivePowerKw { get; init; }
    public double? AvailablePowerKw { get; init; }
    public double? StateOfChargePercent { get; init; }
    public double? SetpointKw { get; init; }
    public DateTimeOffset? SetpointAt { get; init; }

    /// <summary>When a CHP plant last started or stopped (from accepted setpoints), for min up/down times.</summary>
    public DateTimeOffset? RunningChangedAt { get; init; }
}

/// <summary>A measurement from the asset (or its gateway).</summary>
public sealed record Telemetry(
    DateTimeOffset? Timestamp,
    double ActivePowerKw,
    double? AvailablePowerKw = null,
    double? StateOfChargePercent = null)
{
    /// <summary>
    /// How far ahead of the VPP's clock a timestamp may be before it is refused as a clock error (configurable as
    /// Vpp:MaxClockSkew). Small on purpose: a sample from the future would make every correct sample after it look
    /// out of order, and keep the silence watchdog from seeing a gateway that stopped reporting.
    /// </summary>
    public static readonly TimeSpan DefaultMaxClockSkew = TimeSpan.FromSeconds(5);

    public IReadOnlyList<Validation.FieldError> Validate(AssetSpec? spec, DateTimeOffset now, TimeSpan? maxClockSkew = null)
    {
        var skew = maxClockSkew ?? DefaultMaxClockSkew;
        var e = new Validation.FieldErrors();
        e.Finite("activePowerKw", ActivePowerKw);
        e.Magnitude("activePowerKw", ActivePowerKw, AssetSpec.MaxAbsPowerKw);
        e.NotNegative("availablePowerKw", AvailablePowerKw);
        e.Magnitude("availablePowerKw", AvailablePowerKw, AssetSpec.MaxAbsPowerKw);
        e.Range("stateOfChargePercent", StateOfChargePercent, 0, 100);
        if (Timestamp is { } ts && ts > now + skew)
        {
            e.Add("timestamp", $"is more than {skew.TotalSeconds:0.###} s ahead of the VPP's clock ({ts:O}); check the sender's clock");
        }

        if (spec is not null && spec.Kind != AssetKind.Battery && StateOfChargePercent is not null)
        {
            e.NotApplicable("stateOfChargePercent", StateOfChargePercent, spec.Kind.ToWire());
        }

        return e.Errors;
    }
}
