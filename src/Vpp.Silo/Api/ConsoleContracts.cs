using System.Text.Json.Serialization;
using Vpp.Abstractions.Assets;
using Vpp.Grains.Contracts;
using Vpp.Domain.Assets;

namespace Vpp.Silo.Api;

/// <summary>
/// The caller's key: its name (never the key itself), its roles and its fleets, so a page can hide what it may not do.
/// <see cref="Fleets"/> lists the fleets a scoped key may use and is absent for a key that may use every fleet;
/// <see cref="Trader"/> names the trader a key belongs to (absent on the operator's keys).
/// </summary>
public sealed record MeResponse(string Name, string[] Roles, string[]? Fleets, string? Trader = null);

/// <summary>One row of a fleet's asset table: the partition's view plus the asset's own live values.</summary>
public sealed record AssetRowResponse(
    string AssetId,
    string? Kind,
    string Status,
    string? StatusReason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? LastSeen,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? ActivePowerKw,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? SetpointKw,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? StateOfChargePercent,
    double MinPowerKw,
    double MaxPowerKw)
{
    /// <summary>The asset's own view wins where it has one (it is newer than its partition's last report).</summary>
    public static AssetRowResponse From(MemberRow row, AssetView? view) => view is null
        ? new(row.AssetId, row.Kind?.ToWire(), row.Status.ToWire(), null, null, null, row.SetpointKw, null, row.MinPowerKw, row.MaxPowerKw)
        : new(row.AssetId, view.Spec.Kind.ToWire(), view.Live.Status.ToWire(), view.Live.StatusReason, view.Live.LastSeen,
            view.Live.ActivePowerKw, view.Live.SetpointKw, view.Live.StateOfChargePercent, view.CapabilityNow.MinKw, view.CapabilityNow.MaxKw);
}

/// <summary>One page of a fleet's assets; <see cref="MatchCount"/> counts every asset the filter matched.</summary>
public sealed record AssetPageResponse(
    string FleetId,
    int Page,
    int PageSize,
    int MatchCount,
    int PageCount,
    string Sort,
    bool Desc,
    AssetRowResponse[] Items);
