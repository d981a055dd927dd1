using System.Diagnostics;
using Microsoft.Extensions.Options;
using Orleans;
using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Assets;
using Vpp.Domain.Simulation;

namespace Vpp.Silo.Demo;

/// <summary>
/// Plays a fleet of simulated devices into the silo, the way device gateways would: it registers the demo fleet,
/// then every <see cref="DemoFleetOptions.TelemetryInterval"/> steps each device with the setpoint its asset grain
/// last accepted and reports the resulting telemetry. Once assets are online it sets a standing target on the fleet.
/// </summary>
/// <remarks>
/// Cost: two grain calls per asset per round (<see cref="IAssetGrain.GetAsync"/> for the setpoint, then
/// <see cref="IAssetGrain.ReportTelemetryAsync"/>), so 1,000 assets every 2 s are 1,000 calls/s. GetAsync interleaves
/// (it never queues behind a dispatch) and returns an immutable view, so in-silo it is not copied; across silos each
/// call carries the spec and live state, a few hundred bytes. A telemetry call that answered with the current setpoint
/// would halve the calls.
/// Failed grain calls are logged and the round goes on; the service never takes the host down.
/// </remarks>
public sealed partial class DemoFleetService(
    IGrainFactory grains,
    IOptions<DemoFleetOptions> options,
    TimeProvider clock,
    IHostApplicationLifetime lifetime,
    ILogger<DemoFleetService> logger) : BackgroundService
{
    /// <summary>Rounds after the first telemetry to wait for the fleet to see its assets online before setting the target anyway.</summary>
    private const int TargetWaitRounds = 5;

    /// <summary>Attempts at the initial target before giving up on it.</summary>
    private const int TargetAttempts = 5;

    private readonly DemoFleetOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            return;
        }

        try
        {
            await WaitForHostStartedAsync(stoppingToken);
            var devices = DemoFleetFactory.Create(_options.FleetId, _options.AssetCount, _options.Seed)
                .Select(a => new Device(a.AssetId, a.Spec, a.CreateSimulator()))
                .ToArray();
            await RegisterAsync(devices, stoppingToken);
            await RunAsync(devices, stoppingToken);
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // Host shutdown: whatever was in flight no longer matters.
        }
        catch (Exception ex)
        {
            LogStopped(ex);
        }
    }

    /// <summary>Grain calls need a running silo; the host has started it once ApplicationStarted fires.</summary>
    private async Task WaitForHostStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);
    }

    private async Task RegisterAsync(Device[] devices, CancellationToken stoppingToken)
    {
        LogRegistering(devices.Length, _options.FleetId, _options.Seed);
        var stopwatch = Stopwatch.StartNew();
        var registered = 0;
        var failed = 0;
        foreach (var batch in devices.Chunk(_options.RegistrationBatchSize))
        {
            var errors = new Errors();
            await Parallel.ForEachAsync(batch, Parallelism(stoppingToken), async (device, ct) =>
            {
                try
                {
                    await grains.GetGrain<IAssetGrain>(device.AssetId).ConfigureAsync(device.Spec);
                    device.Registered = true;
                    Interlocked.Increment(ref registered);
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    errors.Add(device.AssetId, ex);
                    Interlocked.Increment(ref failed);
                }
            });

            if (errors.First is { } first)
            {
                LogRegistrationFailures(errors.Count, first.AssetId, first.Error.Message);
            }

            LogRegistrationProgress(registered, devices.Length, failed, _options.FleetId);
        }

        LogRegistered(registered, devices.Length, failed, stopwatch.ElapsedMilliseconds);
    }

    private async Task RunAsync(Device[] devices, CancellationToken stoppingToken)
    {
        var target = _options.InitialTargetFraction is null ? TargetProgress.Done : TargetProgress.Waiting;
        var targetFailures = 0;
        var round = 0;
        using var timer = new PeriodicTimer(_options.TelemetryInterval, clock);
        do
        {
            round++;
            await RunRoundAsync(devices, stoppingToken);
            if (target != TargetProgress.Done)
            {
                target = await TrySetInitialTargetAsync(devices, round, targetFailures + 1);
                targetFailures += target == TargetProgress.Failed ? 1 : 0;
                target = targetFailures >= TargetAttempts ? TargetProgress.Done : target;
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One telemetry round: every device steps with its grain's setpoint and reports what it did.</summary>
    private async Task RunRoundAsync(Device[] devices, CancellationToken stoppingToken)
    {
        var now = clock.GetUtcNow();
        var stopwatch = Stopwatch.StartNew();
        var errors = new Errors();
        var reported = 0;
        await Parallel.ForEachAsync(devices, Parallelism(stoppingToken), async (device, ct) =>
        {
            try
            {
                if (await StepAsync(device, now))
                {
                    Interlocked.Increment(ref reported);
                }
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                if (ex is NotFoundException)
                {
                    device.Registered = false; // e.g. storage was reset: register again next round
                }

                errors.Add(device.AssetId, ex);
            }
        });

        var elapsed = stopwatch.Elapsed;
        if (errors.First is { } first)
        {
            LogRoundFailures(errors.Count, devices.Length, first.AssetId, first.Error.Message);
        }

        if (elapsed > _options.TelemetryInterval)
        {
            LogRoundOverran((long)elapsed.TotalMilliseconds, (long)_options.TelemetryInterval.TotalMilliseconds);
        }

        LogRound(reported, devices.Length, (long)elapsed.TotalMilliseconds);
    }

    private async Task<bool> StepAsync(Device device, DateTimeOffset now)
    {
        if (device.LastStepAt is { } previous && now <= previous)
        {
            return false; // the clock has not moved on (a fake clock): nothing to simulate
        }

        var grain = grains.GetGrain<IAssetGrain>(device.AssetId);
        if (!device.Registered)
        {
            await grain.ConfigureAsync(device.Spec);
            device.Registered = true;
        }

        var view = await grain.GetAsync() ?? throw new NotFoundException("asset", device.AssetId);

        // Physics runs on the time that really passed for this device, even if it missed rounds or a round ran late.
        var duration = device.LastStepAt is { } last ? now - last : _options.TelemetryInterval;
        device.LastStepAt = now;
        var telemetry = device.Simulator.Step(duration, now, view.Live.SetpointKw);
        if (telemetry is null)
        {
            return false; // a silent device
        }

        await grain.ReportTelemetryAsync(telemetry);
        return true;
    }

    /// <summary>
    /// Sets the standing target once the fleet sees (almost) all registered assets online, or after a few rounds
    /// whatever it sees, as long as some are online.
    /// </summary>
    private async Task<TargetProgress> TrySetInitialTargetAsync(Device[] devices, int round, int attempt)
    {
        var fleetId = _options.FleetId;
        try
        {
            var fleet = grains.GetGrain<IFleetGrain>(fleetId);
            var view = await fleet.GetAsync();
            if (view is null)
            {
                return TargetProgress.Waiting;
            }

            if (view.Dispatch.TargetKw is { } existingKw)
            {
                LogTargetKept(fleetId, existingKw);
                return TargetProgress.Done;
            }

            var registered = devices.Count(d => d.Registered);
            if (view.Counts.OnlineCount == 0 || (view.Counts.OnlineCount < 0.9 * registered && round < TargetWaitRounds))
            {
                return TargetProgress.Waiting; // partitions report capacity up asynchronously: give them a round or two
            }

            var targetKw = Math.Round(_options.InitialTargetFraction!.Value * view.Capacity.MaxKw, 1);
            var result = await fleet.DispatchAsync(new DispatchRequest(targetKw, IncludeSetpoints: false));
            LogTargetSet(fleetId, targetKw, view.Counts.OnlineCount, view.Capacity.MaxKw, result.AllocatedKw, result.ShortfallKw);
            return TargetProgress.Done;
        }
        catch (Exception ex)
        {
            LogTargetFailed(fleetId, attempt, TargetAttempts, ex.Message);
            return TargetProgress.Failed;
        }
    }

    private ParallelOptions Parallelism(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = _options.MaxConcurrency, CancellationToken = cancellationToken };

    private enum TargetProgress
    {
        Waiting,
        Failed,
        Done,
    }

    /// <summary>A simulated device and what the service knows about its grain. Touched by one worker at a time.</summary>
    private sealed class Device(string assetId, AssetSpec spec, SimulatedAsset simulator)
    {
        public string AssetId { get; } = assetId;

        public AssetSpec Spec { get; } = spec;

        public SimulatedAsset Simulator { get; } = simulator;

        public bool Registered { get; set; }

        public DateTimeOffset? LastStepAt { get; set; }
    }

    /// <summary>Counts failures from parallel workers and keeps the first, so a round logs one line, not a thousand.</summary>
    private sealed class Errors
    {
        private readonly Lock _gate = new();
        private int _count;
        private (string AssetId, Exception Error)? _first;

        public int Count => Volatile.Read(ref _count);

        public (string AssetId, Exception Error)? First
        {
            get
            {
                lock (_gate)
                {
                    return _first;
                }
            }
        }

        public void Add(string assetId, Exception error)
        {
            Interlocked.Increment(ref _count);
            lock (_gate)
            {
                _first ??= (assetId, error);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo fleet: registering {Count} simulated assets in fleet {FleetId} (seed {Seed})")]
    private partial void LogRegistering(int count, string fleetId, int seed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo fleet: registered {Registered}/{Total} assets in fleet {FleetId} ({Failed} failed)")]
    private partial void LogRegistrationProgress(int registered, int total, int failed, string fleetId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo fleet: {Count} registration(s) failed in this batch, first {AssetId}: {Error}; they are retried in the telemetry rounds")]
    private partial void LogRegistrationFailures(int count, string assetId, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo fleet: registration done, {Registered}/{Total} assets ({Failed} failed) in {ElapsedMs} ms")]
    private partial void LogRegistered(int registered, int total, int failed, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Demo fleet: {Reported}/{Total} assets reported telemetry in {ElapsedMs} ms")]
    private partial void LogRound(int reported, int total, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo fleet: {Failed}/{Total} assets failed this round, first {AssetId}: {Error}")]
    private partial void LogRoundFailures(int failed, int total, string assetId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo fleet: a telemetry round took {ElapsedMs} ms, longer than the {IntervalMs} ms interval; rounds are skipped to catch up")]
    private partial void LogRoundOverran(long elapsedMs, long intervalMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo fleet {FleetId} keeps its standing target of {TargetKw} kW")]
    private partial void LogTargetKept(string fleetId, double targetKw);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo fleet {FleetId}: standing target {TargetKw} kW set ({OnlineCount} assets online, max {MaxKw} kW); allocated {AllocatedKw} kW, shortfall {ShortfallKw} kW")]
    private partial void LogTargetSet(string fleetId, double targetKw, int onlineCount, double maxKw, double allocatedKw, double shortfallKw);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo fleet {FleetId}: setting the standing target failed (attempt {Attempt} of {MaxAttempts}): {Error}")]
    private partial void LogTargetFailed(string fleetId, int attempt, int maxAttempts, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Demo fleet stopped after an unexpected error; the silo keeps running")]
    private partial void LogStopped(Exception error);
}
