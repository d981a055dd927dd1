using Vpp.Domain.Assets;
using Vpp.Domain.Simulation;
using Vpp.Simulator.Faults;
using Vpp.Simulator.Gateway;

namespace Vpp.Simulator.Engine;

/// <summary>
/// Runs simulated devices against a VPP like a device gateway: registers them, then every interval steps each
/// device's physics with the setpoint the VPP last gave it, reports the telemetry in batches, and learns the new
/// setpoints from the answers. Injected faults (outages, silence, ignored setpoints, noise) follow a seeded plan.
/// </summary>
/// <remarks>
/// Time comes only from the injected <see cref="TimeProvider"/>: each round simulates exactly the time that passed
/// since the previous one, so a late round does not distort the physics, and a test can drive rounds with a fake
/// clock through <see cref="RunRoundAsync"/>. A round that cannot reach the VPP is recorded, not fatal.
/// </remarks>
public sealed class SimulationEngine
{
    private readonly IAssetGateway _gateway;
    private readonly SimulationRun _run;
    private readonly TimeProvider _clock;
    private readonly List<RoundSnapshot> _history = [];
    private DateTimeOffset? _startedAt;
    private DateTimeOffset? _lastRoundAt;
    private readonly FleetEventTally _events = new();
    private bool _eventsStarted;
    private int _failedRounds;
    private bool _targetPending;
    private double _outputKwh;

    public SimulationEngine(IAssetGateway gateway, SimulationRun run, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(clock);
        if (run.Problems().FirstOrDefault() is { } problem)
        {
            throw new ArgumentException(problem, nameof(run));
        }

        _gateway = gateway;
        _run = run;
        _clock = clock;
        _targetPending = run.StandingTargetKw is not null;
        var faults = FaultPlanner.Plan(run.Assets.Count, run.Faults, run.FaultHorizon, run.Seed);
        Devices = run.Assets
            .Select((a, i) => new SimulatedDevice(a.AssetId, SimulatedAsset.Create(a.Spec, new Random(a.SimulationSeed), run.Physics), faults[i]))
            .ToArray();
    }

    public IReadOnlyList<SimulatedDevice> Devices { get; }

    public IReadOnlyList<RoundSnapshot> History => _history;

    /// <summary>Registers every device (in batches); devices that fail are retried at the start of each later round.</summary>
    public async Task<int> RegisterAsync(IProgress<int>? progress, CancellationToken cancellationToken)
    {
        if (!_eventsStarted)
        {
            try
            {
                await _events.StartAsync(_gateway, _run.FleetId, cancellationToken);
            }
            catch (Exception ex) when (IsTransient(ex, cancellationToken))
            {
                // Then every retained event counts; registration below reports the real problem, if any.
            }

            _eventsStarted = true;
        }

        foreach (var batch in Devices.Where(d => !d.Registered).Chunk(_run.BatchSize))
        {
            await RegisterBatchAsync(batch, cancellationToken);
            progress?.Report(Devices.Count(d => d.Registered));
        }

        return Devices.Count(d => d.Registered);
    }

    /// <summary>
    /// Rounds until the duration is over or <paramref name="cancellationToken"/> fires (Ctrl+C); either way a clean end.
    /// Registration must have been done (see <see cref="RegisterAsync"/>).
    /// </summary>
    public async Task RunAsync(Action<RoundSnapshot>? onRound, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_run.Interval, _clock);
        try
        {
            do
            {
                var snapshot = await RunRoundAsync(cancellationToken);
                onRound?.Invoke(snapshot);
                if (_run.Duration is { } duration && snapshot.Elapsed >= duration)
                {
                    break;
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C: stop between (or in the middle of) rounds; the summary covers what ran.
        }
    }

    /// <summary>One round at the clock's current time; returns what the fleet did.</summary>
    public async Task<RoundSnapshot> RunRoundAsync(CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        _startedAt ??= now;
        var elapsed = now - _startedAt.Value;
        var step = _lastRoundAt is { } last ? now - last : _run.Interval;
        if (step <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("the clock has not moved since the last round");
        }

        _lastRoundAt = now;
        string? problem = null;
        try
        {
            if (Devices.Any(d => !d.Registered))
            {
                await RegisterAsync(null, cancellationToken);
            }

            await ReportStatusChangesAsync(elapsed, cancellationToken);
        }
        catch (Exception ex) when (IsTransient(ex, cancellationToken))
        {
            problem = ex.Message;
        }

        var totals = new RoundTotals();
        var batch = new List<(SimulatedDevice Device, AssetTelemetry Sample)>(Devices.Count);
        foreach (var device in Devices)
        {
            if (StepDevice(device, step, now, elapsed, totals) is { } telemetry)
            {
                batch.Add((device, new AssetTelemetry(device.AssetId, telemetry)));
            }
        }

        _outputKwh += totals.OutputKw * step.TotalHours;
        var (reporting, refused, reportProblem) = await ReportTelemetryAsync(batch, cancellationToken);
        problem ??= reportProblem;
        FleetSnapshot? fleet = null;
        try
        {
            fleet = await _gateway.GetFleetAsync(_run.FleetId, cancellationToken);
        }
        catch (Exception ex) when (IsTransient(ex, cancellationToken))
        {
            problem ??= ex.Message;
        }

        if (fleet is not null && _targetPending)
        {
            problem ??= await TrySetStandingTargetAsync(fleet, reporting, cancellationToken);
        }

        await _events.CatchUpAsync(_gateway, _run.FleetId, cancellationToken);
        _failedRounds += problem is null ? 0 : 1;
        var snapshot = new RoundSnapshot(
            _history.Count + 1, now, elapsed, Devices.Count, reporting,
            Devices.Count(d => d.ReportedOffline), Devices.Count(d => d.IsSilent),
            totals.RequestedKw, totals.DeliveredKw, totals.OutputKw,
            fleet?.TargetKw, fleet?.OnlineCount ?? 0, refused, problem);
        _history.Add(snapshot);
        return snapshot;
    }

    /// <summary>
    /// Ends the run: hands back assets this run reported offline (so the next run does not find them stuck offline)
    /// and summarises. Uses its own token: it runs after Ctrl+C has cancelled the run's.
    /// </summary>
    public async Task<SimulationSummary> FinishAsync(int worstCount, CancellationToken cancellationToken)
    {
        foreach (var device in Devices.Where(d => d.ReportedOffline))
        {
            try
            {
                await _gateway.ReportStatusAsync(device.AssetId, AssetStatus.Online, "simulator stopped: outage over", cancellationToken);
                device.ReportedOffline = false;
            }
            catch (Exception ex) when (IsTransient(ex, cancellationToken))
            {
                device.LastProblem = ex.Message;
            }
        }

        await _events.CatchUpAsync(_gateway, _run.FleetId, cancellationToken);
        var worst = Devices
            .Where(d => d.DeviationKwh > 1e-9)
            .OrderByDescending(d => d.DeviationKwh)
            .ThenBy(d => d.AssetId, StringComparer.Ordinal)
            .Take(worstCount)
            .Select(d => new AssetDeviation(d.AssetId, d.Spec.Kind.ToWire(), d.RequestedKwh, d.DeliveredKwh, d.DeviationKwh, Why(d)))
            .ToArray();
        var byKind = Devices
            .GroupBy(d => d.Spec.Kind)
            .OrderBy(g => g.Key)
            .Select(g => new KindDelivery(g.Key.ToWire(), g.Count(), g.Sum(d => d.RequestedKwh), g.Sum(d => d.DeliveredKwh), g.Sum(d => d.DeviationKwh)))
            .ToArray();
        var elapsed = _history.Count > 0 ? _history[^1].Elapsed : TimeSpan.Zero;
        return new SimulationSummary(
            _history.Count, elapsed, Devices.Count, Devices.Count(d => d.Registered),
            Devices.Sum(d => d.RequestedKwh), Devices.Sum(d => d.DeliveredKwh), _outputKwh,
            byKind, worst, _events.Count("dispatch"), _events.Count("reallocation"), _events.ReallocationMessages, _failedRounds, _events.Problem);
    }

    /// <summary>
    /// Sets the standing target once the VPP sees (almost) every reporting asset online — assets reach the fleet through
    /// partitions asynchronously — or after a few rounds whatever it sees.
    /// </summary>
    private async Task<string?> TrySetStandingTargetAsync(FleetSnapshot fleet, int reporting, CancellationToken cancellationToken)
    {
        const int maxWaitRounds = 5;
        if (fleet.OnlineCount == 0 || (fleet.OnlineCount < 0.9 * reporting && _history.Count < maxWaitRounds))
        {
            return null;
        }

        try
        {
            await _gateway.DispatchAsync(_run.FleetId, _run.StandingTargetKw!.Value, cancellationToken);
            _targetPending = false;
            return null;
        }
        catch (Exception ex) when (IsTransient(ex, cancellationToken))
        {
            return $"setting the standing target failed: {ex.Message}";
        }
    }

    private Telemetry? StepDevice(SimulatedDevice device, TimeSpan step, DateTimeOffset now, TimeSpan elapsed, RoundTotals totals)
    {
        device.IsSilent |= device.Faults.Silent?.Contains(elapsed) == true;
        device.Physics.Faults = new SimulationFaults
        {
            // An asset in an outage sends nothing either: its owner said it is offline.
            Silent = device.IsSilent || device.ReportedOffline || !device.Registered,
            IgnoresSetpoints = device.Faults.IgnoresSetpoints,
            TelemetryNoisePercent = device.Faults.TelemetryNoisePercent,
        };

        // In an outage the VPP no longer controls the asset: it idles as it would without instructions.
        var setpointKw = device.ReportedOffline ? null : device.SetpointKw;
        var telemetry = device.Physics.Step(step, now, setpointKw);
        var outputKw = device.Physics.ActivePowerKw;
        totals.OutputKw += outputKw;
        if (setpointKw is { } requestedKw)
        {
            var hours = step.TotalHours;
            device.RequestedKwh += requestedKw * hours;
            device.DeliveredKwh += outputKw * hours;
            device.DeviationKwh += Math.Abs(requestedKw - outputKw) * hours;
            totals.RequestedKw += requestedKw;
            totals.DeliveredKw += outputKw;
        }

        return telemetry;
    }

    private async Task ReportStatusChangesAsync(TimeSpan elapsed, CancellationToken cancellationToken)
    {
        foreach (var device in Devices)
        {
            var inOutage = device.Registered && device.Faults.Offline?.Contains(elapsed) == true;
            if (inOutage == device.ReportedOffline)
            {
                continue;
            }

            var outcome = inOutage
                ? await _gateway.ReportStatusAsync(device.AssetId, AssetStatus.Offline, "simulated outage", cancellationToken)
                : await _gateway.ReportStatusAsync(device.AssetId, AssetStatus.Online, "simulated outage over", cancellationToken);
            if (outcome.Accepted)
            {
                device.ReportedOffline = inOutage;
            }
            else
            {
                device.LastProblem = outcome.Problem;
            }
        }
    }

    private async Task<(int Reporting, int Refused, string? Problem)> ReportTelemetryAsync(
        List<(SimulatedDevice Device, AssetTelemetry Sample)> batch, CancellationToken cancellationToken)
    {
        var reporting = 0;
        var refused = 0;
        string? problem = null;
        var chunks = batch.Chunk(_run.BatchSize).ToArray();
        var receipts = new IReadOnlyList<TelemetryReceipt>?[chunks.Length];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, chunks.Length),
            new ParallelOptions { MaxDegreeOfParallelism = _run.MaxConcurrentBatches, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                try
                {
                    receipts[i] = await _gateway.ReportTelemetryAsync(chunks[i].Select(c => c.Sample).ToArray(), ct);
                }
                catch (Exception ex) when (IsTransient(ex, ct))
                {
                    Interlocked.CompareExchange(ref problem, ex.Message, null);
                }
            });

        for (var i = 0; i < chunks.Length; i++)
        {
            if (receipts[i] is not { } answered)
            {
                continue; // the VPP was unreachable for this chunk: devices keep their last setpoint
            }

            for (var j = 0; j < chunks[i].Length && j < answered.Count; j++)
            {
                var device = chunks[i][j].Device;
                var receipt = answered[j];
                if (receipt.Accepted)
                {
                    reporting++;
                    device.SetpointKw = receipt.SetpointKw;
                }
                else
                {
                    refused++;
                    device.TelemetryRefused++;
                    device.LastProblem = receipt.Problem;
                }
            }
        }

        return (reporting, refused, problem);
    }

    private async Task RegisterBatchAsync(SimulatedDevice[] batch, CancellationToken cancellationToken)
    {
        var outcomes = await _gateway.RegisterAsync(batch.Select(d => new AssetRegistration(d.AssetId, d.Spec)).ToArray(), cancellationToken);
        for (var i = 0; i < batch.Length && i < outcomes.Count; i++)
        {
            batch[i].Registered = outcomes[i].Accepted;
            batch[i].LastProblem = outcomes[i].Accepted ? batch[i].LastProblem : outcomes[i].Problem;
        }
    }

    private static string Why(SimulatedDevice device) => device switch
    {
        { IsSilent: true } => "went silent",
        { Faults.Offline: not null } => "had an outage",
        { Faults.IgnoresSetpoints: true } => "ignores setpoints",
        { TelemetryRefused: > 0 } => $"telemetry refused: {device.LastProblem}",
        _ => device.Spec.Kind switch
        {
            AssetKind.Battery => "ramp, SoC limits",
            AssetKind.Solar or AssetKind.Wind => "weather, ramp",
            AssetKind.Chp => "min up/down time, ramp",
            _ => "ramp, rebound",
        },
    };

    /// <summary>Failures of the VPP or the link are part of what a gateway lives with; a cancelled run is not a failure.</summary>
    private static bool IsTransient(Exception ex, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && ex is GatewayUnavailableException or HttpRequestException or TimeoutException or TaskCanceledException;

    private sealed class RoundTotals
    {
        public double RequestedKw { get; set; }

        public double DeliveredKw { get; set; }

        public double OutputKw { get; set; }
    }
}
