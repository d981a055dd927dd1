using Vpp.Domain.Assets;
using Vpp.Domain.Schedules;

namespace Vpp.Domain.Optimisation;

/// <summary>
/// What the fleet can give in each quarter hour as planned, the range every schedule slot is checked against (a
/// submitted schedule and an applied proposal alike): the online assets' registered power less planned
/// unavailabilities, PV and wind as forecast, flexible loads around their forecast baseline — the bounds the
/// optimiser plans within (<see cref="FleetGroup.PlannedRangeAt"/>). A slot is judged by what can be expected then,
/// not by what the fleet can do now: a proposal charges from PV that shines only later, or uses a battery whose
/// maintenance ends first. What the weather or the assets then fail to deliver is the dispatch's to clamp and
/// report at delivery time, as it does for any drift. Beyond the planned span (more than <see cref="MaxSlots"/>
/// quarter hours ahead) a slot is judged against the registered power with PV and wind at their rated power.
/// </summary>
public sealed class PlannedRanges
{
    /// <summary>The longest span planned slot by slot: a schedule's own limit of slots in one submission.</summary>
    public const int MaxSlots = 31 * 100;

    private readonly DateTimeOffset _from;
    private readonly PowerRange[] _total;
    private readonly PowerRange[] _withoutStorage;
    private readonly PowerRange _registered;
    private readonly PowerRange _registeredWithoutStorage;

    private PlannedRanges(DateTimeOffset from, PowerRange[] total, PowerRange[] withoutStorage, PowerRange registered, PowerRange registeredWithoutStorage)
    {
        (_from, _total, _withoutStorage, _registered, _registeredWithoutStorage) = (from, total, withoutStorage, registered, registeredWithoutStorage);
    }

    /// <summary>
    /// The ranges of <paramref name="groups"/> (planned over quarter hours from <paramref name="from"/>, as
    /// <see cref="Forecasts.FleetForecasts.Groups"/> builds them) and, beyond them, of the <paramref name="totals"/> at
    /// their registered power.
    /// </summary>
    public static PlannedRanges Of(IReadOnlyList<FleetGroup> groups, IReadOnlyList<GroupTotals> totals, DateTimeOffset from, int slots)
    {
        var total = new PowerRange[slots];
        var withoutStorage = new PowerRange[slots];
        for (var t = 0; t < slots; t++)
        {
            var slot = t;
            total[t] = PowerRange.Sum(groups.Select(g => g.PlannedRangeAt(slot)));
            withoutStorage[t] = PowerRange.Sum(groups.Where(g => g is not BatteryGroup).Select(g => g.PlannedRangeAt(slot)));
        }

        return new PlannedRanges(
            QuarterHour.Floor(from), total, withoutStorage,
            PowerRange.Sum(totals.Select(Registered)), PowerRange.Sum(totals.Where(g => g.Kind != AssetKind.Battery).Select(Registered)));
    }

    /// <summary>The quarter hours to plan so that [<paramref name="from"/>, <paramref name="until"/>) is covered, at most <see cref="MaxSlots"/>.</summary>
    public static int SlotsFor(DateTimeOffset from, DateTimeOffset until) =>
        (int)Math.Clamp(Math.Ceiling((until - QuarterHour.Floor(from)) / QuarterHour.Length), 1, MaxSlots);

    /// <summary>The fleet's range in the slot starting at <paramref name="slotStart"/>.</summary>
    public PowerRange At(DateTimeOffset slotStart) => Index(slotStart) is { } t ? _total[t] : _registered;

    /// <summary>The range of the assets without an energy limit (all but batteries) in the slot starting at <paramref name="slotStart"/>.</summary>
    public PowerRange WithoutStorageAt(DateTimeOffset slotStart) => Index(slotStart) is { } t ? _withoutStorage[t] : _registeredWithoutStorage;

    private int? Index(DateTimeOffset slotStart)
    {
        var t = (long)Math.Floor((slotStart - _from) / QuarterHour.Length);
        return t >= 0 && t < _total.Length ? (int)t : null;
    }

    private static PowerRange Registered(GroupTotals g) => g.Kind switch
    {
        AssetKind.Solar or AssetKind.Wind => new PowerRange(0, g.PowerKw),
        _ => new PowerRange(g.MinKw, g.MaxKw),
    };
}
