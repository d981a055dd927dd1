using FsCheck.Xunit;
using Vpp.Domain.Assets;
using Vpp.Domain.Optimisation;
using Vpp.Domain.Schedules;
using Vpp.Domain.VirtualBatteries;

namespace Vpp.Domain.Tests.VirtualBatteries;

/// <summary>Properties of netting, pro-rata curtailment, the virtual SoC and the settlement split, over generated inputs.</summary>
[Properties(MaxTest = 300)]
public sealed class VirtualBatteryPropertyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 5, 0, TimeSpan.Zero);

    [Property]
    public void The_fleet_slice_component_is_the_sum_of_the_slice_setpoints(int[] requests, ushort upKw, ushort downKw)
    {
        var requestsKw = requests.Select(r => (double)(r % 5_000)).ToArray();
        var available = new PowerRange(-downKw, upKw);

        var result = SliceNetting.ProRata(requestsKw, available);

        Assert.Equal(result.SetpointsKw.Sum(), result.NetKw, 6);
        var expected = requestsKw.Sum() is var net && available.Contains(net) ? net : available.Clamp(net);
        Assert.Equal(expected, result.NetKw, 6);
        if (!result.Curtailed)
        {
            Assert.Equal(requestsKw, result.SetpointsKw);
        }
    }

    [Property]
    public void Curtailment_takes_the_same_share_of_every_request_and_never_reverses_one(int[] requests, ushort upKw, ushort downKw)
    {
        var requestsKw = requests.Select(r => (double)(r % 5_000)).ToArray();

        var result = SliceNetting.ProRata(requestsKw, new PowerRange(-downKw, upKw));

        Assert.InRange(result.CurtailedShare, 0, 1);
        for (var i = 0; i < requestsKw.Length; i++)
        {
            var (requested, setpoint) = (requestsKw[i], result.SetpointsKw[i]);
            Assert.True(Math.Abs(setpoint) <= Math.Abs(requested) + 1e-9, $"slice {i}: {setpoint} kW beyond its request {requested} kW");
            Assert.True(setpoint * requested >= 0, $"slice {i}: {setpoint} kW reverses its request {requested} kW");
            if (requested != 0)
            {
                Assert.Equal(result.CurtailedShare, (requested - setpoint) / requested, 9);
            }
        }
    }

    [Property]
    public void After_the_energy_check_the_slices_net_energy_fits_the_physical_batteries(int[] requests, ushort deliverableKwh, ushort absorbableKwh)
    {
        var setpointsKw = requests.Select(r => (double)(r % 5_000)).ToArray();

        var result = SliceEnergy.Fit(setpointsKw, deliverableKwh, absorbableKwh);

        var netKwh = result.SetpointsKw.Sum() * QuarterHour.Length.TotalHours;
        Assert.InRange(netKwh, -absorbableKwh - 1e-6, deliverableKwh + 1e-6);
        if (!result.Curtailed)
        {
            Assert.Equal(setpointsKw, result.SetpointsKw);
        }
    }

    [Property]
    public void The_energy_check_takes_the_same_share_of_every_request_in_the_binding_direction_and_none_of_the_others(
        int[] requests, ushort deliverableKwh, ushort absorbableKwh)
    {
        var setpointsKw = requests.Select(r => (double)(r % 5_000)).ToArray();

        var result = SliceEnergy.Fit(setpointsKw, deliverableKwh, absorbableKwh);

        Assert.InRange(result.CurtailedShare, 0, 1);
        for (var i = 0; i < setpointsKw.Length; i++)
        {
            var (requested, setpoint) = (setpointsKw[i], result.SetpointsKw[i]);
            if (Math.Sign(requested) == result.Direction && requested != 0)
            {
                Assert.Equal(result.CurtailedShare, (requested - setpoint) / requested, 9);
            }
            else
            {
                Assert.Equal(requested, setpoint);
            }
        }
    }

    [Property]
    public void The_energy_for_slices_in_a_slot_is_that_of_the_batteries_not_planned_out_in_it(
        byte[] socs, byte[] capacities, byte[] efficiencies, bool[] plannedOut)
    {
        var slot = QuarterHour.Floor(Now) + QuarterHour.Length;
        var count = new[] { socs.Length, capacities.Length, efficiencies.Length, plannedOut.Length, 12 }.Min();
        var batteries = Enumerable.Range(0, count).Select(i => (
            Spec: new AssetSpec
            {
                FleetId = "fleet-a", Kind = AssetKind.Battery, MinPowerKw = -50, MaxPowerKw = 100, MarginalCostEurPerMwh = i,
                EnergyCapacityKwh = 10 + capacities[i], MinSocPercent = 10, MaxSocPercent = 90, RoundTripEfficiencyPercent = 60 + (efficiencies[i] % 41),
            },
            SocPercent: 10 + (socs[i] % 81.0), // within its limits: GroupTotals holds the SoC clamped to them
            // Out from 5 min into the slot: for part of it, so for all of it.
            Outages: plannedOut[i] ? new[] { (slot + TimeSpan.FromMinutes(5), slot + TimeSpan.FromHours(1)) } : [])).ToList();
        var groups = GroupTotals.Fold(batteries.Select(b => GroupTotals.Of(b.Spec, b.SocPercent, null, b.Outages, slot, 1)!));
        StoragePool Pool(IEnumerable<(AssetSpec Spec, double SocPercent, (DateTimeOffset, DateTimeOffset)[] Outages)> of) =>
            StoragePool.Sum(of.Select(b => BatteryAtSoc.Of(b.Spec, b.SocPercent)?.Storage)) ?? StoragePool.None;

        var headroom = SliceEnergy.Headroom(Pool(batteries), SliceEnergy.Out(groups, 0), Now, slot, 0, 0, 0, 0);

        var staying = SliceEnergy.Headroom(Pool(batteries.Where(b => b.Outages.Length == 0)), (0, 0), Now, slot, 0, 0, 0, 0);
        Assert.Equal(staying.DeliverableKwh, headroom.DeliverableKwh, 6);
        Assert.Equal(staying.AbsorbableKwh, headroom.AbsorbableKwh, 6);
    }

    [Property]
    public void An_accepted_plan_keeps_the_virtual_soc_within_its_limits(
        ushort powerKw, ushort energyKwh, byte socPercent, sbyte[] slotShares, byte efficiencyPercent, bool dispatchFirst)
    {
        var spec = new VirtualBatterySpec("trader-a", "fleet-a", 1 + powerKw, 1 + energyKwh, socPercent % 101);
        var efficiency = 0.5 + ((efficiencyPercent % 51) / 100.0);
        var first = QuarterHour.Floor(Now) + QuarterHour.Length;
        var slots = slotShares.Take(40).Select((share, i) => new ScheduledSlot(first + (i * QuarterHour.Length), spec.PowerKw * share / 100.0)).ToArray();
        var standingKw = dispatchFirst && slotShares.Length > 0 ? spec.PowerKw * slotShares[0] / 128.0 : 0;
        var plan = new SlicePlan(standingKw, standingKw, slots);

        var refusal = Deliverability.Check(spec, efficiency, spec.InitialSocPercent, plan, Now, q => $"slots[{q.SlotIndex}]");

        var (soc, lowest, highest) = Simulate(spec, efficiency, plan);
        if (refusal is null)
        {
            Assert.InRange(lowest, -VirtualSoc.TolerancePercent, 100 + VirtualSoc.TolerancePercent);
            Assert.InRange(highest, -VirtualSoc.TolerancePercent, 100 + VirtualSoc.TolerancePercent);
        }
        else if (refusal.Reason == UndeliverableReason.Soc)
        {
            Assert.True(lowest < 0 || highest > 100, $"refused for SoC, but it stays within {lowest}–{highest} % (ends at {soc} %)");
        }
    }

    [Property]
    public void The_slices_delivered_shares_and_the_rest_add_up_to_the_fleets_delivery(int delivered, int other, int[] slices)
    {
        var slicesKwh = slices.Select(s => (double)(s % 10_000)).ToArray();
        var otherKwh = (double)(other % 10_000);

        var shares = SliceSettlement.DeliveredKwh(delivered % 100_000, otherKwh, slicesKwh);

        var weight = Math.Abs(otherKwh) + slicesKwh.Sum(Math.Abs);
        var otherShare = weight == 0 ? delivered % 100_000 : otherKwh + (((delivered % 100_000) - otherKwh - slicesKwh.Sum()) * Math.Abs(otherKwh) / weight);
        Assert.Equal(delivered % 100_000, shares.Sum() + otherShare, 6);
        Assert.All(shares.Zip(slicesKwh), p => Assert.True(p.Second != 0 || p.First == 0, "a slice that asked nothing was given a share"));
    }

    /// <summary>The plan as delivered: the SoC quarter by quarter, unclamped, with the lowest and highest it reaches.</summary>
    private static (double Soc, double Lowest, double Highest) Simulate(VirtualBatterySpec spec, double efficiency, SlicePlan plan)
    {
        var store = spec.Store(efficiency);
        double soc = spec.InitialSocPercent, lowest = soc, highest = soc;
        foreach (var quarter in plan.Quarters(Now))
        {
            var hours = (quarter.End - (quarter.Start > Now ? quarter.Start : Now)).TotalHours;
            soc = VirtualSoc.After(store, soc, quarter.Kw, hours);
            (lowest, highest) = (Math.Min(lowest, soc), Math.Max(highest, soc));
        }

        return (soc, lowest, highest);
    }
}
