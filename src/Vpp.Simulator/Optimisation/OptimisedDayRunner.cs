using Vpp.Domain.Schedules;
using Vpp.Simulator.Engine;
using Vpp.Simulator.Gateway;

namespace Vpp.Simulator.Optimisation;

/// <summary>
/// Runs the simulated fleet through an optimised day: waits until the VPP sees the fleet online, asks the VPP for its
/// optimised schedule over the prices from the next quarter hour on the simulator's clock, applies it — each slot's
/// fleet target dispatched at the slot's start, as the VPP's schedule would, but on the simulator's clock, so a run
/// on a fast clock follows it too — returns the fleet to 0 kW after the last slot, and compares the revenue of what
/// the VPP's settlement metered with the revenue the proposal expected.
/// </summary>
public sealed class OptimisedDayRunner(SimulationEngine engine, IAssetGateway gateway, SimulationRun run, TimeProvider clock)
{
    /// <summary>Rounds to wait for the VPP to see every registered asset online before asking for a schedule.</summary>
    public const int MaxRoundsUntilOnline = 600;

    /// <summary>How often (and how long apart, in real time) the settlement is read until every slot is metered completely.</summary>
    public const int MaxSettlementReads = 50;

    public static readonly TimeSpan SettlementReadPause = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The run. <paramref name="nextRound"/> waits for the next round (a timer on the real clock, or a fake clock
    /// advanced by a test) and answers false when the run is cancelled; <paramref name="progress"/> gets a line per event.
    /// </summary>
    /// <exception cref="GatewayRefusedException">The VPP refused the request or found no feasible schedule.</exception>
    public async Task<OptimisedDayReport?> RunAsync(
        IReadOnlyList<double> pricesEurPerMwh, double? endSocPercent, Func<CancellationToken, Task<bool>> nextRound, Action<string> progress,
        CancellationToken cancellationToken)
    {
        var registered = engine.Devices.Count(d => d.Registered);
        var snapshot = await engine.RunRoundAsync(cancellationToken);
        for (var round = 0; snapshot.FleetOnlineCount < registered; round++)
        {
            if (round >= MaxRoundsUntilOnline || !await nextRound(cancellationToken))
            {
                progress($"The VPP saw {snapshot.FleetOnlineCount}/{registered} assets online; no schedule asked for");
                return null;
            }

            snapshot = await engine.RunRoundAsync(cancellationToken);
        }

        var from = QuarterHour.Ceiling(clock.GetUtcNow());
        var proposal = await gateway.OptimiseAsync(run.FleetId, from, pricesEurPerMwh, endSocPercent, cancellationToken);
        var to = from.AddMinutes(15 * proposal.Slots.Count);
        progress($"Proposed {proposal.Slots.Count} slots from {from:yyyy-MM-dd HH:mm} UTC: expected revenue {proposal.RevenueEur:0.00} EUR, "
            + $"profit {proposal.ProfitEur:0.00} EUR (greedy baseline {proposal.GreedyProfitEur?.ToString("0.00") ?? "–"} EUR)");

        var applied = -1;
        while (true)
        {
            if (!await nextRound(cancellationToken))
            {
                return null;
            }

            var now = clock.GetUtcNow();
            var slot = now >= to ? proposal.Slots.Count : now < from ? -1 : (int)((now - from).Ticks / QuarterHour.Length.Ticks);
            if (slot > applied)
            {
                if (applied >= 0)
                {
                    var energyKwh = OutputKwh(engine.History, proposal.Slots[applied].Start, proposal.Slots[applied].Start + QuarterHour.Length);
                    progress($"  slot {applied + 1}/{proposal.Slots.Count} ended: fleet output {energyKwh:0.000} kWh "
                        + $"(target {proposal.Slots[applied].TargetKw * QuarterHour.Hours:0.000} kWh)");
                }

                applied = slot;
                var targetKw = slot < proposal.Slots.Count ? Math.Round(proposal.Slots[slot].TargetKw, 3) : 0;
                await gateway.DispatchAsync(run.FleetId, targetKw, cancellationToken);
                progress(slot < proposal.Slots.Count
                    ? $"[{now:HH:mm:ss}] slot {slot + 1}/{proposal.Slots.Count}: {proposal.Slots[slot].PriceEurPerMwh:0.00} EUR/MWh, target {targetKw:0.000} kW"
                    : $"[{now:HH:mm:ss}] the schedule ended: fleet target 0 kW");
            }

            await engine.RunRoundAsync(cancellationToken);
            if (slot >= proposal.Slots.Count)
            {
                break; // a measurement at or after the end closes the last slot's meters
            }
        }

        IReadOnlyList<SettledSlot> settled = [];
        for (var read = 0; read < MaxSettlementReads; read++)
        {
            settled = await gateway.GetSettlementAsync(run.FleetId, from, to, cancellationToken);
            if (settled.Count == proposal.Slots.Count && settled.All(s => s.Complete))
            {
                break;
            }

            // The VPP meters telemetry as its partitions receive it, in real time whatever the simulator's clock says.
            await Task.Delay(SettlementReadPause, TimeProvider.System, cancellationToken);
        }

        return OptimisedDayReport.Of(proposal, settled);
    }

    /// <summary>The simulated fleet's output energy between two instants, from the rounds (each round's power held since the one before).</summary>
    private static double OutputKwh(IReadOnlyList<RoundSnapshot> history, DateTimeOffset from, DateTimeOffset to)
    {
        double kwh = 0;
        for (var i = 1; i < history.Count; i++)
        {
            var start = history[i - 1].At < from ? from : history[i - 1].At;
            var end = history[i].At > to ? to : history[i].At;
            if (end > start)
            {
                kwh += history[i].OutputKw * (end - start).TotalHours;
            }
        }

        return kwh;
    }
}
