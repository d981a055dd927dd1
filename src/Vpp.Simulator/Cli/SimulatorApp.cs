using Spectre.Console;
using Vpp.Domain.Assets;
using Vpp.Domain.Simulation;
using Vpp.Simulator.Engine;
using Vpp.Simulator.Gateway;
using Vpp.Simulator.Optimisation;
using Vpp.Simulator.Output;
using Vpp.Simulator.Scenarios;

namespace Vpp.Simulator.Cli;

/// <summary>One simulator run from parsed options: build the fleet, connect, register, run rounds, summarise.</summary>
public sealed class SimulatorApp(IAnsiConsole console, TimeProvider clock)
{
    public const int ExitOk = 0;
    public const int ExitUnavailable = 1;
    public const int ExitInvalidInput = 2;

    public async Task<int> RunAsync(SimulatorOptions options, CancellationToken cancellationToken)
    {
        SimulationRun run;
        IReadOnlyList<double>? prices = null;
        try
        {
            run = await BuildRunAsync(options, cancellationToken);
            if (options.OptimisePricesPath is { } pricePath)
            {
                prices = await PriceFile.LoadAsync(pricePath, options.OptimiseSlots, cancellationToken);
                run = run with { Duration = null };
            }
        }
        catch (ScenarioException ex)
        {
            console.MarkupLineInterpolated($"[red]Scenario {ex.ScenarioSource} cannot be used:[/]");
            foreach (var problem in ex.Problems)
            {
                console.MarkupLineInterpolated($"  [red]•[/] {problem}");
            }

            return ExitInvalidInput;
        }

        if (run.Problems().ToArray() is { Length: > 0 } problems)
        {
            foreach (var problem in problems)
            {
                console.MarkupLineInterpolated($"[red]{problem}[/]");
            }

            return ExitInvalidInput;
        }

        IAssetGateway gateway;
        try
        {
            gateway = await GatewayFactory.CreateAsync(options, cancellationToken);
        }
        catch (GatewayUnavailableException ex)
        {
            console.MarkupLineInterpolated($"[red]Cannot reach the VPP: {ex.Message}[/]");
            return ExitUnavailable;
        }

        await using var connected = gateway;
        var engine = new SimulationEngine(gateway, run, clock);
        console.MarkupLineInterpolated(
            $"Simulating [bold]{run.Assets.Count}[/] assets in fleet [bold]{run.FleetId}[/] against {gateway.Describe()} (seed {run.Seed}, every {run.Interval.TotalSeconds} s, for {run.Duration?.ToString() ?? "ever"})");

        int registered;
        try
        {
            registered = await RegisterAsync(engine, run.Assets.Count, cancellationToken);
        }
        catch (GatewayUnavailableException ex)
        {
            console.MarkupLineInterpolated($"[red]Cannot register the assets: {ex.Message}[/]");
            return ExitUnavailable;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitOk;
        }

        if (registered < run.Assets.Count)
        {
            var refused = engine.Devices.First(d => !d.Registered);
            console.MarkupLineInterpolated($"[yellow]{run.Assets.Count - registered} assets were refused, e.g. {refused.AssetId}: {refused.LastProblem}; they are retried each round[/]");
        }

        if (prices is not null)
        {
            var followed = await FollowOptimisedDayAsync(engine, gateway, run, prices, options.EndSocPercent, cancellationToken);
            if (followed != ExitOk)
            {
                return followed;
            }
        }
        else
        {
            await new LiveConsole(console).ShowRoundsAsync(onRound => engine.RunAsync(onRound, cancellationToken));
        }

        // Ctrl+C has cancelled the run's token: finishing (status hand-back, events) gets its own short budget.
        using var finishing = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var summary = await engine.FinishAsync(options.WorstCount, finishing.Token);
        SummaryView.Write(console, summary);
        await WriteFilesAsync(options, engine, run);
        return ExitOk;
    }

    /// <summary>The optimised day on the real clock, one round per interval, a line per slot; then its revenue table.</summary>
    private async Task<int> FollowOptimisedDayAsync(
        SimulationEngine engine, IAssetGateway gateway, SimulationRun run, IReadOnlyList<double> prices, double? endSocPercent, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(run.Interval, clock);
        try
        {
            var report = await new OptimisedDayRunner(engine, gateway, run, clock).RunAsync(
                prices, endSocPercent, async ct => await timer.WaitForNextTickAsync(ct), line => console.WriteLine(line), cancellationToken);
            if (report is not null)
            {
                OptimisedDayView.Write(console, report);
            }
        }
        catch (GatewayRefusedException ex)
        {
            console.MarkupLineInterpolated($"[red]No optimised schedule: {ex.Message}[/]");
            return ExitInvalidInput;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C: the summary covers what ran.
        }

        return ExitOk;
    }

    /// <summary>A progress bar on a terminal; one line when the output is redirected (a bar would print only its start).</summary>
    private async Task<int> RegisterAsync(SimulationEngine engine, int total, CancellationToken cancellationToken)
    {
        if (!new LiveConsole(console).Interactive)
        {
            var stopwatch = System.Diagnostics.Stopwatch.StartNew();
            var count = await engine.RegisterAsync(null, cancellationToken);
            console.MarkupLineInterpolated($"Registered {count}/{total} assets in {stopwatch.Elapsed.TotalSeconds:0.0} s");
            return count;
        }

        return await console.Progress().AutoClear(false).StartAsync(async progress =>
        {
            var task = progress.AddTask("registering assets", maxValue: total);
            return await engine.RegisterAsync(new Progress<int>(n => task.Value = n), cancellationToken);
        });
    }

    private async Task WriteFilesAsync(SimulatorOptions options, SimulationEngine engine, SimulationRun run)
    {
        if (options.CsvPath is { } csv)
        {
            await FleetCsv.WriteAsync(csv, engine.History);
            console.MarkupLineInterpolated($"Fleet output per round written to [bold]{csv}[/]");
        }

        if (options.PngPath is { } png)
        {
            FleetPlot.Save(png, engine.History, $"Fleet {run.FleetId}: {run.Assets.Count} simulated assets (seed {run.Seed})");
            console.MarkupLineInterpolated($"Fleet output plot written to [bold]{png}[/]");
        }
    }

    public static async Task<SimulationRun> BuildRunAsync(SimulatorOptions options, CancellationToken cancellationToken)
    {
        var scenario = options.ScenarioPath is { } path ? await ScenarioFile.LoadAsync(path, cancellationToken) : null;
        var fleetId = options.FleetId ?? scenario?.FleetId ?? SimulatorOptions.DefaultFleetId;
        if (EntityId.Problem(fleetId) is { } idProblem)
        {
            throw new ScenarioException("--fleet", [$"'{fleetId}' {idProblem}"]);
        }

        var assets = scenario is not null
            ? (scenario with { FleetId = fleetId }).CreateAssets(options.Seed)
            : new DemoMix(fleetId, options.AssetCount ?? SimulatorOptions.DefaultAssetCount).CreateAssets(options.Seed);
        return new SimulationRun
        {
            FleetId = fleetId,
            Assets = assets,
            Seed = options.Seed,
            Faults = options.Faults,
            Interval = options.Interval,
            Duration = options.Duration,
            BatchSize = options.BatchSize,
            StandingTargetKw = options.TargetKw,
            Physics = SimulationSettings.Default with
            {
                Solar = new SolarConditions { LatitudeDegrees = options.LatitudeDegrees, LongitudeDegrees = options.LongitudeDegrees },
            },
        };
    }
}
