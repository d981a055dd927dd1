using Vpp.Domain.Schedules;

namespace Vpp.Domain.VirtualBatteries;

/// <summary>
/// A fleet's battery capacity as slices may use it: what its batteries are registered for (online or not — slices are
/// sold ahead of delivery, like FCR awards), and what its grid-service commitments already hold: the FCR band due
/// <see cref="At"/> (<see cref="FcrKw"/>), the FCR awards still to come (<see cref="FcrAwards"/>) and the aFRR capacity sold.
/// </summary>
public sealed record SliceCapacity(
    double RegisteredPowerKw,
    double RegisteredEnergyKwh,
    double FcrKw,
    double AfrrUpKw,
    double AfrrDownKw,
    GridServices.FcrAwardBook? FcrAwards = null,
    DateTimeOffset At = default)
{
    /// <summary>
    /// The FCR band <paramref name="slice"/> competes with: the largest due anywhere in its window from <see cref="At"/>
    /// on (awards for future periods count in the window they cover), and the band due now when its window holds now.
    /// </summary>
    public double FcrKwDuring(VirtualBatterySpec slice)
    {
        var from = slice.From is { } f && f > At ? f : At;
        var to = slice.To ?? DateTimeOffset.MaxValue;
        var dueNowKw = (slice.From ?? DateTimeOffset.MinValue) <= At && At < to ? FcrKw : 0;
        return FcrAwards is null ? FcrKw : Math.Max(dueNowKw, to > from ? FcrAwards.MaxKw(from, to) : 0);
    }
}

/// <summary>What is still free for slices: power each way and energy of store.</summary>
public readonly record struct SliceRoom(double PowerKw, double EnergyKwh);

/// <summary>
/// Why an FCR award does not fit beside the slices sold in its period: what the slices hold (<see cref="SoldPowerKw"/>,
/// <see cref="SoldEnergyKwh"/>), what is free beside them for FCR (<see cref="FreePowerKw"/>, <see cref="FreeEnergyKwh"/>)
/// and the largest award for the period that fits (<see cref="LargestAwardKw"/>).
/// </summary>
public readonly record struct FcrAwardRefusal(double SoldPowerKw, double SoldEnergyKwh, double FreePowerKw, double FreeEnergyKwh, double LargestAwardKw);

/// <summary>
/// The allocation rule: the slices whose windows overlap never sum to more power or energy than the fleet's registered
/// batteries minus the grid-service commitments and a reserve the operator keeps (Vpp:VirtualBatteries:ReservePercent).
/// A commitment holds its power, and its energy for <see cref="CommitmentEnergyDuration"/> each way: an FCR provider
/// with a limited energy reservoir must sustain full activation for 15 minutes in either direction in continental Europe
/// (SOGL, Regulation (EU) 2017/1485, Art. 156(9)–(10) and the CE TSOs' LER methodology); aFRR capacity is held the same way.
/// </summary>
public static class SliceAllocation
{
    public static readonly TimeSpan CommitmentEnergyDuration = QuarterHour.Length;

    /// <summary>Differences below this are rounding, not an overbooking.</summary>
    public const double Tolerance = 1e-6;

    /// <summary>
    /// What slices together may use: the registered batteries less the reserve and the commitments, with the FCR band
    /// <paramref name="fcrKw"/> (the one due now when not given).
    /// </summary>
    public static SliceRoom Usable(SliceCapacity capacity, double reservePercent, double? fcrKw = null)
    {
        var kept = 1 - (Math.Clamp(reservePercent, 0, 100) / 100);
        var hours = CommitmentEnergyDuration.TotalHours;
        var bandKw = fcrKw ?? capacity.FcrKw;
        var powerKw = (capacity.RegisteredPowerKw * kept) - bandKw - Math.Max(capacity.AfrrUpKw, capacity.AfrrDownKw);
        var energyKwh = (capacity.RegisteredEnergyKwh * kept) - (((2 * bandKw) + capacity.AfrrUpKw + capacity.AfrrDownKw) * hours);
        return new SliceRoom(Math.Max(0, powerKw), Math.Max(0, energyKwh));
    }

    /// <summary>
    /// What is free for <paramref name="slice"/>: the usable room in its window (less the largest FCR band awarded in it,
    /// <see cref="SliceCapacity.FcrKwDuring"/>) less every other slice whose window overlaps its own. Summing all
    /// overlapping slices is conservative when they do not overlap each other.
    /// </summary>
    public static SliceRoom Free(VirtualBatterySpec slice, IEnumerable<VirtualBatterySpec> others, SliceCapacity capacity, double reservePercent)
    {
        var usable = Usable(capacity, reservePercent, capacity.FcrKwDuring(slice));
        double powerKw = usable.PowerKw, energyKwh = usable.EnergyKwh;
        foreach (var other in others.Where(o => o.Overlaps(slice)))
        {
            powerKw -= other.PowerKw;
            energyKwh -= other.EnergyKwh;
        }

        return new SliceRoom(Math.Max(0, powerKw), Math.Max(0, energyKwh));
    }

    /// <summary>
    /// The allocation rule seen from an FCR award: in the award's period, the FCR band due (<paramref name="bandKw"/>, the
    /// largest with the awards it overlaps) plus every slice sold whose window overlaps the period must fit the usable
    /// room without any band — the band's power, and its energy for <see cref="CommitmentEnergyDuration"/> each way, as
    /// a slice counts it. Null when it fits; else what the slices hold, what is free beside them and the largest award
    /// for the period that fits.
    /// </summary>
    public static FcrAwardRefusal? AwardRefusal(
        GridServices.FcrAward award, double bandKw, IEnumerable<VirtualBatterySpec> slices, SliceCapacity capacity, double reservePercent)
    {
        var sold = slices.Where(s => s.Overlaps(award.From, award.To)).ToList();
        if (sold.Count == 0)
        {
            return null;
        }

        var usable = Usable(capacity, reservePercent, fcrKw: 0);
        var (soldPowerKw, soldEnergyKwh) = (sold.Sum(s => s.PowerKw), sold.Sum(s => s.EnergyKwh));
        var (freePowerKw, freeEnergyKwh) = (Math.Max(0, usable.PowerKw - soldPowerKw), Math.Max(0, usable.EnergyKwh - soldEnergyKwh));
        var fittingBandKw = Math.Min(freePowerKw, freeEnergyKwh / (2 * CommitmentEnergyDuration.TotalHours));
        if (bandKw <= fittingBandKw + Tolerance)
        {
            return null;
        }

        var othersKw = bandKw - award.ContractedKw;
        return new FcrAwardRefusal(soldPowerKw, soldEnergyKwh, freePowerKw, freeEnergyKwh, Math.Max(0, fittingBandKw - othersKw));
    }

    /// <summary>Null when <paramref name="slice"/> fits beside <paramref name="others"/>; else what is free for it.</summary>
    public static SliceRoom? Refusal(VirtualBatterySpec slice, IEnumerable<VirtualBatterySpec> others, SliceCapacity capacity, double reservePercent)
    {
        var free = Free(slice, others, capacity, reservePercent);
        return slice.PowerKw <= free.PowerKw + Tolerance && slice.EnergyKwh <= free.EnergyKwh + Tolerance ? null : free;
    }
}
