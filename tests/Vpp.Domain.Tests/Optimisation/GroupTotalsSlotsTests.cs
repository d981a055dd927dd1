using Vpp.Domain.Assets;
using Vpp.Domain.Optimisation;
using static Vpp.Domain.Tests.Optimisation.OptimisationCases;

namespace Vpp.Domain.Tests.Optimisation;

/// <summary>
/// <see cref="GroupTotals.Slots"/>: a sum read over a long horizon answers for a later part of it exactly as a sum read
/// over that part, which is what lets one read of the fleet serve the SoC projection and the day after it.
/// </summary>
public sealed class GroupTotalsSlotsTests
{
    private static readonly AssetSpec Battery = new()
    {
        FleetId = "f", Kind = AssetKind.Battery, MinPowerKw = -50, MaxPowerKw = 50, EnergyCapacityKwh = 200, MarginalCostEurPerMwh = 10,
    };

    private static readonly AssetSpec Chp = new()
    {
        FleetId = "f", Kind = AssetKind.Chp, MinPowerKw = 0, MaxPowerKw = 100, MinStablePowerKw = 40, MarginalCostEurPerMwh = 50,
        MinUpTimeSeconds = 7200, MinDownTimeSeconds = 3600,
    };

    private static readonly (DateTimeOffset From, DateTimeOffset Until)[] Outage = [(Midnight.AddMinutes(50), Midnight.AddMinutes(100))];

    public static TheoryData<int, int> Parts => new() { { 0, 3 }, { 2, 6 }, { 3, 8 }, { 7, 4 }, { 11, 1 } };

    [Theory]
    [MemberData(nameof(Parts))]
    public void A_batterys_unavailable_slots_in_a_part_are_those_read_for_the_part(int skip, int take)
    {
        var whole = GroupTotals.Of(Battery, 50, null, Outage, Midnight, 12)!;
        var part = GroupTotals.Of(Battery, 50, null, Outage, Midnight.AddMinutes(15 * skip), take)!;

        Assert.Equal(part.UnavailableKw, whole.Slots(skip, take).UnavailableKw);
        Assert.Equal(part with { UnavailableKw = [] }, whole.Slots(skip, take) with { UnavailableKw = [] });
    }

    [Theory]
    [MemberData(nameof(Parts))]
    public void A_chp_units_held_slots_in_a_part_are_those_read_for_the_part(int skip, int take)
    {
        foreach (var running in new[] { true, false })
        {
            var changedAt = Midnight.AddMinutes(-20);
            var whole = GroupTotals.Of(Chp, null, null, [], Midnight, 12, running, changedAt)!;
            var part = GroupTotals.Of(Chp, null, null, [], Midnight.AddMinutes(15 * skip), take, running, changedAt)!;

            var sliced = whole.Slots(skip, take);

            Assert.Equal(part.UnitsHeldOn, sliced.UnitsHeldOn);
            Assert.Equal(part.UnitsHeldOff, sliced.UnitsHeldOff);
            Assert.Equal(part.UnitsOn, sliced.UnitsOn);
        }
    }

    [Fact]
    public void Folded_sums_slice_as_their_parts_do()
    {
        GroupTotals[] assets =
        [
            GroupTotals.Of(Battery, 40, null, Outage, Midnight, 12)!,
            GroupTotals.Of(Battery, 60, null, [], Midnight, 12)!,
        ];
        var folded = Assert.Single(GroupTotals.Fold(assets));

        Assert.Equal(
            GroupTotals.Fold(assets.Select(a => a.Slots(4, 5))).Single().UnavailableKw,
            folded.Slots(4, 5).UnavailableKw);
        // The outage 00:50–01:40 touches slots 3–6 (the quarter hour it ends in counts): slots 4–6 of the part's 4–8.
        Assert.Equal([50, 50, 50, 0, 0], folded.Slots(4, 5).UnavailableKw);
    }
}
