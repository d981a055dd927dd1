namespace Vpp.Domain.Optimisation;

/// <summary>
/// Minimum up and down times of a CHP group read from its units on per slot, from <see cref="ChpGroup.UnitsOnBefore"/>
/// units on before the horizon: the starts in a slot are the rise of the units on, the stops its fall. A unit started
/// must still run <see cref="ChpGroup.MinUpSlots"/> − 1 slots later and a unit held on from before the horizon as long
/// as it is held (Σ starts over the last min-up slots + units held on ≤ units on); a unit stopped must still be off
/// <see cref="ChpGroup.MinDownSlots"/> − 1 slots later and a unit held off as long as it is held (Σ stops over the last
/// min-down slots + units held off ≤ units off) — the standard unit-commitment constraints with initial conditions,
/// which the program imposes on its start and stop variables. The units held are never the units started or stopped
/// in the window: a unit held on has run since before the horizon, a unit held off has been off since before it.
/// </summary>
public static class ChpCommitment
{
    /// <summary>Units started in the <paramref name="window"/> slots up to and including <paramref name="t"/>.</summary>
    public static int StartedWithin(ChpGroup chp, int[] unitsOn, int t, int window) => Changes(chp, unitsOn, t, window, rise: true);

    /// <summary>Units stopped in the <paramref name="window"/> slots up to and including <paramref name="t"/>.</summary>
    public static int StoppedWithin(ChpGroup chp, int[] unitsOn, int t, int window) => Changes(chp, unitsOn, t, window, rise: false);

    /// <summary>Whether the units on per slot keep the group's minimum up and down times in every slot.</summary>
    public static bool Holds(ChpGroup chp, int[] unitsOn)
    {
        for (var t = 0; t < unitsOn.Length; t++)
        {
            if (StartedWithin(chp, unitsOn, t, chp.MinUpSlots) + chp.UnitsHeldOnAt(t) > unitsOn[t]
                || StoppedWithin(chp, unitsOn, t, chp.MinDownSlots) + chp.UnitsHeldOffAt(t) > chp.AssetCount - unitsOn[t])
            {
                return false;
            }
        }

        return true;
    }

    private static int Changes(ChpGroup chp, int[] unitsOn, int t, int window, bool rise)
    {
        var sum = 0;
        for (var k = Math.Max(0, t - window + 1); k <= t; k++)
        {
            var change = unitsOn[k] - (k > 0 ? unitsOn[k - 1] : chp.UnitsRunningBefore);
            sum += rise ? Math.Max(0, change) : Math.Max(0, -change);
        }

        return sum;
    }
}
