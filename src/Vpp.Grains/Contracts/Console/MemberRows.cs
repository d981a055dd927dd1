using Orleans.Concurrency;
using Vpp.Domain.Assets;

namespace Vpp.Grains.Contracts;

/// <summary>How a fleet's asset list can be ordered; every order breaks ties by asset id so pages never overlap.</summary>
public enum MemberSort
{
    AssetId,
    Kind,
    Status,
    SetpointKw,
    MinPowerKw,
    MaxPowerKw,
    ActivePowerKw,
}

/// <summary>One member as its partition knows it: enough to filter and sort 100,000 assets without asking them.</summary>
[GenerateSerializer, Immutable]
public sealed record MemberRow(
    [property: Id(0)] string AssetId,
    [property: Id(1)] AssetKind? Kind,
    [property: Id(2)] AssetStatus Status,
    [property: Id(3)] double? SetpointKw,
    [property: Id(4)] double MinPowerKw,
    [property: Id(5)] double MaxPowerKw,
    [property: Id(6)] double? ActivePowerKw = null);

/// <summary>
/// A filter and an order over a fleet's members, and how many rows of the ordered result the asker needs
/// (<see cref="Take"/> = offset + page size): each partition answers only its first <see cref="Take"/> matches,
/// so a first page of 50 costs 50 rows per partition, not every member.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record MemberQuery(
    [property: Id(0)] AssetKind? Kind,
    [property: Id(1)] AssetStatus? Status,
    [property: Id(2)] string? IdContains,
    [property: Id(3)] MemberSort Sort,
    [property: Id(4)] bool Descending,
    [property: Id(5)] int Take)
{
    public bool Matches(MemberRow row) =>
        (Kind is null || row.Kind == Kind)
        && (Status is null || row.Status == Status)
        && (string.IsNullOrEmpty(IdContains) || row.AssetId.Contains(IdContains, StringComparison.OrdinalIgnoreCase));

    public IComparer<MemberRow> Comparer => new MemberRowComparer(Sort, Descending);

    /// <summary>Filters, orders and cuts rows to <see cref="Take"/>; the count is of all matches.</summary>
    public MemberSlice Apply(IEnumerable<MemberRow> rows)
    {
        var matches = rows.Where(Matches).ToList();
        matches.Sort(Comparer);
        return new MemberSlice(matches.Count, [.. matches.Take(Take)]);
    }
}

/// <summary>The first rows of a filtered, ordered member list and how many members matched in all.</summary>
[GenerateSerializer, Immutable]
public sealed record MemberSlice(
    [property: Id(0)] int MatchCount,
    [property: Id(1)] MemberRow[] Rows);

internal sealed class MemberRowComparer(MemberSort sort, bool descending) : IComparer<MemberRow>
{
    public int Compare(MemberRow? x, MemberRow? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }

        var byKey = sort switch
        {
            MemberSort.Kind => Nullable.Compare(x.Kind, y.Kind),
            MemberSort.Status => x.Status.CompareTo(y.Status),
            MemberSort.SetpointKw => Nullable.Compare(x.SetpointKw, y.SetpointKw),
            MemberSort.MinPowerKw => x.MinPowerKw.CompareTo(y.MinPowerKw),
            MemberSort.MaxPowerKw => x.MaxPowerKw.CompareTo(y.MaxPowerKw),
            MemberSort.ActivePowerKw => Nullable.Compare(x.ActivePowerKw, y.ActivePowerKw),
            _ => 0,
        };
        if (byKey == 0)
        {
            byKey = string.CompareOrdinal(x.AssetId, y.AssetId);
        }

        return descending ? -byKey : byKey;
    }
}
