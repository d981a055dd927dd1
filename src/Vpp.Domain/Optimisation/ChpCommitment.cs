namespace Vpp.Domain.Optimisation;

/// <summary>
/// Minimum up and down times of a CHP group read from its units on per slot, with every unit off before the horizon:
/// the starts in a slot are the rise of the units on, the stops its fall. A unit started must still run
/// <see cref="ChpGroup.MinUpSlots"/> − 1 slots later (Σ starts over the last min-up slots ≤ units on), a unit stopped
/// must still be off <see cref="ChpGroup.MinDownSlots"/> − 1 slots later (Σ stops over the last min-down slots ≤ units
/// off) — the standard unit-commitment constraints, which the program imposes on its start and stop variables.
/// </summary>
public static class ChpCommitment
{
    /// <summary>Units started in the <paramref name="window"/> slots up to and including <paramref name="t"/>.</summary>
    public static int StartedWithin(int[] unitsOn, int t, int window) => Changes(unitsOn, t, window, rise: true);

    /// <summary>Units stopped in the <paramref name="window"/> slots up to and including <paramref name="t"/>.</summary>
    public static int StoppedWithin(int[] unitsOn, int t, int window) => Changes(unitsOn, t, window, rise: false);

    /// <summary>Whether the units on per slot keep the group's minimum up and down times in every slot.</summary>
    public static bool Holds(ChpGroup chp, int[] unitsOn)
    {
        for (var t = 0; t < unitsOn.Length; t++)
        {
            if (StartedWithin(unitsOn, t, chp.MinUpSlots) > unitsOn[t] || StoppedWithin(unitsOn, t, chp.MinDownSlots) > chp.AssetCount - unitsOn[t])
            {
                return false;
            }
        }

        return true;
    }

    private static int Changes(int[] unitsOn, int t, int window, bool rise)
    {
        var sum = 0;
        for (var k = Math.Max(0, t - window + 1); k <= t; k++)
        {
            var change = unitsOn[k] - (k > 0 ? unitsOn[k - 1] : 0);
            sum += rise ? Math.Max(0, change) : Math.Max(0, -change);
        }

        return sum;
    }
}
