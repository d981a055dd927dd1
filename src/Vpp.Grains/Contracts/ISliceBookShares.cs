using Orleans.Concurrency;

namespace Vpp.Grains.Contracts;

/// <summary>The slice book's answers to its own slices (same key as the book: the fleet id).</summary>
public interface ISliceBookShares : IGrainWithStringKey
{
    /// <summary>
    /// The slice's part of what the fleet can give its slices in each of <paramref name="quarters"/> quarter hours from
    /// <paramref name="from"/>; empty when it is not booked.
    /// </summary>
    [AlwaysInterleave]
    Task<SliceRangeAhead[]> GetShareAheadAsync(string virtualBatteryId, DateTimeOffset from, int quarters);
}

/// <summary>
/// The net power slices can have in the quarter hour from <see cref="Start"/>: from the fleet, what its online batteries
/// can give all slices then (planned unavailabilities lower it); from the slice book, one slice's part of that. From the
/// fleet also the energy its online batteries can deliver to the grid and absorb from it for the slices over the
/// quarter hour (<see cref="Vpp.Domain.VirtualBatteries.SliceEnergy.Headroom"/>).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SliceRangeAhead(
    [property: Id(0)] DateTimeOffset Start,
    [property: Id(1)] double MinKw,
    [property: Id(2)] double MaxKw,
    [property: Id(3)] double DeliverableKwh = 0,
    [property: Id(4)] double AbsorbableKwh = 0);
