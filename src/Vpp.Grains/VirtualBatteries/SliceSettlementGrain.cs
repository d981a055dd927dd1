using Orleans.Concurrency;
using Vpp.Abstractions.Errors;
using Vpp.Abstractions.VirtualBatteries;
using Vpp.Domain.Schedules;
using Vpp.Domain.Validation;
using Vpp.Grains.Contracts;

namespace Vpp.Grains.VirtualBatteries;

/// <summary>
/// Settlement of many slices across fleets: asks each fleet's book that holds a wanted slice for its rows (each book
/// settles its own slices against its fleet's measured delivery) and merges them with per-trader totals. A stateless
/// worker: it holds nothing, and each silo runs several at once.
/// </summary>
[StatelessWorker]
public sealed class SliceSettlementGrain : Grain, ISliceSettlementGrain
{
    public async Task<SliceSettlementView?> GetSettlementAsync(DateTimeOffset? from, DateTimeOffset? to, string? traderId, string[]? fleetIds)
    {
        var errors = new FieldErrors();
        var range = SlotRange.Parse(errors, from, to);
        InvalidInputException.ThrowIfAny(errors.Errors);
        var (start, end) = (range!.Value.From, range.Value.To);

        var allowed = fleetIds?.ToHashSet(StringComparer.Ordinal);
        var directory = await GrainFactory.GetGrain<IFleetDirectoryGrain>(IFleetDirectoryGrain.Key).GetFleetIdsAsync();
        var books = await Task.WhenAll(directory.Where(id => allowed is null || allowed.Contains(id))
            .Select(id => GrainFactory.GetGrain<ISliceBookGrain>(id).GetAsync()));
        // Deleted slices too: their settlement stays readable.
        var wanted = books
            .Select(b => (b.FleetId, Ids: b.Slices.Select(s => (s.VirtualBatteryId, s.Spec.TraderId))
                .Concat((b.Deleted ?? []).Select(d => (d.VirtualBatteryId, d.Spec.TraderId)))
                .Where(s => traderId is null || s.TraderId == traderId)
                .Select(s => s.VirtualBatteryId)
                .ToArray()))
            .Where(b => b.Ids.Length > 0)
            .ToList();
        if (traderId is not null && wanted.Count == 0)
        {
            return null;
        }

        var settled = await Task.WhenAll(wanted.Select(b => GrainFactory.GetGrain<ISliceBookGrain>(b.FleetId).GetSettlementAsync(start, end, b.Ids)));
        var rows = settled.SelectMany(v => v.Rows).OrderBy(r => r.Start).ThenBy(r => r.VirtualBatteryId, StringComparer.Ordinal).ToArray();
        return new SliceSettlementView(start, end, rows, SliceSettlementView.TotalsOf(rows));
    }
}
