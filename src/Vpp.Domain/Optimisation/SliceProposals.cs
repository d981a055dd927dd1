using Vpp.Domain.Schedules;
using Vpp.Domain.VirtualBatteries;

namespace Vpp.Domain.Optimisation;

/// <summary>A virtual battery (slice) as the proposal sees it: its contract, its virtual SoC at the plan's start (its own plan until then run as if delivered) and its pool's round trip.</summary>
public sealed record SliceState(string VirtualBatteryId, VirtualBatterySpec Spec, double SocPercent, double RoundTripEfficiency);

/// <summary>
/// One quarter hour of a slice's proposal: its setpoint (kW, + delivered to the grid), its virtual SoC at the end, and
/// why the pro-rata share was cut, if it was (<see cref="UndeliverableReason"/>: window, power or soc).
/// </summary>
public sealed record SliceProposalSlot(DateTimeOffset Start, double Kw, double EndSocPercent, UndeliverableReason? Clamped);

/// <summary>A slice's 15-minute schedule within its own power, window and virtual SoC, for its trader to submit or not.</summary>
public sealed record SliceProposal(string VirtualBatteryId, string TraderId, IReadOnlyList<SliceProposalSlot> Slots)
{
    /// <summary>The proposal as the slice's own schedule slots, for <see cref="Deliverability.Check"/> and submission.</summary>
    public IReadOnlyList<ScheduledSlot> AsScheduledSlots() => [.. Slots.Select(s => new ScheduledSlot(s.Start, s.Kw))];
}

/// <summary>
/// Splits the battery groups' proposed plan over the fleet's virtual batteries: each slice's share of each slot is the
/// batteries' summed power in the slot times the slice's power over the batteries' power that way (discharge or
/// charge), so a slice of a quarter of the power gets a quarter of the plan. Each share is then cut by the slice's own
/// rule for a quarter hour (<see cref="Deliverability.Limit"/>: nothing outside its window, at most its power, no
/// more than its virtual SoC sustains for the quarter hour), and the virtual SoC moves with what is kept
/// (<see cref="VirtualSoc"/>), so every proposal passes the slice's deliverability check at submission.
/// </summary>
public static class SliceProposals
{
    public static IReadOnlyList<SliceProposal> Of(OptimisationProblem problem, ProposedSchedule schedule, IReadOnlyList<SliceState> slices)
    {
        var batteries = problem.Groups.Select((g, i) => (Group: g as BatteryGroup, Index: i)).Where(b => b.Group is not null).ToList();
        var dischargeKw = batteries.Sum(b => b.Group!.Energy.MaxDischargeKw);
        var chargeKw = batteries.Sum(b => b.Group!.Energy.MaxChargeKw);
        var planKw = schedule.Slots.Select(s => batteries.Sum(b => s.Groups[b.Index].PowerKw)).ToArray();
        return [.. slices.Select(slice =>
        {
            var store = slice.Spec.Store(slice.RoundTripEfficiency);
            var soc = slice.SocPercent;
            var slots = new List<SliceProposalSlot>(planKw.Length);
            for (var t = 0; t < planKw.Length; t++)
            {
                var wayKw = planKw[t] >= 0 ? dischargeKw : chargeKw;
                var shareKw = wayKw > 0 ? planKw[t] * slice.Spec.PowerKw / wayKw : 0;
                var start = problem.SlotStart(t);
                var (kw, reason) = Deliverability.Limit(slice.Spec, slice.RoundTripEfficiency, soc, start, shareKw);
                soc = VirtualSoc.ClampedAfter(store, soc, kw, QuarterHour.Hours);
                slots.Add(new SliceProposalSlot(start, kw, soc, reason));
            }

            return new SliceProposal(slice.VirtualBatteryId, slice.Spec.TraderId, slots);
        })];
    }
}
