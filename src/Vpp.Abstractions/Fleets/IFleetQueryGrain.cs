namespace Vpp.Abstractions.Fleets;

/// <summary>
/// A fleet's flexibility and bids, computed away from the fleet grain (key: the fleet id): it takes one small snapshot
/// of what only the fleet knows (its partitions, FCR awards, aFRR capacity sold, online batteries) and asks the
/// partitions, the schedule and the slice book itself, so a large query never holds up the fleet's dispatch.
/// Stateless: several run at once.
/// </summary>
public interface IFleetQueryGrain : IGrainWithStringKey
{
    /// <summary>
    /// Per 15-minute slot of [from, to) (widened to whole slots, at most <c>Vpp:Market:MaxQuerySlots</c>): the up and
    /// down power the fleet can guarantee for a product lasting <paramref name="productDuration"/>, net of what is
    /// committed. Each partition pools its members in parallel.
    /// </summary>
    /// <exception cref="Errors.NotFoundException">No asset ever joined this fleet.</exception>
    /// <exception cref="Errors.InvalidInputException">from/to missing, to not after from, the range too long, or a duration outside 15 min to 24 h.</exception>
    Task<FlexibilityView> GetFlexibilityAsync(DateTimeOffset? from, DateTimeOffset? to, TimeSpan productDuration);

    /// <summary>Bids for a product ("fcr", "afrr", "intraday") per product block touching [from, to), pooled and rounded down.</summary>
    /// <exception cref="Errors.NotFoundException">No asset ever joined this fleet.</exception>
    /// <exception cref="Errors.InvalidInputException">Unknown product, or from/to as for flexibility.</exception>
    Task<BidsView> GetBidsAsync(string? product, DateTimeOffset? from, DateTimeOffset? to);
}
