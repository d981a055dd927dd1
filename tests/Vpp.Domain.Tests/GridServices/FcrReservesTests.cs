using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Vpp.Domain.GridServices;

namespace Vpp.Domain.Tests.GridServices;

public sealed class FcrReservesTests
{
    [Fact]
    public void Response_is_split_pro_rata_to_the_reserves()
    {
        var participants = new FcrParticipant[] { new(100, 0, -100, 100), new(300, 0, -300, 300) };
        var split = FcrReserves.Split(participants, 200);
        Assert.Equal([50, 150], split.DeltasKw);
        Assert.Equal(0, split.UnallocatedKw);
    }

    [Fact]
    public void An_asset_that_cannot_move_its_share_is_covered_by_the_others()
    {
        // The first asset already exports 90 of its 100 kW: only 10 kW of room up. The rest goes to the second.
        var participants = new FcrParticipant[] { new(100, 90, -100, 100), new(100, 0, -300, 300) };
        var split = FcrReserves.Split(participants, 150);
        Assert.Equal(10, split.DeltasKw[0], 9);
        Assert.Equal(140, split.DeltasKw[1], 9);
    }

    [Fact]
    public void Assets_without_reserve_help_only_when_the_reserve_holders_are_exhausted()
    {
        var participants = new FcrParticipant[] { new(50, 0, -50, 50), new(0, 0, -500, 500) };
        Assert.Equal([-40, 0], FcrReserves.Split(participants, -40).DeltasKw);
        Assert.Equal([-50, -30], FcrReserves.Split(participants, -80).DeltasKw);
    }

    [Fact]
    public void What_no_asset_can_take_is_reported_as_unallocated()
    {
        var participants = new FcrParticipant[] { new(100, 0, -100, 100), new(100, 50, -100, 100) };
        var split = FcrReserves.Split(participants, 300);
        Assert.Equal([100, 50], split.DeltasKw);
        Assert.Equal(150, split.UnallocatedKw, 9);
    }

    [Fact]
    public void Reserves_are_assigned_pro_rata_to_what_each_asset_can_hold()
    {
        var assignment = FcrReserves.Assign(1000, [500, 1500, 0]);
        Assert.Equal([250, 750, 0], assignment.ReservesKw);
        Assert.Equal(0, assignment.ShortfallKw);

        var tooBig = FcrReserves.Assign(3000, [500, 1500]);
        Assert.Equal([500, 1500], tooBig.ReservesKw);
        Assert.Equal(1000, tooBig.ShortfallKw, 9);
    }

    [Fact]
    public void A_symmetric_room_is_the_smaller_side()
    {
        Assert.Equal(20, new FcrParticipant(0, 80, -100, 100).SymmetricRoomKw);
        Assert.Equal(0, new FcrParticipant(0, 0, 0, 100).SymmetricRoomKw);
    }

    private static Gen<FcrParticipant> Participant =>
        from reserve in Gen.Choose(0, 500)
        from low in Gen.Choose(0, 1000)
        from high in Gen.Choose(0, 1000)
        from baseKw in Gen.Choose(-low, high)
        select new FcrParticipant(reserve, baseKw, -low, high);

    [Property(MaxTest = 300)]
    public Property Split_places_as_much_as_the_pool_can_and_keeps_each_asset_in_range() =>
        Prop.ForAll(Gen.ListOf(Participant).Select(l => l.ToArray()).ToArbitrary(), Gen.Choose(-20_000, 20_000).ToArbitrary(), (assets, response) =>
        {
            var split = FcrReserves.Split(assets, response);
            var reachable = Math.Clamp(response, -assets.Sum(a => a.RoomDownKw), assets.Sum(a => a.RoomUpKw));
            var inRange = assets.Select((a, i) => split.DeltasKw[i] <= a.RoomUpKw + 1e-6 && split.DeltasKw[i] >= -a.RoomDownKw - 1e-6).All(ok => ok);
            var sameSign = split.DeltasKw.All(d => d == 0 || Math.Sign(d) == Math.Sign(response));
            return (Math.Abs(split.AllocatedKw - reachable) < 1e-3).Label($"allocated {split.AllocatedKw} vs {reachable}")
                .And(inRange).Label("in range")
                .And(sameSign).Label("same sign");
        });
}
