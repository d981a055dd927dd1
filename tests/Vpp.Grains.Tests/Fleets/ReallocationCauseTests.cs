using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Assets;
using Vpp.Grains.Fleets;
using Vpp.Grains.Contracts;

namespace Vpp.Grains.Tests.Fleets;

/// <summary>Why a re-dispatch ran, and the events that say which assets changed — without a cluster.</summary>
public sealed class ReallocationCauseTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Causes_gathered_between_two_redispatches_are_named_together_and_then_start_afresh()
    {
        var pending = new PendingReallocation();
        pending.Asset("bat-1", 30, T0.AddSeconds(2));
        pending.Asset("bat-2", 0, T0); // came back online
        pending.Drift(12.5);

        var causes = pending.Take();

        Assert.Equal(["bat-1", "bat-2"], causes.AssetIds);
        Assert.Equal(42.5, causes.LostKw);
        Assert.Equal(T0, causes.ChangedSince);
        Assert.False(causes.DriftOnly);
        Assert.Equal("2 asset status change(s) and 12.5 kW the assets could no longer hold", causes.Describe());
        var next = pending.Take();
        Assert.Empty(next.AssetIds);
        Assert.Equal(0, next.LostKw);
        Assert.Null(next.ChangedSince);
    }

    [Theory]
    [InlineData(true, false, false, "the fleet was reactivated (restart or failover)")]
    [InlineData(false, true, true, "partitions that had not answered were reached again")]
    [InlineData(false, false, true, "0 kW the assets could no longer hold (SoC limits, weather)")]
    public void A_redispatch_without_status_changes_names_its_cause(bool reactivated, bool recovered, bool driftOnly, string expected)
    {
        var pending = new PendingReallocation();
        if (reactivated)
        {
            pending.Reactivated();
        }

        if (recovered)
        {
            pending.PartitionsRecovered();
        }

        var causes = pending.Take();
        Assert.Equal(expected, causes.Describe());
        Assert.Equal(driftOnly, causes.DriftOnly);
    }

    [Fact]
    public void A_redispatch_for_headroom_names_what_the_assets_can_give_and_loses_nothing()
    {
        var pending = new PendingReallocation();
        pending.Headroom(60);

        var causes = pending.Take();
        Assert.Equal("60 kW more the assets can give of a target they fell short of (ramping, weather)", causes.Describe());
        Assert.Equal(0, causes.LostKw);
        Assert.True(causes.DriftOnly);
        Assert.Equal(0, pending.Take().HeadroomKw);
    }

    [Fact]
    public void A_few_status_changes_get_an_event_each_and_a_burst_gets_one_summary_naming_the_first_assets()
    {
        var few = Enumerable.Range(0, 2).Select(i => Change($"bat-{i}", AssetStatus.Offline, 10)).ToArray();
        var events = AssetChangeEvents.StatusChanges(few);
        Assert.Equal(["bat-0", "bat-1"], events.Select(e => e.AssetId));
        Assert.Equal("Asset bat-0 online → offline: gateway", events[0].Message);
        Assert.Equal(10, events[0].LostKw);

        var burst = Enumerable.Range(0, 100).Select(i => Change($"bat-{i}", i < 10 ? AssetStatus.Online : AssetStatus.Offline, 1.0001)).ToArray();
        var summary = Assert.Single(AssetChangeEvents.StatusChanges(burst));
        Assert.Equal("100 assets changed status: 10 came online, 90 went offline or into maintenance", summary.Message);
        Assert.Equal(90.009, summary.LostKw);
        Assert.Equal(AssetChangeEvents.MaxAssetsNamed, summary.AssetIds!.Length);
    }

    [Fact]
    public void Membership_changes_make_one_event_and_none_when_nothing_changed()
    {
        Assert.Null(AssetChangeEvents.Membership([], T0));
        var fleetEvent = AssetChangeEvents.Membership(
            [new MembershipChange("a", true, T0, 0), new MembershipChange("b", false, T0, 5)], T0);
        Assert.Equal("1 asset(s) joined, 1 left", fleetEvent!.Message);
        Assert.Equal(["a", "b"], fleetEvent.AssetIds!);
    }

    private static StatusChange Change(string assetId, AssetStatus to, double lostKw) =>
        new(assetId, to == AssetStatus.Online ? AssetStatus.Offline : AssetStatus.Online, to, "gateway", T0, lostKw);
}
