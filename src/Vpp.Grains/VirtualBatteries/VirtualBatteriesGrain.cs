using Orleans.Concurrency;
using Vpp.Abstractions.Errors;
using Vpp.Abstractions.VirtualBatteries;
using Vpp.Domain.Schedules;
using Vpp.Domain.Validation;
using Vpp.Grains.Contracts;

namespace Vpp.Grains.VirtualBatteries;

/// <summary>
/// Every fleet's slices at once: reads the books of the fleets asked for, lists their slices, and asks each book that
/// holds a wanted slice for its settlement rows (each book settles its own slices against its fleet's measured
/// delivery), merged with per-trader totals. A stateless worker: it holds nothing, and each silo runs several at once.
/// </summary>
[StatelessWorker]
public sealed class VirtualBatteriesGrain : Grain, IVirtualBatteriesGrain
{
    public async Task<VirtualBatteryView[]> ListAsync(string? traderId, string[]? fleetIds)
    {
        if (Scope(traderId) is not { } scope)
        {
            return [];
        }

        var books = await BooksAsync(fleetIds);
        var ids = books.SelectMany(b => b.Slices).Where(s => scope.TraderId is null || s.Spec.TraderId == scope.TraderId)
            .Select(s => s.VirtualBatteryId).Order(StringComparer.Ordinal);
        var views = await Task.WhenAll(ids.Select(id => GrainFactory.GetGrain<IVirtualBatteryGrain>(id).GetAsync()));
        return [.. views.OfType<VirtualBatteryView>()];
    }

    public async Task<SliceSettlementView?> GetSettlementAsync(DateTimeOffset? from, DateTimeOffset? to, string? traderId, string[]? fleetIds)
    {
        var errors = new FieldErrors();
        var range = SlotRange.Parse(errors, from, to);
        InvalidInputException.ThrowIfAny(errors.Errors);
        var (start, end) = (range!.Value.From, range.Value.To);
        if (Scope(traderId) is not { } scope)
        {
            return null;
        }

        var books = await BooksAsync(fleetIds);
        // Deleted slices too: their settlement stays readable.
        var wanted = books
            .Select(b => (b.FleetId, Ids: b.Slices.Select(s => (s.VirtualBatteryId, s.Spec.TraderId))
                .Concat((b.Deleted ?? []).Select(d => (d.VirtualBatteryId, d.Spec.TraderId)))
                .Where(s => scope.TraderId is null || s.TraderId == scope.TraderId)
                .Select(s => s.VirtualBatteryId)
                .ToArray()))
            .Where(b => b.Ids.Length > 0)
            .ToList();
        if (scope.TraderId is not null && wanted.Count == 0)
        {
            return null;
        }

        var settled = await Task.WhenAll(wanted.Select(b => GrainFactory.GetGrain<ISliceBookGrain>(b.FleetId).GetSettlementAsync(start, end, b.Ids)));
        var rows = settled.SelectMany(v => v.Rows).OrderBy(r => r.Start).ThenBy(r => r.VirtualBatteryId, StringComparer.Ordinal).ToArray();
        return new SliceSettlementView(start, end, rows, SliceSettlementView.TotalsOf(rows));
    }

    /// <summary>
    /// The trader whose slices are asked for (null: every trader's), or no scope at all when the caller acts for one
    /// trader and asks for another's, which it may not see.
    /// </summary>
    private static Asked? Scope(string? traderId)
    {
        var caller = CallerTrader.Take();
        return caller is null ? new Asked(traderId)
            : traderId is null || traderId == caller ? new Asked(caller)
            : null;
    }

    private sealed record Asked(string? TraderId);

    private async Task<SliceBookView[]> BooksAsync(string[]? fleetIds)
    {
        var allowed = fleetIds?.ToHashSet(StringComparer.Ordinal);
        var directory = await GrainFactory.GetGrain<IFleetDirectoryGrain>(IFleetDirectoryGrain.Key).GetFleetIdsAsync();
        return await Task.WhenAll(directory.Where(id => allowed is null || allowed.Contains(id))
            .Select(id => GrainFactory.GetGrain<ISliceBookGrain>(id).GetAsync()));
    }
}
