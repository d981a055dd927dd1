using Vpp.Domain.Optimisation;
using Vpp.Domain.VirtualBatteries;
using static Vpp.Domain.Tests.Optimisation.OptimisationCases;

namespace Vpp.Domain.Tests.Optimisation;

/// <summary>Per-slice proposals: the battery groups' plan shared by slice power, cut by each slice's own rule.</summary>
public sealed class SliceProposalsTests
{
    private const double Tolerance = 1e-4;

    /// <summary>The 100 kW battery's plan at 20 then 100 EUR/MWh: −100 kW then +81 kW (the hand-solved case).</summary>
    private static (OptimisationProblem Problem, ProposedSchedule Schedule) TwoSlotPlan()
    {
        var problem = Problem([20, 100], Battery());
        return (problem, Optimal(problem));
    }

    private static SliceState Slice(string id, double powerKw, double energyKwh, double socPercent) =>
        new(id, new VirtualBatterySpec("trader-" + id, "fleet", powerKw, energyKwh, socPercent), socPercent, 0.81);

    private static Undeliverable? Check(SliceState slice, SliceProposal proposal) =>
        Deliverability.Check(
            slice.Spec, slice.RoundTripEfficiency, slice.SocPercent, new SlicePlan(0, 0, proposal.AsScheduledSlots()),
            Midnight.AddMinutes(-15), q => $"slots[{q.SlotIndex}]");

    [Fact]
    public void Two_slices_of_different_sizes_get_their_power_share_of_the_plan_and_each_passes_its_deliverability_check()
    {
        var (problem, schedule) = TwoSlotPlan();
        SliceState[] slices = [Slice("big", 50, 40, 50), Slice("small", 20, 10, 50)];

        var proposals = SliceProposals.Of(problem, schedule, slices);

        // By hand: half and a fifth of −100 / +81 kW. The big slice stores 12.5 × 0.9 = 11.25 kWh (50 → 78.125 %) and
        // gives back 10.125 kWh; the small one stores 4.5 kWh of its 10 (50 → 95 %) and returns to 50 %.
        Assert.Equal([-50, 40.5], proposals[0].Slots.Select(s => Math.Round(s.Kw, 6)));
        Assert.Equal([-20, 16.2], proposals[1].Slots.Select(s => Math.Round(s.Kw, 6)));
        Assert.Equal(78.125, proposals[0].Slots[0].EndSocPercent, Tolerance);
        Assert.Equal(95, proposals[1].Slots[0].EndSocPercent, Tolerance);
        Assert.Equal(50, proposals[1].Slots[1].EndSocPercent, Tolerance);
        Assert.All(proposals.SelectMany(p => p.Slots), s => Assert.Null(s.Clamped));
        Assert.Equal(["trader-big", "trader-small"], proposals.Select(p => p.TraderId));
        Assert.Null(Check(slices[0], proposals[0]));
        Assert.Null(Check(slices[1], proposals[1]));
    }

    [Fact]
    public void A_slice_whose_virtual_soc_would_leave_its_limits_gets_the_power_its_soc_sustains_for_the_quarter_hour()
    {
        var (problem, schedule) = TwoSlotPlan();
        var nearlyFull = Slice("full", 50, 10, 90);

        var proposal = SliceProposals.Of(problem, schedule, [nearlyFull]).Single();

        // Its share (−50 kW, then +40.5 kW) would overfill it: 1 kWh of room takes 1 / 0.9 kWh at the grid in 15 min
        // (−4.444 kW, to 100 %); from full it can deliver 10 × 0.9 = 9 kWh in 15 min (36 kW, to 0 %).
        Assert.Equal(-1 / 0.9 / 0.25, proposal.Slots[0].Kw, Tolerance);
        Assert.Equal(36, proposal.Slots[1].Kw, Tolerance);
        Assert.Equal([100d, 0d], proposal.Slots.Select(s => Math.Round(s.EndSocPercent, 6)));
        Assert.All(proposal.Slots, s => Assert.Equal(UndeliverableReason.Soc, s.Clamped));
        Assert.Null(Check(nearlyFull, proposal));

        // The share as it was would be refused by the slice's own check: 12.5 kWh in one quarter hour is more than the
        // whole 10 kWh slice absorbs.
        var unclamped = new SliceProposal("full", "trader-full", [.. proposal.Slots.Select((s, t) => s with { Kw = t == 0 ? -50 : 40.5 })]);
        Assert.Equal(UndeliverableReason.Energy, Check(nearlyFull, unclamped)?.Reason);
    }
}
