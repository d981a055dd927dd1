using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.GridServices;

namespace Vpp.Benchmarks;

/// <summary>
/// Frequency → setpoints: the fleet holds an FCR band of ±share × capacity around a base of 0 kW, and each
/// measurement alternates between 49.8 and 50.2 Hz, so every one moves the whole fleet by the same ±share × capacity
/// the plain dispatch design moves it (the same-run baseline). Timed is one grain call from the in-process client:
/// IGridAreaGrain.ReportFrequencyAsync, which answers once every contracted fleet has had all of its assets
/// acknowledge setpoints that include the measurement. The burst design sends 10 measurements at once and times
/// until all are answered: the fleet coalesces them, so it should cost far less than 10 sequential ones.
/// </summary>
public static class FrequencyResponse
{
    public const string Single = "frequency";
    public const string Burst = "frequency×10 burst";
    public const string Deadband = "frequency→deadband (SoC corrections)";
    private const int BurstSize = 10;

    public static async Task<IReadOnlyList<DesignStats>> MeasureAsync(IGrainFactory grains, string fleetId, double capacityKw, BenchOptions options)
    {
        var fleet = grains.GetGrain<IFleetGrain>(fleetId);
        var services = grains.GetGrain<IFleetGridServicesGrain>(fleetId);
        var area = grains.GetGrain<IGridAreaGrain>(GridAreas.ContinentalEurope);
        var contractedKw = Math.Round(options.Share * capacityKw, 3);
        await area.ReportFrequencyAsync(new FrequencyMeasurement(50));
        await fleet.DispatchAsync(new DispatchRequest(0, options.Strategy, IncludeSetpoints: false));
        var from = Domain.Schedules.QuarterHour.Floor(DateTimeOffset.UtcNow);
        await services.SetFcrContractAsync(new FcrAwardInput(contractedKw, From: from, To: from.AddDays(1)));
        var single = new DesignStats(Single);
        var burst = new DesignStats(Burst);
        var deadband = options.SocSpread ? new DesignStats(Deadband) : null;
        var total = options.Warmup + options.Dispatches;
        Console.WriteLine($"  frequency response: FCR ±{contractedKw:N0} kW on a base of 0 kW, measurements alternating 49.8 / 50.2 Hz; {options.Warmup} warm-up + {options.Dispatches} measured");
        try
        {
            for (var round = 0; round < total; round++)
            {
                var measured = round >= options.Warmup;
                var low = round % 2 == 0;
                var expectedKw = low ? contractedKw : -contractedKw;

                var before = (await fleet.GetAsync())!.Dispatch.AllocatedKw;
                var probe = ProbeStart.Now();
                var applied = await area.ReportFrequencyAsync(new FrequencyMeasurement(low ? 49.8 : 50.2));
                var sample = probe.Stop(1);
                var problem = Math.Abs(before - expectedKw) < 0.5 * contractedKw
                    ? $"the fleet already held {before:0.###} kW: the measurement moved nothing"
                    : await CheckAsync(fleet, applied, expectedKw);
                Record(single, sample, problem, measured, round);

                // A burst flipping sides, ending near where the single one left the fleet (so the next single one moves
                // every asset again): each measurement would need a dispatch of its own, the fleet coalesces them.
                probe = ProbeStart.Now();
                var sends = Enumerable.Range(0, BurstSize)
                    .Select(i => area.ReportFrequencyAsync(new FrequencyMeasurement(BurstFrequency(i, low))))
                    .ToArray();
                await Task.WhenAll(sends);
                var burstSample = probe.Stop(BurstSize);
                var burstProblem = await CheckBurstAsync(fleet, contractedKw);
                Record(burst, burstSample, burstProblem, measured, round);
                var deadbandLine = "";
                if (deadband is not null)
                {
                    // Back to 50.000 Hz: no response, so every battery outside its SoC window gets its own correction.
                    probe = ProbeStart.Now();
                    var back = await area.ReportFrequencyAsync(new FrequencyMeasurement(50.0));
                    var deadbandSample = probe.Stop(1);
                    var (deadbandProblem, socKw) = await CheckDeadbandAsync(fleet, back, contractedKw);
                    Record(deadband, deadbandSample, deadbandProblem, measured, round);
                    deadbandLine = $" | deadband {deadbandSample.Ms:0} ms (net SoC correction {socKw:0} kW){(deadbandProblem is null ? "" : $" FAILED ({deadbandProblem})")}";
                }

                Console.WriteLine(
                    $"  {(measured ? "" : "warm-up ")}#{round + 1}/{total} {(low ? "49.8" : "50.2")} Hz | {Single} {sample.Ms:0} ms{(problem is null ? "" : $" FAILED ({problem})")}"
                    + $" | {Burst} {burstSample.Ms:0} ms{(burstProblem is null ? "" : $" FAILED ({burstProblem})")}" + deadbandLine);
            }
        }
        finally
        {
            await services.EndFcrContractsAsync();
        }

        return deadband is null ? [single, burst] : [single, burst, deadband];
    }

    /// <summary>Odd ones on the single measurement's side, even ones on the other; the last (odd) ends 1 mHz short of ±200 mHz.</summary>
    private static double BurstFrequency(int i, bool low)
    {
        var sameSide = i % 2 == 1;
        var lowSide = sameSide == low;
        var offsetHz = 0.001 * (1 + ((BurstSize - 1 - i) / 2));
        return lowSide ? 49.8 + offsetHz : 50.2 - offsetHz;
    }

    private static void Record(DesignStats stats, Sample sample, string? problem, bool measured, int round)
    {
        if (problem is not null)
        {
            stats.Fail($"#{round + 1}: {problem}");
        }
        else if (measured)
        {
            stats.Add(sample);
        }
    }

    private static async Task<string?> CheckAsync(IFleetGrain fleet, FrequencyApplied applied, double expectedKw)
    {
        if (applied.FailedFleetIds.Length > 0)
        {
            return $"fleet(s) failed: {string.Join(", ", applied.FailedFleetIds)}";
        }

        var view = (await fleet.GetAsync())!;
        return Math.Abs(view.Dispatch.AllocatedKw - expectedKw) > 0.01 + (1e-9 * Math.Abs(expectedKw))
            ? $"allocated {view.Dispatch.AllocatedKw:0.###} kW, response {expectedKw:0.###} kW"
            : null;
    }

    /// <summary>Inside the deadband the fleet must hold its composed target (base + the batteries' net correction).</summary>
    private static async Task<(string? Problem, double SocKw)> CheckDeadbandAsync(IFleetGrain fleet, FrequencyApplied applied, double contractedKw)
    {
        if (applied.FailedFleetIds.Length > 0)
        {
            return ($"fleet(s) failed: {string.Join(", ", applied.FailedFleetIds)}", 0);
        }

        var view = (await fleet.GetAsync())!;
        var socKw = view.Services.Fcr?.SocManagementKw ?? 0;
        var problem = view.Services.Fcr?.ResponseKw != 0 || Math.Abs(view.Dispatch.AllocatedKw - (view.Dispatch.TargetKw ?? double.NaN)) > 0.01 + (1e-9 * contractedKw)
            ? $"allocated {view.Dispatch.AllocatedKw:0.###} kW, target {view.Dispatch.TargetKw:0.###} kW, response {view.Services.Fcr?.ResponseKw:0.###} kW"
            : null;
        return (problem, socKw);
    }

    /// <summary>After a burst the assets must hold the response to the newest measurement the fleet saw, not an older one.</summary>
    private static async Task<string?> CheckBurstAsync(IFleetGrain fleet, double contractedKw)
    {
        var view = (await fleet.GetAsync())!;
        var expectedKw = view.Services.Fcr?.ResponseKw ?? double.NaN;
        return Math.Abs(view.Dispatch.AllocatedKw - expectedKw) > 0.01 + (1e-9 * contractedKw)
            ? $"allocated {view.Dispatch.AllocatedKw:0.###} kW, response to the newest {expectedKw:0.###} kW"
            : null;
    }
}
