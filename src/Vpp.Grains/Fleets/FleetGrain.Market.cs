using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Market;
using Vpp.Domain.Schedules;
using Vpp.Domain.Validation;

namespace Vpp.Grains.Fleets;

/// <summary>
/// Flexibility and bids: each partition pools its members' offers per slot in parallel, the fleet adds the
/// partitions up, takes off what is committed and (for bids) rounds down to the market's sizes.
/// </summary>
public sealed partial class FleetGrain
{
    public static readonly TimeSpan MinProductDuration = QuarterHour.Length;
    public static readonly TimeSpan MaxProductDuration = TimeSpan.FromHours(24);

    public async Task<FlexibilityView> GetFlexibilityAsync(DateTimeOffset? from, DateTimeOffset? to, TimeSpan productDuration)
    {
        var errors = new FieldErrors();
        var range = SlotRange.Parse(errors, from, to, _options.Market.MaxQuerySlots);
        if (productDuration < MinProductDuration || productDuration > MaxProductDuration)
        {
            errors.Add("durationMinutes", $"must be from {MinProductDuration.TotalMinutes} to {MaxProductDuration.TotalMinutes} minutes");
        }

        InvalidInputException.ThrowIfAny(errors.Errors);
        RequireKnown();
        var commitments = await CommitmentsAsync(range!.Value);
        var slots = Flexibility.Apply(await PoolAsync(range.Value, productDuration), productDuration, commitments);
        return new FlexibilityView(
            FleetId, productDuration, commitments.Schedule.Between(range.Value.From, range.Value.To).Count, commitments.Fcr.MaxKw(range.Value.From, range.Value.To),
            [.. slots.Select(s => new FlexibilitySlotView(
                s.Start, s.Start + QuarterHour.Length, RoundKw(s.UpKw), RoundKw(s.DownKw), RoundKw(s.UpKwh), RoundKw(s.DownKwh),
                s.AssetsCounted, s.AssetsNotCounted))]);
    }

    public async Task<BidsView> GetBidsAsync(string? product, DateTimeOffset? from, DateTimeOffset? to)
    {
        var errors = new FieldErrors();
        var market = MarketProduct.Find(errors, "product", product, _options.Market.Products());
        var range = SlotRange.Parse(errors, from, to, _options.Market.MaxQuerySlots);
        InvalidInputException.ThrowIfAny(errors.Errors);
        RequireKnown();

        BidView[] bids = [];
        if (Bids.Covering(market!, range!.Value) is { } covering)
        {
            // Whole blocks may reach beyond the query (and its length limit) by at most a block on either side.
            var flexibility = Flexibility.Apply(
                await PoolAsync(covering, market!.EnergyDuration), market.EnergyDuration, await CommitmentsAsync(covering));
            var fcrLimit = market.Symmetric ? new FcrBandLimit(FcrCapacityNow().RegisteredKw, FcrBook) : null;
            bids = [.. Bids.For(market, range.Value, flexibility, fcrLimit).Select(b => new BidView(
                b.Start, b.End, Bid.DirectionNames[(int)b.Direction], RoundKw(b.PooledKw), b.QuantityKw, b.Problem))];
        }

        return new BidsView(FleetId, market!.Name, market.MinBidKw, market.IncrementKw, bids);
    }

    /// <summary>The partitions' pooled flexibility, asked in parallel and added up.</summary>
    private async Task<IReadOnlyList<PooledSlot>> PoolAsync(SlotRange range, TimeSpan productDuration)
    {
        var parts = await Task.WhenAll(S.PartitionKeys.Select(async key =>
        {
            try
            {
                var pooled = await GrainFactory.GetGrain<IFleetPartitionGrain>(key).PoolFlexibilityAsync(range.From, range.To, productDuration);
                return pooled.Select(p => new PooledSlot(p.Start, p.UpKw, p.DownKw, p.BaselineKw, p.Counted, p.NotCounted)).ToList();
            }
            catch (Exception ex)
            {
                // What a partition cannot vouch for is not offered.
                LogPartitionFailed(FleetId, key, ex.GetBaseException().Message);
                return null;
            }
        }));

        return Flexibility.Combine(range, parts.OfType<IReadOnlyList<PooledSlot>>());
    }

    /// <summary>Longest range the schedule grain answers in one read.</summary>
    private static readonly TimeSpan ScheduleReadLimit = TimeSpan.FromDays(31);

    /// <summary>
    /// What the fleet has already committed over the range, so it is not offered twice: the scheduled slots, the FCR awards, reserved both ways in the slots of their
    /// delivery periods, the aFRR capacity sold, each in its direction, and the virtual-battery slices sold, in the slots of their windows.
    /// </summary>
    private async Task<Commitments> CommitmentsAsync(SlotRange range) =>
        new(Schedule.Of(await ScheduledSlotsAsync(range)), FcrBook, G.AfrrCapacityUpKw, G.AfrrCapacityDownKw, await SoldSlicesAsync());

    /// <summary>The fleet's stored schedule slots over the range, from its schedule grain, read in chunks it accepts.</summary>
    private async Task<IReadOnlyList<ScheduledSlot>> ScheduledSlotsAsync(SlotRange range)
    {
        var schedules = GrainFactory.GetGrain<Abstractions.Schedules.IFleetScheduleGrain>(FleetId);
        var slots = new List<ScheduledSlot>();
        for (var from = range.From; from < range.To; from += ScheduleReadLimit)
        {
            var to = from + ScheduleReadLimit < range.To ? from + ScheduleReadLimit : range.To;
            var part = await schedules.GetAsync(from, to);
            slots.AddRange(part.Slots.Select(s => new ScheduledSlot(s.Start, s.TargetKw)));
        }

        return [.. slots.DistinctBy(s => s.Start).OrderBy(s => s.Start)];
    }
}
