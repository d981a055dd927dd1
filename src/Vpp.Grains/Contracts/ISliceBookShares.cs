using Orleans.Concurrency;
using Vpp.Abstractions.VirtualBatteries;

namespace Vpp.Grains.Contracts;

/// <summary>
/// The slice book as the silo sees it (same key as the book: the fleet id): <see cref="ISliceBookGrain"/> (the SDK's
/// view) and what only its slices and the fleet's query grain call — booking, requests, release, shares, what is sold.
/// </summary>
public interface ISliceBookShares : ISliceBookGrain
{
    /// <summary>Books the slice (new or changed); <see cref="SliceOverbookedException"/> when it does not fit.</summary>
    Task<double> ReserveAsync(string virtualBatteryId, VirtualBatteryConfig config);

    /// <summary>The slice asks for <paramref name="request"/> now; answers its setpoint after netting and curtailment.</summary>
    Task<SliceSetpoint> SetRequestAsync(SliceRequest request);

    /// <summary>Takes a deleted slice out of the book and re-nets the rest; kept for settlement. Nothing when it is not booked.</summary>
    Task ReleaseAsync(string virtualBatteryId);

    /// <summary>The slices booked, as sold: what the fleet's flexibility and bids hold back (interleaves: the fleet may be answering the book).</summary>
    [AlwaysInterleave]
    Task<VirtualBatteryConfig[]> GetSoldAsync();

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
