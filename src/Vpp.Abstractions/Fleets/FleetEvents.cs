using System.Text.Json.Serialization;
using Vpp.Abstractions.GridServices;

namespace Vpp.Abstractions.Fleets;

/// <summary>
/// Something that happened to a fleet: one record per kind (<see cref="Kind"/>, the wire's <c>kind</c>). A derived
/// record holds exactly the fields its kind uses; on the wire, fields that are null are left out.
/// </summary>
[GenerateSerializer, Immutable]
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(DispatchEvent), FleetEventKinds.Dispatch)]
[JsonDerivedType(typeof(ScheduleEvent), FleetEventKinds.Schedule)]
[JsonDerivedType(typeof(ReallocationEvent), FleetEventKinds.Reallocation)]
[JsonDerivedType(typeof(AssetStatusEvent), FleetEventKinds.AssetStatus)]
[JsonDerivedType(typeof(MembershipEvent), FleetEventKinds.Membership)]
[JsonDerivedType(typeof(SliceCurtailmentEvent), FleetEventKinds.SliceCurtailment)]
[JsonDerivedType(typeof(ResubscribedEvent), FleetEventKinds.Resubscribed)]
[JsonDerivedType(typeof(FcrEvent), GridServiceEventKinds.Fcr)]
[JsonDerivedType(typeof(FrequencyStaleEvent), GridServiceEventKinds.FrequencyStale)]
[JsonDerivedType(typeof(FcrShortfallEvent), GridServiceEventKinds.FcrShortfall)]
[JsonDerivedType(typeof(FcrShortfallEndedEvent), GridServiceEventKinds.FcrShortfallEnded)]
[JsonDerivedType(typeof(FcrAlertEvent), GridServiceEventKinds.FcrAlert)]
public abstract record FleetEvent(
    [property: Id(0)] long Sequence,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(3)] string Message)
{
    /// <summary>One of <see cref="FleetEventKinds"/> or <see cref="GridServiceEventKinds"/>; written as the discriminator <c>kind</c>.</summary>
    [JsonIgnore]
    public string Kind => KindName;

    protected abstract string KindName { get; }
}

/// <summary>The fleet was dispatched (a target, or the virtual batteries' net setpoint) and what its assets acknowledged.</summary>
[GenerateSerializer, Immutable]
public sealed record DispatchEvent(
    long Sequence, DateTimeOffset At, string Message,
    [property: Id(4)] string DispatchId,
    [property: Id(7)] double TargetKw,
    [property: Id(8)] double AllocatedKw,
    [property: Id(9)] double ShortfallKw) : FleetEvent(Sequence, At, Message)
{
    protected override string KindName => FleetEventKinds.Dispatch;
}

/// <summary>A schedule slot started with a new target (or the schedule ran out and the fleet returned to 0 kW).</summary>
[GenerateSerializer, Immutable]
public sealed record ScheduleEvent(
    long Sequence, DateTimeOffset At, string Message,
    [property: Id(4)] string? DispatchId,
    [property: Id(7)] double TargetKw) : FleetEvent(Sequence, At, Message)
{
    protected override string KindName => FleetEventKinds.Schedule;
}

/// <summary>
/// The standing target was dispatched again after assets changed status (or drifted): what the fleet lost, what the
/// others picked up and who picked up the largest shares.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ReallocationEvent(
    long Sequence, DateTimeOffset At, string Message,
    [property: Id(4)] string DispatchId,
    [property: Id(7)] double TargetKw,
    [property: Id(8)] double AllocatedKw,
    [property: Id(9)] double ShortfallKw,
    [property: Id(10)] double LostKw,
    [property: Id(11)] double PickedUpKw,
    [property: Id(12)] string[] AssetIds,
    [property: Id(13)] SetpointChange[]? PickedUpBy) : FleetEvent(Sequence, At, Message)
{
    protected override string KindName => FleetEventKinds.Reallocation;
}

/// <summary>
/// An asset changed status (<see cref="AssetId"/>, <see cref="Status"/>, and <see cref="LostKw"/> unless it came online),
/// or a burst of changes summed up (<see cref="LostKw"/> and the first <see cref="AssetIds"/>).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AssetStatusEvent(
    long Sequence, DateTimeOffset At, string Message,
    [property: Id(5)] string? AssetId = null,
    [property: Id(6)] string? Status = null,
    [property: Id(10)] double? LostKw = null,
    [property: Id(12)] string[]? AssetIds = null) : FleetEvent(Sequence, At, Message)
{
    protected override string KindName => FleetEventKinds.AssetStatus;
}

/// <summary>Assets joined or left the fleet (the first of them named).</summary>
[GenerateSerializer, Immutable]
public sealed record MembershipEvent(
    long Sequence, DateTimeOffset At, string Message,
    [property: Id(12)] string[] AssetIds) : FleetEvent(Sequence, At, Message)
{
    protected override string KindName => FleetEventKinds.Membership;
}

/// <summary>
/// A trader's virtual batteries get less than they ask in a slot: <see cref="Status"/> is the curtailment reason,
/// <see cref="TargetKw"/> what they asked, <see cref="AllocatedKw"/> what they were given.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SliceCurtailmentEvent(
    long Sequence, DateTimeOffset At, string Message,
    [property: Id(6)] string Status,
    [property: Id(7)] double TargetKw,
    [property: Id(8)] double AllocatedKw,
    [property: Id(9)] double ShortfallKw,
    [property: Id(14)] string TraderId,
    [property: Id(15)] string[] VirtualBatteryIds) : FleetEvent(Sequence, At, Message)
{
    protected override string KindName => FleetEventKinds.SliceCurtailment;
}

/// <summary>Never recorded by a fleet: a subscriber emits it when it had to subscribe again (<see cref="FleetEventKinds.Resubscribed"/>).</summary>
[GenerateSerializer, Immutable]
public sealed record ResubscribedEvent(long Sequence, DateTimeOffset At, string Message) : FleetEvent(Sequence, At, Message)
{
    protected override string KindName => FleetEventKinds.Resubscribed;
}

/// <summary>
/// A grid-service event of the fleet (<see cref="GridServiceEventKinds"/>) with the fleet's composed target when it
/// has one (base + FCR + aFRR + SoC management) and its last dispatch's allocation and shortfall.
/// </summary>
[GenerateSerializer, Immutable]
public abstract record GridServiceEvent(
    long Sequence, DateTimeOffset At, string Message,
    [property: Id(7)] double? TargetKw,
    [property: Id(8)] double AllocatedKw,
    [property: Id(9)] double ShortfallKw) : FleetEvent(Sequence, At, Message);

/// <summary>An FCR contract change, or an FCR response change beyond the recording threshold.</summary>
[GenerateSerializer, Immutable]
public sealed record FcrEvent(long Sequence, DateTimeOffset At, string Message, double? TargetKw, double AllocatedKw, double ShortfallKw)
    : GridServiceEvent(Sequence, At, Message, TargetKw, AllocatedKw, ShortfallKw)
{
    protected override string KindName => GridServiceEventKinds.Fcr;
}

/// <summary>The fleet's last frequency measurement grew too old to drive a response.</summary>
[GenerateSerializer, Immutable]
public sealed record FrequencyStaleEvent(long Sequence, DateTimeOffset At, string Message, double? TargetKw, double AllocatedKw, double ShortfallKw)
    : GridServiceEvent(Sequence, At, Message, TargetKw, AllocatedKw, ShortfallKw)
{
    protected override string KindName => GridServiceEventKinds.FrequencyStale;
}

/// <summary>The online assets stopped covering the FCR band due.</summary>
[GenerateSerializer, Immutable]
public sealed record FcrShortfallEvent(long Sequence, DateTimeOffset At, string Message, double? TargetKw, double AllocatedKw, double ShortfallKw)
    : GridServiceEvent(Sequence, At, Message, TargetKw, AllocatedKw, ShortfallKw)
{
    protected override string KindName => GridServiceEventKinds.FcrShortfall;
}

/// <summary>The online assets cover the FCR band due again.</summary>
[GenerateSerializer, Immutable]
public sealed record FcrShortfallEndedEvent(long Sequence, DateTimeOffset At, string Message, double? TargetKw, double AllocatedKw, double ShortfallKw)
    : GridServiceEvent(Sequence, At, Message, TargetKw, AllocatedKw, ShortfallKw)
{
    protected override string KindName => GridServiceEventKinds.FcrShortfallEnded;
}

/// <summary>The fleet's FCR batteries started or stopped being unable to hold their reserve for the activation time.</summary>
[GenerateSerializer, Immutable]
public sealed record FcrAlertEvent(long Sequence, DateTimeOffset At, string Message, double? TargetKw, double AllocatedKw, double ShortfallKw)
    : GridServiceEvent(Sequence, At, Message, TargetKw, AllocatedKw, ShortfallKw)
{
    protected override string KindName => GridServiceEventKinds.FcrAlert;
}
