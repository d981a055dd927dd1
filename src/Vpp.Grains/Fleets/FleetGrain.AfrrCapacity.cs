using Vpp.Abstractions.Errors;
using Vpp.Abstractions.GridServices;
using Vpp.Domain.GridServices;

namespace Vpp.Grains.Fleets;

/// <summary>aFRR capacity sold: a commitment held back from flexibility and bids (see <see cref="FleetQueryGrain"/>).</summary>
public sealed partial class FleetGrain
{
    public async Task<AfrrCapacity> SetAfrrCapacityAsync(AfrrCapacity capacity)
    {
        ArgumentNullException.ThrowIfNull(capacity);
        RequireKnown();
        var (range, preferredKw) = FleetRange();
        var baseKw = BaseKw ?? preferredKw;
        InvalidInputException.ThrowIfAny(
            new AfrrCapacityInput(capacity.UpKw, capacity.DownKw).Validate(range.MaxKw - baseKw, baseKw - range.MinKw));

        var before = (G.AfrrCapacityUpKw, G.AfrrCapacityDownKw);
        (G.AfrrCapacityUpKw, G.AfrrCapacityDownKw) = (capacity.UpKw, capacity.DownKw);
        try
        {
            await gridState.WriteStateAsync();
        }
        catch
        {
            (G.AfrrCapacityUpKw, G.AfrrCapacityDownKw) = before; // refused means unchanged
            throw;
        }

        return new AfrrCapacity(G.AfrrCapacityUpKw, G.AfrrCapacityDownKw);
    }
}
