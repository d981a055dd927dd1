using Vpp.Domain.Assets;
using Vpp.Domain.Dispatch;
using Vpp.Domain.GridServices;
using Vpp.Domain.Optimisation;
using Vpp.Domain.Schedules;

namespace Vpp.Abstractions.Serialization;

// Vpp.Domain stays free of Orleans; these surrogates teach the Orleans serializer its types.
// Ids are part of the wire and storage format: add new ones at the end, never renumber.

[GenerateSerializer, Immutable]
public struct CapabilitySurrogate
{
    [Id(0)] public double MinKw;
    [Id(1)] public double MaxKw;
    [Id(2)] public double PreferredKw;
    [Id(3)] public double MarginalCostEurPerMwh;
    [Id(4)] public double MinStableKw;
}

[RegisterConverter]
public sealed class CapabilityConverter : IConverter<Capability, CapabilitySurrogate>
{
    public Capability ConvertFromSurrogate(in CapabilitySurrogate s) =>
        new(s.MinKw, s.MaxKw, s.PreferredKw, s.MarginalCostEurPerMwh, s.MinStableKw);

    public CapabilitySurrogate ConvertToSurrogate(in Capability c) => new()
    {
        MinKw = c.MinKw,
        MaxKw = c.MaxKw,
        PreferredKw = c.PreferredKw,
        MarginalCostEurPerMwh = c.MarginalCostEurPerMwh,
        MinStableKw = c.MinStableKw,
    };
}

[GenerateSerializer, Immutable]
public struct CostLevelSurrogate
{
    [Id(0)] public double MarginalCostEurPerMwh;
    [Id(1)] public double MinKw;
    [Id(2)] public double MaxKw;
    [Id(3)] public double PreferredKw;
}

[RegisterConverter]
public sealed class CostLevelConverter : IConverter<CostLevel, CostLevelSurrogate>
{
    public CostLevel ConvertFromSurrogate(in CostLevelSurrogate s) => new(s.MarginalCostEurPerMwh, s.MinKw, s.MaxKw, s.PreferredKw);

    public CostLevelSurrogate ConvertToSurrogate(in CostLevel l) => new()
    {
        MarginalCostEurPerMwh = l.MarginalCostEurPerMwh,
        MinKw = l.MinKw,
        MaxKw = l.MaxKw,
        PreferredKw = l.PreferredKw,
    };
}

[GenerateSerializer, Immutable]
public struct CostFractionSurrogate
{
    [Id(0)] public double MarginalCostEurPerMwh;
    [Id(1)] public double Fraction;
}

[RegisterConverter]
public sealed class CostFractionConverter : IConverter<CostFraction, CostFractionSurrogate>
{
    public CostFraction ConvertFromSurrogate(in CostFractionSurrogate s) => new(s.MarginalCostEurPerMwh, s.Fraction);

    public CostFractionSurrogate ConvertToSurrogate(in CostFraction f) => new() { MarginalCostEurPerMwh = f.MarginalCostEurPerMwh, Fraction = f.Fraction };
}

[GenerateSerializer, Immutable]
public struct DispatchPlanSurrogate
{
    [Id(0)] public int Direction;
    [Id(1)] public CostFraction[] Fractions;
}

[RegisterConverter]
public sealed class DispatchPlanConverter : IConverter<DispatchPlan, DispatchPlanSurrogate>
{
    public DispatchPlan ConvertFromSurrogate(in DispatchPlanSurrogate s) => new(s.Direction, s.Fractions ?? []);

    public DispatchPlanSurrogate ConvertToSurrogate(in DispatchPlan p) => new() { Direction = p.Direction, Fractions = [.. p.Fractions] };
}

[GenerateSerializer, Immutable]
public struct AssetSpecSurrogate
{
    [Id(0)] public string FleetId;
    [Id(1)] public AssetKind Kind;
    [Id(2)] public double MinPowerKw;
    [Id(3)] public double MaxPowerKw;
    [Id(4)] public double? RampRateKwPerSecond;
    [Id(5)] public double MarginalCostEurPerMwh;
    [Id(6)] public double? EnergyCapacityKwh;
    [Id(7)] public double? MinSocPercent;
    [Id(8)] public double? MaxSocPercent;
    [Id(9)] public double? RoundTripEfficiencyPercent;
    [Id(10)] public double? MinStablePowerKw;
    [Id(11)] public double? MinUpTimeSeconds;
    [Id(12)] public double? MinDownTimeSeconds;
    [Id(13)] public double? StartUpCostEur;
}

[RegisterConverter]
public sealed class AssetSpecConverter : IConverter<AssetSpec, AssetSpecSurrogate>
{
    public AssetSpec ConvertFromSurrogate(in AssetSpecSurrogate s) => new()
    {
        FleetId = s.FleetId,
        Kind = s.Kind,
        MinPowerKw = s.MinPowerKw,
        MaxPowerKw = s.MaxPowerKw,
        RampRateKwPerSecond = s.RampRateKwPerSecond,
        MarginalCostEurPerMwh = s.MarginalCostEurPerMwh,
        EnergyCapacityKwh = s.EnergyCapacityKwh,
        MinSocPercent = s.MinSocPercent,
        MaxSocPercent = s.MaxSocPercent,
        RoundTripEfficiencyPercent = s.RoundTripEfficiencyPercent,
        MinStablePowerKw = s.MinStablePowerKw,
        MinUpTimeSeconds = s.MinUpTimeSeconds,
        MinDownTimeSeconds = s.MinDownTimeSeconds,
        StartUpCostEur = s.StartUpCostEur,
    };

    public AssetSpecSurrogate ConvertToSurrogate(in AssetSpec a) => new()
    {
        FleetId = a.FleetId,
        Kind = a.Kind,
        MinPowerKw = a.MinPowerKw,
        MaxPowerKw = a.MaxPowerKw,
        RampRateKwPerSecond = a.RampRateKwPerSecond,
        MarginalCostEurPerMwh = a.MarginalCostEurPerMwh,
        EnergyCapacityKwh = a.EnergyCapacityKwh,
        MinSocPercent = a.MinSocPercent,
        MaxSocPercent = a.MaxSocPercent,
        RoundTripEfficiencyPercent = a.RoundTripEfficiencyPercent,
        MinStablePowerKw = a.MinStablePowerKw,
        MinUpTimeSeconds = a.MinUpTimeSeconds,
        MinDownTimeSeconds = a.MinDownTimeSeconds,
        StartUpCostEur = a.StartUpCostEur,
    };
}

[GenerateSerializer, Immutable]
public struct AssetLiveStateSurrogate
{
    [Id(0)] public AssetStatus Status;
    [Id(1)] public string? StatusReason;
    [Id(2)] public bool StatusReported;
    [Id(3)] public DateTimeOffset? LastSeen;
    [Id(4)] public double? ActivePowerKw;
    [Id(5)] public double? AvailablePowerKw;
    [Id(6)] public double? StateOfChargePercent;
    [Id(7)] public double? SetpointKw;
    [Id(8)] public DateTimeOffset? SetpointAt;
    [Id(9)] public DateTimeOffset? RunningChangedAt;
}

[RegisterConverter]
public sealed class AssetLiveStateConverter : IConverter<AssetLiveState, AssetLiveStateSurrogate>
{
    public AssetLiveState ConvertFromSurrogate(in AssetLiveStateSurrogate s) => new()
    {
        Status = s.Status,
        StatusReason = s.StatusReason,
        StatusReported = s.StatusReported,
        LastSeen = s.LastSeen,
        ActivePowerKw = s.ActivePowerKw,
        AvailablePowerKw = s.AvailablePowerKw,
        StateOfChargePercent = s.StateOfChargePercent,
        SetpointKw = s.SetpointKw,
        SetpointAt = s.SetpointAt,
        RunningChangedAt = s.RunningChangedAt,
    };

    public AssetLiveStateSurrogate ConvertToSurrogate(in AssetLiveState a) => new()
    {
        Status = a.Status,
        StatusReason = a.StatusReason,
        StatusReported = a.StatusReported,
        LastSeen = a.LastSeen,
        ActivePowerKw = a.ActivePowerKw,
        AvailablePowerKw = a.AvailablePowerKw,
        StateOfChargePercent = a.StateOfChargePercent,
        SetpointKw = a.SetpointKw,
        SetpointAt = a.SetpointAt,
        RunningChangedAt = a.RunningChangedAt,
    };
}

[GenerateSerializer, Immutable]
public struct TelemetrySurrogate
{
    [Id(0)] public DateTimeOffset? Timestamp;
    [Id(1)] public double ActivePowerKw;
    [Id(2)] public double? AvailablePowerKw;
    [Id(3)] public double? StateOfChargePercent;
}

[RegisterConverter]
public sealed class TelemetryConverter : IConverter<Telemetry, TelemetrySurrogate>
{
    public Telemetry ConvertFromSurrogate(in TelemetrySurrogate s) => new(s.Timestamp, s.ActivePowerKw, s.AvailablePowerKw, s.StateOfChargePercent);

    public TelemetrySurrogate ConvertToSurrogate(in Telemetry t) => new()
    {
        Timestamp = t.Timestamp,
        ActivePowerKw = t.ActivePowerKw,
        AvailablePowerKw = t.AvailablePowerKw,
        StateOfChargePercent = t.StateOfChargePercent,
    };
}

[GenerateSerializer, Immutable]
public struct GroupTotalsSurrogate
{
    [Id(0)] public string Key;
    [Id(1)] public AssetKind Kind;
    [Id(2)] public double MarginalCostEurPerMwh;
    [Id(3)] public int AssetCount;
    [Id(4)] public double PowerKw;
    [Id(5)] public double MinKw;
    [Id(6)] public double MaxKw;
    [Id(7)] public double? RampKwPerSecond;
    [Id(8)] public double RoundTripEfficiency;
    [Id(9)] public double CapacityKwh;
    [Id(10)] public double MinStoredKwh;
    [Id(11)] public double MaxStoredKwh;
    [Id(12)] public double StoredKwh;
    [Id(13)] public double UnitMaxKw;
    [Id(14)] public double UnitMinStableKw;
    [Id(15)] public double[] UnavailableKw;
    [Id(16)] public int UnitMinUpSlots;
    [Id(17)] public int UnitMinDownSlots;
    [Id(18)] public int UnitsOn;
    [Id(19)] public int[]? UnitsHeldOn;
    [Id(20)] public int[]? UnitsHeldOff;
    [Id(21)] public double UnitStartUpCostEur;
}

[RegisterConverter]
public sealed class GroupTotalsConverter : IConverter<GroupTotals, GroupTotalsSurrogate>
{
    public GroupTotals ConvertFromSurrogate(in GroupTotalsSurrogate s) => new(
        s.Key, s.Kind, s.MarginalCostEurPerMwh, s.AssetCount, s.PowerKw, s.MinKw, s.MaxKw, s.RampKwPerSecond, s.RoundTripEfficiency,
        s.CapacityKwh, s.MinStoredKwh, s.MaxStoredKwh, s.StoredKwh, s.UnitMaxKw, s.UnitMinStableKw, s.UnavailableKw)
    {
        UnitMinUpSlots = Math.Max(1, s.UnitMinUpSlots),
        UnitMinDownSlots = Math.Max(1, s.UnitMinDownSlots),
        UnitsOn = s.UnitsOn,
        UnitsHeldOn = s.UnitsHeldOn ?? [],
        UnitsHeldOff = s.UnitsHeldOff ?? [],
        UnitStartUpCostEur = s.UnitStartUpCostEur,
    };

    public GroupTotalsSurrogate ConvertToSurrogate(in GroupTotals g) => new()
    {
        Key = g.Key,
        Kind = g.Kind,
        MarginalCostEurPerMwh = g.MarginalCostEurPerMwh,
        AssetCount = g.AssetCount,
        PowerKw = g.PowerKw,
        MinKw = g.MinKw,
        MaxKw = g.MaxKw,
        RampKwPerSecond = g.RampKwPerSecond,
        RoundTripEfficiency = g.RoundTripEfficiency,
        CapacityKwh = g.CapacityKwh,
        MinStoredKwh = g.MinStoredKwh,
        MaxStoredKwh = g.MaxStoredKwh,
        StoredKwh = g.StoredKwh,
        UnitMaxKw = g.UnitMaxKw,
        UnitMinStableKw = g.UnitMinStableKw,
        UnavailableKw = g.UnavailableKw,
        UnitMinUpSlots = g.UnitMinUpSlots,
        UnitMinDownSlots = g.UnitMinDownSlots,
        UnitsOn = g.UnitsOn,
        UnitsHeldOn = g.UnitsHeldOn,
        UnitsHeldOff = g.UnitsHeldOff,
        UnitStartUpCostEur = g.UnitStartUpCostEur,
    };
}

[GenerateSerializer, Immutable]
public struct StoragePoolSurrogate
{
    [Id(0)] public double DeliverableKwh;
    [Id(1)] public double AbsorbableKwh;
    [Id(2)] public double RoundTripEfficiency;
    [Id(3)] public double MaxDischargeKw;
    [Id(4)] public double MaxChargeKw;
}

[RegisterConverter]
public sealed class StoragePoolConverter : IConverter<StoragePool, StoragePoolSurrogate>
{
    public StoragePool ConvertFromSurrogate(in StoragePoolSurrogate s) =>
        new(s.DeliverableKwh, s.AbsorbableKwh, s.RoundTripEfficiency, s.MaxDischargeKw, s.MaxChargeKw);

    public StoragePoolSurrogate ConvertToSurrogate(in StoragePool p) => new()
    {
        DeliverableKwh = p.DeliverableKwh,
        AbsorbableKwh = p.AbsorbableKwh,
        RoundTripEfficiency = p.RoundTripEfficiency,
        MaxDischargeKw = p.MaxDischargeKw,
        MaxChargeKw = p.MaxChargeKw,
    };
}

[GenerateSerializer, Immutable]
public struct AfrrStepSurrogate
{
    [Id(0)] public DateTimeOffset From;
    [Id(1)] public DateTimeOffset To;
    [Id(2)] public double RequestedKw;
    [Id(3)] public double DeliveredKw;
    [Id(4)] public double RequestedKwh;
    [Id(5)] public double DeliveredKwh;
    [Id(6)] public string DeliveredSource;
}

[RegisterConverter]
public sealed class AfrrStepConverter : IConverter<AfrrStep, AfrrStepSurrogate>
{
    public AfrrStep ConvertFromSurrogate(in AfrrStepSurrogate s) =>
        new(s.From, s.To, s.RequestedKw, s.DeliveredKw, s.RequestedKwh, s.DeliveredKwh, s.DeliveredSource);

    public AfrrStepSurrogate ConvertToSurrogate(in AfrrStep a) => new()
    {
        From = a.From,
        To = a.To,
        RequestedKw = a.RequestedKw,
        DeliveredKw = a.DeliveredKw,
        RequestedKwh = a.RequestedKwh,
        DeliveredKwh = a.DeliveredKwh,
        DeliveredSource = a.DeliveredSource,
    };
}

[GenerateSerializer, Immutable]
public struct BatteryAtSocSurrogate
{
    [Id(0)] public double CapacityKwh;
    [Id(1)] public double MinSocPercent;
    [Id(2)] public double MaxSocPercent;
    [Id(3)] public double ChargeEfficiency;
    [Id(4)] public double DischargeEfficiency;
    [Id(5)] public double MaxChargeKw;
    [Id(6)] public double MaxDischargeKw;
    [Id(7)] public double SocPercent;
}

[RegisterConverter]
public sealed class BatteryAtSocConverter : IConverter<BatteryAtSoc, BatteryAtSocSurrogate>
{
    public BatteryAtSoc ConvertFromSurrogate(in BatteryAtSocSurrogate s) =>
        new(new BatteryEnergy(s.CapacityKwh, s.MinSocPercent, s.MaxSocPercent, s.ChargeEfficiency, s.DischargeEfficiency, s.MaxChargeKw, s.MaxDischargeKw), s.SocPercent);

    public BatteryAtSocSurrogate ConvertToSurrogate(in BatteryAtSoc b) => new()
    {
        CapacityKwh = b.Battery.CapacityKwh,
        MinSocPercent = b.Battery.MinSocPercent,
        MaxSocPercent = b.Battery.MaxSocPercent,
        ChargeEfficiency = b.Battery.ChargeEfficiency,
        DischargeEfficiency = b.Battery.DischargeEfficiency,
        MaxChargeKw = b.Battery.MaxChargeKw,
        MaxDischargeKw = b.Battery.MaxDischargeKw,
        SocPercent = b.SocPercent,
    };
}
