using System.Diagnostics;
using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.Schedules;
using Vpp.Abstractions.VirtualBatteries;
using Vpp.Domain.Schedules;

namespace Vpp.Benchmarks;

/// <summary>
/// Virtual batteries (issue 15 §5): M slices on a fleet of N batteries, every slice scheduled to change at each quarter
/// hour. Measured per slot: from the grain clock reaching the quarter hour until the fleet's base target is the new net
/// with every asset's setpoint acknowledged and every slice holds its new setpoint — the slice book's whole path (ask
/// every slice, net, one fleet dispatch, tell every slice). Beside it, interleaved in the same run, a fleet-level
/// dispatch changing the base target by the same amount (the time of its call, which returns once acknowledged).
/// </summary>
public static class SliceSlotChange
{
    public const string FleetLevel = "fleet-level dispatch";
    public const string Slices = "slices slot change";

    /// <summary>Share of what the fleet lets slices have that the benchmark's slices take.</summary>
    private const double SoldShare = 0.8;

    public static async Task<ScenarioResult> RunAsync(int assets, int slices, BenchOptions options, StorageStats storage)
    {
        var result = new ScenarioResult { Assets = assets, Partitions = new Vpp.Grains.VppOptions().PartitionsPerFleet };
        Console.WriteLine();
        Console.WriteLine($"=== {slices:N0} virtual batteries on {assets:N0} assets === (load average {MachineLoad.LoadAverage()})");
        if (options.QuietWaitSeconds > 0)
        {
            result.OtherCoresBefore = await MachineLoad.WaitForQuietAsync(TimeSpan.FromSeconds(options.QuietWaitSeconds));
        }

        var clock = new SteppedClock(QuarterHour.Floor(DateTimeOffset.UtcNow) + TimeSpan.FromMinutes(1));
        await using var silo = await BenchSilo.StartAsync(null, options, clock);
        Console.WriteLine($"  silo up; grain clock stepped by the run, boundary re-check every {SteppedClock.RecheckInterval.TotalMilliseconds} ms");
        var grains = silo.Grains;
        var fleetId = $"bench-vb-{assets}";
        var fleet = grains.GetGrain<IFleetGrain>(fleetId);
        if (await Scenario.RegisterAsync(grains, fleetId, assets, options, storage, result) is null)
        {
            return result;
        }

        // Slices of equal size taking SoldShare of what the book lets them have.
        var book = grains.GetGrain<ISliceBookGrain>(fleetId);
        var free = await book.GetAsync();
        var powerKw = Math.Floor(SoldShare * free.FreePowerKw / slices);
        var energyKwh = Math.Floor(SoldShare * free.FreeEnergyKwh / slices);
        var ids = Enumerable.Range(0, slices).Select(i => $"{fleetId}-vb-{i}").ToArray();
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < slices; i++)
        {
            await grains.GetGrain<IVirtualBatteryGrain>(ids[i]).ConfigureAsync(new VirtualBatteryConfig($"trader-{i % 10}", fleetId, powerKw, energyKwh, 50));
        }

        Console.WriteLine($"  {slices:N0} slices of {powerKw:N0} kW / {energyKwh:N0} kWh booked in {sw.Elapsed.TotalSeconds:0.0} s");

        // Every slice scheduled for every slot of the run: even slices ±½ of their power, odd ones ∓¼, the sign
        // alternating per slot, so the net swings between +X and −X (X = M/8 of a slice's power) at each quarter hour.
        var rounds = options.Warmup + options.Dispatches;
        var first = QuarterHour.Floor(clock.GetUtcNow()) + QuarterHour.Length;
        double SliceKw(int slice, int round) => (round % 2 == 0 ? 1 : -1) * (slice % 2 == 0 ? 0.5 : -0.25) * powerKw;
        double NetKw(int round) => Enumerable.Range(0, slices).Sum(i => SliceKw(i, round));
        sw.Restart();
        await Task.WhenAll(Enumerable.Range(0, slices).Select(i => grains.GetGrain<IVirtualBatteryGrain>(ids[i]).SubmitScheduleAsync(
            new ScheduleRequest(first, [.. Enumerable.Range(0, rounds).Select(r => new ScheduleSlotRequest(SliceKw(i, r)))]))));
        Console.WriteLine($"  schedules of {rounds} slots stored for every slice in {sw.Elapsed.TotalSeconds:0.0} s; net ±{NetKw(0):N0} kW per slot");

        var fleetLevel = new DesignStats(FleetLevel);
        var sliced = new DesignStats(Slices);
        result.Designs.AddRange([fleetLevel, sliced]);
        for (var round = 0; round < rounds; round++)
        {
            var measured = round >= options.Warmup;
            var slot = first + (round * QuarterHour.Length);
            var line = new List<string>();

            // Re-validation of the slot (7 min ahead) happens here, off the clock.
            clock.Set(slot - TimeSpan.FromMinutes(7));
            await Task.Delay(TimeSpan.FromSeconds(1));

            // Fleet-level dispatch: the base target moves by what the slices' net is about to move by; with the fleet-level
            // target following the net (F = N), both steps are N(r) − N(r−1), ±2X once warm.
            var previousNetKw = round == 0 ? 0 : NetKw(round - 1);
            var step = NetKw(round) - previousNetKw;
            var fleetLevelKw = NetKw(round);
            var probe = ProbeStart.Now();
            var outcome = await fleet.DispatchAsync(new DispatchRequest(fleetLevelKw, options.Strategy, IncludeSetpoints: false));
            Record(fleetLevel, measured, round, probe.Stop(outcome.Rounds),
                Problem(outcome.AllocatedKw, outcome.ShortfallKw, outcome.UnacknowledgedCount, outcome.AcknowledgedCount, assets, fleetLevelKw + previousNetKw), line);

            // The slot: the book wakes on its clock re-check, asks every slice, nets, dispatches the fleet and tells every slice.
            var expectedKw = fleetLevelKw + NetKw(round);
            probe = ProbeStart.Now();
            clock.Set(slot);
            var problem = await WaitForSlotAsync(grains, fleet, ids, i => SliceKw(i, round), expectedKw);
            Record(sliced, measured, round, probe.Stop(1), problem, line);
            Console.WriteLine($"  {(measured ? "" : "warm-up ")}#{round + 1}/{rounds} step {step:+#,0;-#,0} kW | {string.Join(" | ", line)}");
        }

        foreach (var d in result.Designs)
        {
            Console.WriteLine($"  {d.Design,-22} p50 {d.Percentile(50),7:0.0}  p99 {d.Percentile(99),7:0.0}  max {d.Max,7:0.0} ms; failures {d.Failures}");
            foreach (var message in d.FailureMessages)
            {
                Console.WriteLine($"    failure: {message}");
            }
        }

        return result;
    }

    private static void Record(DesignStats stats, bool measured, int round, Sample sample, string? problem, List<string> line)
    {
        if (problem is not null)
        {
            stats.Fail($"{(measured ? "" : "warm-up ")}#{round + 1}: {problem}");
            line.Add($"{stats.Design} FAILED ({problem})");
            return;
        }

        if (measured)
        {
            stats.Add(sample);
        }

        line.Add($"{stats.Design} {sample.Ms:0} ms" + (sample.GcPauseMs >= 1 ? $" [gc {sample.GcPauseMs:0}]" : ""));
    }

    private static string? Problem(double allocatedKw, double shortfallKw, int unacknowledged, int acknowledged, int assets, double expectedKw)
    {
        if (Math.Abs(allocatedKw - expectedKw) > 0.01 + (1e-9 * Math.Abs(expectedKw)))
        {
            return $"allocated {allocatedKw:0.###} kW, expected {expectedKw:0.###} kW";
        }

        return shortfallKw != 0 || unacknowledged != 0 || acknowledged != assets
            ? $"shortfall {shortfallKw:0.###} kW, {acknowledged} acknowledged, {unacknowledged} not, of {assets}"
            : null;
    }

    /// <summary>
    /// Null once the fleet's base target is <paramref name="expectedKw"/> with all of it acknowledged and every slice
    /// holds its new setpoint; else what is missing when the bound ran out.
    /// </summary>
    private static async Task<string?> WaitForSlotAsync(
        IGrainFactory grains, IFleetGrain fleet, string[] ids, Func<int, double> sliceKw, double expectedKw)
    {
        var bound = Stopwatch.StartNew();
        var limit = TimeSpan.FromSeconds(60);
        FleetView? view = null;
        while (bound.Elapsed < limit)
        {
            view = await fleet.GetAsync();
            if (view is { Services.BaseTargetKw: { } baseKw, Dispatch.ShortfallKw: 0 } v && Math.Abs(baseKw - expectedKw) <= 0.01 && Math.Abs(v.Dispatch.AllocatedKw - expectedKw) <= 0.01)
            {
                break;
            }

            await Task.Delay(1);
        }

        if (bound.Elapsed >= limit)
        {
            return $"fleet base {view?.Services.BaseTargetKw:0.###} kW, allocated {view?.Dispatch.AllocatedKw:0.###} kW, expected {expectedKw:0.###} kW";
        }

        var waiting = Enumerable.Range(0, ids.Length).ToList();
        while (waiting.Count > 0 && bound.Elapsed < limit)
        {
            var views = await Task.WhenAll(waiting.Select(i => grains.GetGrain<IVirtualBatteryGrain>(ids[i]).GetAsync()));
            waiting = [.. waiting.Where((i, k) => views[k] is not { } s || Math.Abs(s.SetpointKw - sliceKw(i)) > 1e-6)];
            if (waiting.Count > 0)
            {
                await Task.Delay(1);
            }
        }

        return waiting.Count == 0 ? null : $"{waiting.Count} of {ids.Length} slices without their setpoint";
    }
}
