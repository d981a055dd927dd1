namespace Vpp.Abstractions.Fleets;

/// <summary>
/// A fleet's settlement, computed away from the fleet grain (key: the fleet id): it reads the fleet's stored target
/// history and asks the partitions for their meters directly, so a large settlement never holds up the fleet's
/// dispatch or FCR. Stateless: several run at once.
/// </summary>
public interface ISettlementQueryGrain : IGrainWithStringKey
{
    /// <summary>
    /// Per 15-minute slot of [from, to): requested and delivered energy, deviation, per-asset shares and compensations.
    /// Meters are kept for <c>Vpp:SettlementRetention</c>.
    /// </summary>
    /// <exception cref="Errors.NotFoundException">No asset ever joined this fleet.</exception>
    /// <exception cref="Errors.InvalidInputException">from/to missing, to not after from, the range too long, or too many asset rows.</exception>
    Task<SettlementView> GetSettlementAsync(DateTimeOffset? from, DateTimeOffset? to);

    /// <summary>The fleet figures per slot without the per-asset list, summed in the partitions.</summary>
    /// <exception cref="Errors.NotFoundException">No asset ever joined this fleet.</exception>
    /// <exception cref="Errors.InvalidInputException">from/to missing, to not after from, or the range too long.</exception>
    Task<SettlementView> GetSettlementTotalsAsync(DateTimeOffset? from, DateTimeOffset? to);
}
