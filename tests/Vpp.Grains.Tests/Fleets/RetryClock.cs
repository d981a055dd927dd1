using Vpp.Abstractions.Fleets;

namespace Vpp.Grains.Tests.Fleets;

/// <summary>Waits for a fleet while the grains' retries (grain timers on the fake clock) get their turns.</summary>
public static class RetryClock
{
    /// <summary>
    /// Reads the fleet until <paramref name="condition"/> holds, moving the grain clock on by the retry interval with
    /// each of the first ten reads: 2 s in all, far from the 15 s after which silent assets count as offline.
    /// </summary>
    public static Task<FleetView> FleetWhileRetryingAsync(
        VppClusterFixture fixture, string fleetId, Func<FleetView, bool> condition, string what, bool advanceClock = true)
    {
        var advances = 0;
        return Eventually.Until(
            async () =>
            {
                if (advanceClock && advances++ < 10)
                {
                    fixture.Clock.Advance(VppClusterFixture.UnansweredRetryInterval);
                }

                return await fixture.Grains.GetGrain<IFleetGrain>(fleetId).GetAsync() ?? throw new Xunit.Sdk.XunitException("fleet unknown");
            },
            condition,
            what,
            TimeSpan.FromSeconds(30),
            v => v.ToString());
    }
}
