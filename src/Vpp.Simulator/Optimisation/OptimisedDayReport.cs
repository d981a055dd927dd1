using Vpp.Simulator.Gateway;

namespace Vpp.Simulator.Optimisation;

/// <summary>One slot of an optimised run: what the VPP proposed and expected, and what its settlement metered.</summary>
public sealed record OptimisedSlotResult(
    DateTimeOffset Start, double PriceEurPerMwh, double TargetKw, double ExpectedRevenueEur, double DeliveredKwh, double SettledRevenueEur, bool Complete);

/// <summary>
/// The proposal's expected revenue against the revenue of what the fleet delivered: the settlement's metered energy
/// per slot times the slot's price (Σ price × delivered energy, the proposal's own revenue formula).
/// </summary>
public sealed record OptimisedDayReport(
    DateTimeOffset From,
    DateTimeOffset To,
    double ExpectedRevenueEur,
    double ExpectedProfitEur,
    double? GreedyProfitEur,
    double SettledRevenueEur,
    IReadOnlyList<OptimisedSlotResult> Slots)
{
    public static OptimisedDayReport Of(ProposedDay proposal, IReadOnlyList<SettledSlot> settled)
    {
        var byStart = settled.ToDictionary(s => s.Start);
        var slots = proposal.Slots.Select(p =>
        {
            var metered = byStart.GetValueOrDefault(p.Start);
            var deliveredKwh = metered?.DeliveredKwh ?? 0;
            return new OptimisedSlotResult(
                p.Start, p.PriceEurPerMwh, p.TargetKw, p.RevenueEur, deliveredKwh, p.PriceEurPerMwh * deliveredKwh / 1000, metered?.Complete ?? false);
        }).ToArray();
        var from = proposal.Slots[0].Start;
        return new OptimisedDayReport(
            from, proposal.Slots[^1].Start.AddMinutes(15), proposal.RevenueEur, proposal.ProfitEur, proposal.GreedyProfitEur,
            slots.Sum(s => s.SettledRevenueEur), slots);
    }
}
