using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.GridServices;
using Vpp.Abstractions.VirtualBatteries;
using Vpp.Domain.Market;
using Vpp.Domain.Schedules;
using Vpp.Domain.Validation;
using Vpp.Domain.VirtualBatteries;
using Vpp.Grains.Contracts;

namespace Vpp.Grains.Fleets;

/// <summary>
/// Flexibility, bids and the console's member rows, computed beside the fleet rather than in it: one cheap call takes
/// what only the fleet knows (<see cref="MarketSnapshot"/>, or its partition keys), then this grain asks the
/// partitions, the schedule and the slice book itself. A query over many partitions and days thus never holds the
/// fleet's activation while partitions answer. A stateless worker: each silo runs several at once.
/// </summary>
[StatelessWorker]
public sealed partial class FleetQueryGrain(IOptions<VppOptions> options, ILogger<FleetQueryGrain> logger)
    : Grain, IFleetQueryGrain, IFleetMemberRowsGrain
{
    public static readonly TimeSpan MinProductDuration = QuarterHour.Length;
    public static readonly TimeSpan MaxProductDuration = TimeSpan.FromHours(24);

    private readonly VppOptions _options = options.Value;

    private string FleetId => this.GetPrimaryKeyString();

    private IFleetInternal Fleet => GrainFactory.GetGrain<IFleetInternal>(FleetId);

    public async Task<FlexibilityView> GetFlexibilityAsync(DateTimeOffset? from, DateTimeOffset? to, TimeSpan productDuration)
    {
        var errors = new FieldErrors();
        var range = SlotRange.Parse(errors, from, to, _options.Market.MaxQuerySlots);
        if (productDuration < MinProductDuration || productDuration > MaxProductDuration)
        {
            errors.Add("durationMinutes", $"must be from {MinProductDuration.TotalMinutes} to {MaxProductDuration.TotalMinutes} minutes");
        }

        InvalidInputException.ThrowIfAny(errors.Errors);
        var fleet = await Fleet.GetMarketSnapshotAsync();
        var commitments = await CommitmentsAsync(fleet, range!.Value);
        var slots = Flexibility.Apply(await PoolAsync(fleet, range.Value, productDuration), productDuration, commitments);
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
        var fleet = await Fleet.GetMarketSnapshotAsync();

        BidView[] bids = [];
        if (Bids.Covering(market!, range!.Value) is { } covering)
        {
            // Whole blocks may reach beyond the query (and its length limit) by at most a block on either side.
            var flexibility = Flexibility.Apply(
                await PoolAsync(fleet, covering, market!.EnergyDuration), market.EnergyDuration, await CommitmentsAsync(fleet, covering));
            var fcrLimit = market.Symmetric ? new FcrBandLimit(fleet.FcrRegisteredKw, FcrAwardView.Book(fleet.FcrAwards)) : null;
            bids = [.. Bids.For(market, range.Value, flexibility, fcrLimit).Select(b => new BidView(
                b.Start, b.End, Bid.DirectionNames[(int)b.Direction], RoundKw(b.PooledKw), b.QuantityKw, b.Problem))];
        }

        return new BidsView(FleetId, market!.Name, market.MinBidKw, market.IncrementKw, bids);
    }

    public async Task<MemberSlice?> QueryMembersAsync(MemberQuery query)
    {
        var partitionKeys = await GrainFactory.GetGrain<IFleetPartitionListGrain>(FleetId).GetPartitionKeysAsync();
        if (partitionKeys.Length == 0)
        {
            return null;
        }

        var slices = await Task.WhenAll(partitionKeys.Select(key => GrainFactory.GetGrain<IFleetMembersGrain>(key).QueryMembersAsync(query)));
        return query.Apply(slices.SelectMany(s => s.Rows)) with { MatchCount = slices.Sum(s => s.MatchCount) };
    }

    /// <summary>The partitions' pooled flexibility, asked in parallel and added up; what a partition cannot vouch for is not offered.</summary>
    private async Task<IReadOnlyList<PooledSlot>> PoolAsync(MarketSnapshot fleet, SlotRange range, TimeSpan productDuration)
    {
        var parts = await PartitionQueries.AskAsync(
            GrainFactory, fleet.PartitionKeys,
            async p => (await p.PoolFlexibilityAsync(range.From, range.To, productDuration))
                .Select(s => new PooledSlot(s.Start, s.UpKw, s.DownKw, s.BaselineKw, s.Counted, s.NotCounted)).ToList(),
            (key, ex) => LogPartitionFailed(FleetId, key, ex.GetBaseException().Message));
        return Flexibility.Combine(range, parts.OfType<IReadOnlyList<PooledSlot>>());
    }

    /// <summary>
    /// What the fleet has already committed over the range, so it is not offered twice: the scheduled slots, the FCR awards, reserved both ways in the slots of their
    /// delivery periods, the aFRR capacity sold, each in its direction, and the virtual-battery slices sold, in the slots of their windows.
    /// </summary>
    private async Task<Commitments> CommitmentsAsync(MarketSnapshot fleet, SlotRange range) =>
        new(Schedule.Of(await ScheduleReads.SlotsAsync(GrainFactory, FleetId, range)), FcrAwardView.Book(fleet.FcrAwards),
            fleet.AfrrCapacityUpKw, fleet.AfrrCapacityDownKw, await SoldSlicesAsync(fleet));

    /// <summary>The slices sold from this fleet's batteries, from its slice book, with the online batteries they draw on and their net setpoint now.</summary>
    private async Task<SoldSlices> SoldSlicesAsync(MarketSnapshot fleet)
    {
        var sold = await GrainFactory.GetGrain<ISliceBookShares>(FleetId).GetSoldAsync();
        return sold.Length == 0
            ? SoldSlices.None
            : new SoldSlices([.. sold.Select(c => c.ToSpec())], fleet.OnlineStorage ?? StoragePool.None, fleet.SlicesKw);
    }

    private static double RoundKw(double kw) => Math.Round(kw, 3);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Flexibility of fleet {FleetId}: partition {Partition} did not answer (its members are not offered): {Error}")]
    private partial void LogPartitionFailed(string fleetId, string partition, string error);
}
