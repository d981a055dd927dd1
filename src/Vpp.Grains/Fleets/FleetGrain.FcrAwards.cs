using Microsoft.Extensions.Logging;
using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.GridServices;
using Vpp.Domain.GridServices;
using Vpp.Domain.Market;
using Vpp.Domain.Validation;
using Vpp.Grains.GridServices;

namespace Vpp.Grains.Fleets;

/// <summary>
/// The fleet's FCR awards: each for a product block or an explicit period, due only within it (overlapping ones add
/// up). The band due now (<see cref="FleetGridServicesState.FcrContractedKw"/>) drives the response, SoC management
/// and the band check; the watch timer switches it at the periods' edges and drops awards that ended.
/// </summary>
public sealed partial class FleetGrain
{
    private bool _fcrShortfallRecorded;

    private FcrAwardBook FcrBook => FcrAwardView.Book(G.FcrAwards);

    private MarketProduct FcrProduct =>
        _options.Market.Products().FirstOrDefault(p => p.Name == MarketProduct.Fcr.Name) ?? MarketProduct.Fcr;

    public async Task<FcrView> SetFcrContractAsync(FcrAwardInput award)
    {
        ArgumentNullException.ThrowIfNull(award);
        RequireKnown();
        var now = clock.GetUtcNow();
        var errors = new FieldErrors();
        var resolved = new FcrAwardRequest(award.ContractedKw, award.Date, award.Block, award.From, award.To).Resolve(errors, now, FcrProduct);
        InvalidInputException.ThrowIfAny(errors.Errors);

        var book = FcrBook.With(resolved!, now);
        if (resolved!.ContractedKw > 0)
        {
            RequireFcrCapability(resolved, book.MaxKw(resolved.From, resolved.To));
            await RequireSlotsKeepFcrBandAsync(resolved, book);
            var sold = await SoldSlicesLedgerAsync();

            // No await between this check and storing the award: a slice admitted meanwhile is either in the ledger
            // now, or is checked against this award (AdmitSliceAsync).
            RequireSlicesKeepFcrBand(resolved, book.MaxKw(resolved.From, resolved.To), sold);
        }

        G.FcrAwards = [.. book.Awards.Select(FcrAwardView.Of)];
        var period = $"{resolved.Product ?? "period"} {resolved.From:yyyy-MM-ddTHH:mmZ}–{resolved.To:yyyy-MM-ddTHH:mmZ}";
        await ApplyFcrBandAsync(book.KwAt(now), resolved.ContractedKw > 0
            ? $"FCR award ±{resolved.ContractedKw:0.###} kW for {period}"
            : $"FCR award for {period} withdrawn");
        LogFcrAward(FleetId, resolved.ContractedKw, resolved.From, resolved.To);
        return WithSocBalance(FcrViewNow());
    }

    public async Task<FcrView> EndFcrContractsAsync()
    {
        RequireKnown();
        G.FcrAwards = [];
        await ApplyFcrBandAsync(0, "every FCR award withdrawn");
        LogFcrAward(FleetId, 0, clock.GetUtcNow(), clock.GetUtcNow());
        return WithSocBalance(FcrViewNow());
    }

    /// <summary>
    /// An award, with the awards it overlaps, must fit what the fleet's registered assets can hold both ways around its
    /// base, batteries with their energy-limited reserves (fcr.maxBandKw); assets offline now still count, since the
    /// award comes ahead of delivery.
    /// </summary>
    private void RequireFcrCapability(FcrAward award, double bandKw)
    {
        var capacity = FcrCapacityNow();
        var othersKw = bandKw - award.ContractedKw;
        InvalidInputException.ThrowIfAny([.. new FcrContract(bandKw).Validate(capacity.RegisteredPowerKw, capacity.RegisteredKw)
            .Select(e => othersKw > Domain.Dispatch.Capability.ToleranceKw
                ? e with { Message = $"{e.Message}; the award adds to ±{othersKw:0.###} kW already awarded in its period" }
                : e)]);
    }

    /// <summary>
    /// The award must leave every stored schedule slot of its period the band free (<see cref="FcrBand.CheckAwardAgainstSlots"/>),
    /// judged on the registered assets like the award itself: a conflict with what is stored (409), not bad input.
    /// </summary>
    private async Task RequireSlotsKeepFcrBandAsync(FcrAward award, FcrAwardBook book)
    {
        var slots = await ScheduledSlotsAsync(new Domain.Schedules.SlotRange(award.From, award.To));
        var errors = new FieldErrors();
        FcrBand.CheckAwardAgainstSlots(errors, "contractedKw", award, book, slots, RegisteredRange());
        if (errors.Errors is [var first, ..])
        {
            throw new ConflictException(first.Field, first.Message);
        }
    }

    /// <summary>At a period's edge: drops awards that ended and makes the band due now the one the fleet holds.</summary>
    private async Task SwitchFcrBandAsync()
    {
        var now = clock.GetUtcNow();
        var book = FcrBook;
        var current = book.EndedBefore(now);
        var dueKw = current.KwAt(now);
        if (current.Awards.Count == book.Awards.Count && Math.Abs(dueKw - G.FcrContractedKw) <= Domain.Dispatch.Capability.ToleranceKw)
        {
            return;
        }

        G.FcrAwards = [.. current.Awards.Select(FcrAwardView.Of)];
        await ApplyFcrBandAsync(dueKw, dueKw > G.FcrContractedKw ? "FCR delivery period started" : "FCR delivery period ended");
    }

    /// <summary>
    /// Holds <paramref name="dueKw"/> as the band: registers the fleet with its area when a band starts (and off when
    /// none is due), stores the awards, re-dispatches with the response and records an "fcr" event.
    /// </summary>
    private async Task ApplyFcrBandAsync(double dueKw, string why)
    {
        var previousKw = G.FcrContractedKw;
        if ((previousKw > 0) != (dueKw > 0))
        {
            // The area first: a band the area does not know would never see a measurement.
            var last = await GrainFactory.GetGrain<IGridAreaInternal>(GridOptions.Area).SetContractedAsync(FleetId, dueKw > 0);
            // Only a measurement young enough to drive a response: an old one would start the band on a stale value.
            if (last?.At is { } lastAt && FrequencyRules.IsFresh(lastAt, clock.GetUtcNow(), GridOptions.Fcr)
                && (_frequency?.At is not { } ownAt || lastAt > ownAt))
            {
                _frequency = last;
            }
        }

        G.FcrContractedKw = dueKw;
        G.FcrEverContracted |= G.FcrAwards.Count > 0;
        await gridState.WriteStateAsync();
        WatchFrequencyAge();
        await DispatchServiceTargetAsync();
        _recordedFcrResponseKw = FcrResponseKw;
        AddEvent(new FcrEvent(
            0, clock.GetUtcNow(),
            $"{why}: band due now ±{dueKw:0.###} kW (was ±{previousKw:0.###} kW); response {FcrResponseKw:0.###} kW",
            TargetKw: _composed?.EffectiveKw, AllocatedKw: S.AllocatedKw, ShortfallKw: S.ShortfallKw));
        await WriteStateAsync();
        CheckFcrShortfall();
    }

    /// <summary>
    /// One "fcr-shortfall" event when the online assets stop covering the band due (assets offline, batteries short of
    /// energy) and one "fcr-shortfall-ended" when they cover it again or no band is due.
    /// </summary>
    private void CheckFcrShortfall()
    {
        var capacity = G.FcrContractedKw > 0 ? FcrCapacityNow() : default;
        var shortfallKw = G.FcrContractedKw > 0 ? FcrReserves.ShortfallKw(G.FcrContractedKw, capacity.DeliverableKw) : 0;
        if ((shortfallKw > 0) == _fcrShortfallRecorded)
        {
            return;
        }

        _fcrShortfallRecorded = shortfallKw > 0;
        var (at, targetKw) = (clock.GetUtcNow(), _composed?.EffectiveKw);
        AddEvent(_fcrShortfallRecorded
            ? new FcrShortfallEvent(
                0, at,
                $"FCR band due ±{G.FcrContractedKw:0.###} kW, the online assets deliver ±{RoundKw(capacity.DeliverableKw):0.###} kW: short by {RoundKw(shortfallKw):0.###} kW",
                targetKw, S.AllocatedKw, S.ShortfallKw)
            : new FcrShortfallEndedEvent(0, at, $"FCR band due ±{G.FcrContractedKw:0.###} kW is covered again", targetKw, S.AllocatedKw, S.ShortfallKw));
        WriteEventsBehind();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fleet {FleetId}: FCR award ±{ContractedKw} kW for {From}–{To}")]
    private partial void LogFcrAward(string fleetId, double contractedKw, DateTimeOffset from, DateTimeOffset to);
}
