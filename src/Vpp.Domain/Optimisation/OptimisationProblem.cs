using Vpp.Domain.Assets;
using Vpp.Domain.GridServices;
using Vpp.Domain.Schedules;
using Vpp.Domain.Validation;

namespace Vpp.Domain.Optimisation;

/// <summary>
/// Assets of one kind and one marginal cost folded into one group: the optimiser gives the group one variable per
/// slot, so a 100,000-asset fleet is a model of a few hundred variables per slot. <see cref="AvailableShare"/> is the
/// share of the group's power that is available in each slot (planned unavailabilities); null means all of it.
/// <see cref="RampKwPerSecond"/> is the group's summed ramp rate; null means it can step from one slot to the next.
/// </summary>
public abstract record FleetGroup(string Name, int AssetCount, double MarginalCostEurPerMwh)
{
    public double? RampKwPerSecond { get; init; }

    public IReadOnlyList<double>? AvailableShare { get; init; }

    public abstract AssetKind Kind { get; }

    /// <summary>
    /// The net export the group can give in <paramref name="slot"/> as planned: its registered power less what planned
    /// unavailabilities take, PV and wind as forecast, loads around their forecast baseline. Energy (a battery's SoC)
    /// is not a power limit: the schedule path warns about it instead.
    /// </summary>
    public abstract PowerRange PlannedRangeAt(int slot);

    public double ShareAt(int slot) => AvailableShare is { } share && slot < share.Count ? Math.Clamp(share[slot], 0, 1) : 1;

    /// <summary>The largest change of the group's power from one slot to the next (kW); infinite without a ramp rate.</summary>
    public double RampKwPerSlot => RampKwPerSecond is { } rate ? rate * QuarterHour.Length.TotalSeconds : double.PositiveInfinity;
}

/// <summary>
/// Identical batteries as one store, modelled as <see cref="BatteryEnergy"/> models one: E(t+Δt) = E + η_c·P_ch·Δt −
/// P_dis·Δt/η_d with √ of the round-trip efficiency each way. The marginal cost is a wear cost per MWh moved (charged
/// plus discharged, at the grid).
/// </summary>
public sealed record BatteryGroup(string Name, int AssetCount, BatteryEnergy Energy, double StartSocPercent, double MarginalCostEurPerMwh = 0)
    : FleetGroup(Name, AssetCount, MarginalCostEurPerMwh)
{
    public override AssetKind Kind => AssetKind.Battery;

    public override PowerRange PlannedRangeAt(int slot) =>
        new(-Energy.MaxChargeKw * ShareAt(slot), Energy.MaxDischargeKw * ShareAt(slot));

    public double MinStoredKwh => Energy.StoredKwh(Energy.MinSocPercent);

    public double MaxStoredKwh => Energy.StoredKwh(Energy.MaxSocPercent);

    public double StartStoredKwh => Energy.StoredKwh(StartSocPercent);

    /// <summary>
    /// The SoC percentage points before each limit over which the group's power is derated (<see cref="SocDerating"/>;
    /// the silo's <see cref="EnvelopeSettings.SocDerateBandPercent"/>); 0: full power up to the limits.
    /// </summary>
    public double SocDerateBandPercent { get; init; }

    public bool HasDerating => SocDerateBandPercent > 0 && Energy.CapacityKwh > 0;

    /// <summary>The derating band in stored energy (kWh).</summary>
    public double DerateBandKwh => Energy.StoredKwh(SocDerateBandPercent);

    /// <summary>
    /// The range planned for <paramref name="slot"/> derated at <paramref name="startStoredKwh"/>, the energy the slot
    /// starts from: what the assets accept when the slot's setpoint is dispatched at its start.
    /// </summary>
    public PowerRange DeratedRangeAt(int slot, double startStoredKwh)
    {
        var range = PlannedRangeAt(slot);
        if (!HasDerating)
        {
            return range;
        }

        var (charge, discharge) = SocDerating.Factors(startStoredKwh / Energy.CapacityKwh * 100, Energy.MinSocPercent, Energy.MaxSocPercent, SocDerateBandPercent);
        return new(range.MinKw * charge, range.MaxKw * discharge);
    }

    /// <summary>
    /// Stored energy (kWh) the group must keep above min SoC and below max SoC per kW of FCR reserve, from the same rule
    /// as <see cref="FcrSocWindow.For"/>: it must deliver and absorb the reserve for the whole activation time.
    /// </summary>
    public (double BelowKwhPerKw, double AboveKwhPerKw) FcrKwhPerKw(TimeSpan activationTime)
    {
        var window = FcrSocWindow.For(Energy, 1, activationTime);
        return (Energy.StoredKwh(window.MinSocPercent) - MinStoredKwh, MaxStoredKwh - Energy.StoredKwh(window.MaxSocPercent));
    }
}

/// <summary>
/// Solar or wind parks: curtailable between 0 and what the forecast says is available in each slot (kW, summed over
/// the group). The marginal cost applies to the energy produced.
/// </summary>
public sealed record RenewableGroup(string Name, AssetKind GeneratorKind, int AssetCount, IReadOnlyList<double> AvailableKw, double MarginalCostEurPerMwh = 0)
    : FleetGroup(Name, AssetCount, MarginalCostEurPerMwh)
{
    public override AssetKind Kind => GeneratorKind;

    public override PowerRange PlannedRangeAt(int slot) => new(0, AvailableAt(slot) * ShareAt(slot));

    public double AvailableAt(int slot) => slot < AvailableKw.Count ? Math.Max(0, AvailableKw[slot]) : 0;
}

/// <summary>
/// Identical CHP units: each is off or between its min stable power and its max power, so the number of units on in
/// a slot is an integer (the only integers of the model). A unit started must run <see cref="MinUpSlots"/> slots and a
/// unit stopped stay off <see cref="MinDownSlots"/> slots (1: no constraint beyond the slot itself); each start of a
/// unit costs <see cref="StartUpCostEur"/>. Before the
/// horizon <see cref="UnitsOnBefore"/> units run; of those, <see cref="UnitsHeldOn"/> must still run and of the others
/// <see cref="UnitsHeldOff"/> must still rest in the first slots (their min up or down time not yet served).
/// </summary>
public sealed record ChpGroup(string Name, int AssetCount, double UnitMaxKw, double UnitMinStableKw, double MarginalCostEurPerMwh)
    : FleetGroup(Name, AssetCount, MarginalCostEurPerMwh)
{
    public int MinUpSlots { get; init; } = 1;

    public int MinDownSlots { get; init; } = 1;

    /// <summary>What one start of one unit costs (EUR: fuel to warm up, wear); 0: starts are free.</summary>
    public double StartUpCostEur { get; init; }

    /// <summary>Whether starting a unit costs anything: the program then counts starts.</summary>
    public bool HasStartUpCost => StartUpCostEur > 0;

    /// <summary>One unit's ramp per slot (kW): the group's summed ramp shared by its units.</summary>
    public double UnitRampKwPerSlot => AssetCount > 0 ? RampKwPerSlot / AssetCount : double.PositiveInfinity;

    /// <summary>
    /// How far the group's power may rise and fall into a slot with <paramref name="unitsOn"/> units on, of which
    /// <paramref name="starts"/> started in it, and <paramref name="stops"/> units stopped in it, by the operating
    /// envelope's CHP rule: the ramp holds inside a unit's running band only, since start-up and shut-down are the
    /// unit's own sequences. A unit running in both slots moves by its ramp; a started unit reaches its min stable power
    /// by its start-up and ramps from there; a stopped unit leaves from any power. The clustered unit-commitment ramp
    /// constraints (Palmintier and Webster, "Heterogeneous unit clustering for efficient operational flexibility
    /// modeling", IEEE Trans. Power Syst. 29(3), 2014): rise ≤ (n − s)·r + s·min(max, min stable + r) − d·min stable,
    /// fall ≤ (n − s)·r + d·max − s·min stable. Both infinite without a ramp.
    /// </summary>
    public (double UpKw, double DownKw) RampBounds(int unitsOn, int starts, int stops)
    {
        var rampKw = UnitRampKwPerSlot;
        if (!double.IsFinite(rampKw))
        {
            return (double.PositiveInfinity, double.PositiveInfinity);
        }

        var running = unitsOn - starts;
        return (
            (running * rampKw) + (starts * StartRampKw) - (stops * UnitMinStableKw),
            (running * rampKw) + (stops * UnitMaxKw) - (starts * UnitMinStableKw));
    }

    /// <summary>What a unit started in a slot can reach in it (kW): its min stable power, then its ramp, at most its max power.</summary>
    public double StartRampKw => Math.Min(UnitMaxKw, UnitMinStableKw + UnitRampKwPerSlot);

    /// <summary><see cref="RampBounds"/> into slot <paramref name="t"/> of <paramref name="unitsOn"/>, with as few starts and stops as its change of units needs.</summary>
    public (double UpKw, double DownKw) RampBoundsAt(int[] unitsOn, int t) =>
        RampBounds(unitsOn[t], ChpCommitment.StartedWithin(this, unitsOn, t, 1), ChpCommitment.StoppedWithin(this, unitsOn, t, 1));

    /// <summary>Units running before the horizon (n_(−1)); clamped to the group's units.</summary>
    public int UnitsOnBefore { get; init; }

    /// <summary><see cref="UnitsOnBefore"/> within the group's units: what the model and the checks start from.</summary>
    public int UnitsRunningBefore => Math.Clamp(UnitsOnBefore, 0, AssetCount);

    /// <summary>Per slot from the horizon's start: units running before it that must still run (min up time not served).</summary>
    public IReadOnlyList<int> UnitsHeldOn { get; init; } = [];

    /// <summary>Per slot from the horizon's start: units off before it that must still rest (min down time not served).</summary>
    public IReadOnlyList<int> UnitsHeldOff { get; init; } = [];

    public override AssetKind Kind => AssetKind.Chp;

    /// <summary>
    /// Units that must run in a slot: those held on, at most the units available in this and every earlier slot (a
    /// unit out of service stops, and then its min up time no longer holds it), so the count never rises.
    /// </summary>
    public int UnitsHeldOnAt(int slot)
    {
        var held = Math.Min(UnitsRunningBefore, slot < UnitsHeldOn.Count ? Math.Max(0, UnitsHeldOn[slot]) : 0);
        for (var t = 0; t <= slot && held > 0; t++)
        {
            held = Math.Min(held, (int)UnitsAvailableAt(t));
        }

        return held;
    }

    /// <summary>Units that must stay off in a slot: those held off, at most the units off before the horizon.</summary>
    public int UnitsHeldOffAt(int slot) =>
        Math.Min(AssetCount - UnitsRunningBefore, slot < UnitsHeldOff.Count ? Math.Max(0, UnitsHeldOff[slot]) : 0);

    /// <summary>The most units that may run in a slot: those available, less those held off.</summary>
    public int UnitsAllowedAt(int slot) => Math.Min((int)UnitsAvailableAt(slot), AssetCount - UnitsHeldOffAt(slot));

    /// <summary>Whether the group's units have a minimum up or down time longer than one slot.</summary>
    public bool HasCommitment => MinUpSlots > 1 || MinDownSlots > 1;

    /// <summary>
    /// A minimum up or down time (seconds; null: none) in whole slots, rounded up: a unit that must run 20 minutes
    /// runs two quarter hours, since the schedule switches it only at slot boundaries.
    /// </summary>
    public static int Slots(double? seconds) =>
        seconds is { } s && s > 0 ? Math.Max(1, (int)Math.Ceiling((s / QuarterHour.Length.TotalSeconds) - 1e-9)) : 1;

    /// <summary>Whole units available in a slot: a unit partly out of service cannot run.</summary>
    public double UnitsAvailableAt(int slot) => Math.Floor((AssetCount * ShareAt(slot)) + 1e-9);

    public override PowerRange PlannedRangeAt(int slot) => new(0, UnitsAvailableAt(slot) * UnitMaxKw);
}

/// <summary>
/// Flexible loads consuming their baseline unless curtailed, down to their minimum consumption (kW, positive numbers,
/// summed over the group). The marginal cost is the price of curtailing one MWh. <see cref="BaselineKwPerSlot"/> is
/// the load forecast per slot; null (or past its end) the registered <see cref="BaselineKw"/> holds.
/// </summary>
public sealed record FlexibleLoadGroup(string Name, int AssetCount, double BaselineKw, double MinConsumptionKw, double MarginalCostEurPerMwh)
    : FleetGroup(Name, AssetCount, MarginalCostEurPerMwh)
{
    public IReadOnlyList<double>? BaselineKwPerSlot { get; init; }

    public override AssetKind Kind => AssetKind.FlexibleLoad;

    /// <summary>The unavailable share consumes its baseline; the rest may be curtailed down to its minimum consumption.</summary>
    public override PowerRange PlannedRangeAt(int slot)
    {
        var baselineKw = BaselineAt(slot);
        return new(-baselineKw, -baselineKw + (ShareAt(slot) * Math.Max(0, baselineKw - MinConsumptionKw)));
    }

    public double BaselineAt(int slot) => BaselineKwPerSlot is { } baseline && slot < baseline.Count ? Math.Max(0, baseline[slot]) : BaselineKw;
}

/// <summary>
/// What the optimiser is asked: quarter-hour slots from <see cref="From"/> with a price each (EUR/MWh), the fleet's
/// groups, the FCR band it is committed to hold free in both directions per slot (kW, 0 where none), the aFRR capacity
/// it has sold per direction (kW, held free in every slot on top of the FCR band), and the SoC each battery group must
/// end at or above (percent; null: at least where it started).
/// </summary>
public sealed record OptimisationProblem
{
    /// <summary>Two days of quarter hours: the longest horizon the optimiser accepts.</summary>
    public const int MaxSlots = 2 * 24 * 4;

    public required DateTimeOffset From { get; init; }

    public required IReadOnlyList<double> PricesEurPerMwh { get; init; }

    public required IReadOnlyList<FleetGroup> Groups { get; init; }

    public IReadOnlyList<double>? FcrBandKw { get; init; }

    /// <summary>Positive aFRR capacity sold (kW): the fleet must be able to raise its output by this much in every slot.</summary>
    public double AfrrUpKw { get; init; }

    /// <summary>Negative aFRR capacity sold (kW): the fleet must be able to lower its output by this much in every slot.</summary>
    public double AfrrDownKw { get; init; }

    public TimeSpan FcrActivationTime { get; init; } = new FcrSettings().ActivationTime;

    public double? EndSocPercent { get; init; }

    /// <summary>What is optimised: <see cref="OptimisationRequestRules.Arbitrage"/> or <see cref="OptimisationRequestRules.SelfConsumption"/>.</summary>
    public string Objective { get; init; } = OptimisationRequestRules.Arbitrage;

    public bool SelfConsumption => Objective == OptimisationRequestRules.SelfConsumption;

    public int SlotCount => PricesEurPerMwh.Count;

    public DateTimeOffset SlotStart(int slot) => From + (QuarterHour.Length * slot);

    public double FcrBandAt(int slot) => FcrBandKw is { } band && slot < band.Count ? Math.Max(0, band[slot]) : 0;

    /// <summary>Whether any aFRR capacity is sold: the reserve held free is then more than the FCR band.</summary>
    public bool HasAfrr => AfrrUpKw > 0 || AfrrDownKw > 0;

    /// <summary>The power the fleet holds free upwards in a slot (kW): the FCR band plus positive aFRR capacity.</summary>
    public double ReserveUpAt(int slot) => FcrBandAt(slot) + Math.Max(0, AfrrUpKw);

    /// <summary>The power the fleet holds free downwards in a slot (kW): the FCR band plus negative aFRR capacity.</summary>
    public double ReserveDownAt(int slot) => FcrBandAt(slot) + Math.Max(0, AfrrDownKw);

    /// <summary>
    /// The stored energy a battery group must end with (kWh), within its limits: a group's limits come back from summed
    /// kWh with rounding, so an end condition at the limit (accepted by <see cref="Validate"/>) is the limit itself.
    /// </summary>
    public double EndStoredKwh(BatteryGroup group) =>
        EndSocPercent is { } percent
            ? Math.Clamp(group.Energy.StoredKwh(percent), group.MinStoredKwh, group.MaxStoredKwh)
            : group.StartStoredKwh;

    /// <summary>The FCR band per slot from the fleet's awards: the largest band contracted at any time in the slot.</summary>
    public static double[] FcrBandFrom(FcrAwardBook awards, DateTimeOffset from, int slotCount) =>
        Enumerable.Range(0, slotCount).Select(i =>
        {
            var start = from + (QuarterHour.Length * i);
            return awards.MaxKw(start, start + QuarterHour.Length);
        }).ToArray();

    public IReadOnlyList<FieldError> Validate()
    {
        var e = new FieldErrors();
        if (!QuarterHour.IsAligned(From) || From.Offset != TimeSpan.Zero)
        {
            e.Add("from", "must be a UTC instant on a quarter hour");
        }

        if (SlotCount is < 1 or > MaxSlots)
        {
            e.Add("prices", $"must cover 1 to {MaxSlots} quarter hours (at most 2 days), not {SlotCount}");
        }

        for (var i = 0; i < SlotCount; i++)
        {
            e.Finite($"prices[{i}].eurPerMwh", PricesEurPerMwh[i]);
            e.Magnitude($"prices[{i}].eurPerMwh", PricesEurPerMwh[i], 1e5);
        }

        e.Range("endSocPercent", EndSocPercent, 0, 100);
        OptimisationRequestRules.Objective(e, Objective);
        foreach (var (field, kw) in new[] { ("afrrUpKw", AfrrUpKw), ("afrrDownKw", AfrrDownKw) })
        {
            if (e.Finite(field, kw) && kw < 0)
            {
                e.Add(field, $"must not be negative (got {kw:0.###})");
            }
        }

        foreach (var battery in Groups.OfType<BatteryGroup>())
        {
            if (battery.StartSocPercent < battery.Energy.MinSocPercent - 1e-9 || battery.StartSocPercent > battery.Energy.MaxSocPercent + 1e-9)
            {
                e.Add("groups", $"battery group {battery.Name} starts at {battery.StartSocPercent:0.##} % SoC, outside its limits "
                    + $"{battery.Energy.MinSocPercent:0.##}–{battery.Energy.MaxSocPercent:0.##} %");
            }

            if (EndSocPercent is { } end && (end < battery.Energy.MinSocPercent - 1e-9 || end > battery.Energy.MaxSocPercent + 1e-9))
            {
                e.Add("endSocPercent", $"{end:0.##} % is outside battery group {battery.Name}'s SoC limits "
                    + $"{battery.Energy.MinSocPercent:0.##}–{battery.Energy.MaxSocPercent:0.##} %");
            }
        }

        return e.Errors;
    }
}
