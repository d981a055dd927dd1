using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vpp.Grains;

namespace Vpp.Testing;

/// <summary>What varies between the in-process VPP silos of the benchmarks; see <see cref="InProcessSilo"/>.</summary>
public sealed class InProcessSiloOptions
{
    /// <summary>Orleans service id; storage rows are keyed by it.</summary>
    public string ServiceId { get; init; } = "vpp-in-process";

    /// <summary>Orleans cluster id; a fresh one per silo when null.</summary>
    public string? ClusterId { get; init; }

    /// <summary>The console log's threshold (single-line simple console).</summary>
    public LogLevel MinimumLogLevel { get; init; } = LogLevel.Warning;

    /// <summary>How long a graceful stop may take before the host is stopped anyway.</summary>
    public TimeSpan StopBudget { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Applied after the defaults: assets get no telemetry in a run, so <see cref="VppOptions.OfflineAfter"/> is an hour
    /// (the product default is 15 s) and the silence watchdog takes nobody offline mid-run.
    /// </summary>
    public Action<VppOptions>? ConfigureVpp { get; init; }

    /// <summary>Grain storage and reminders; memory storage and in-memory reminders when null.</summary>
    public Action<ISiloBuilder>? ConfigureStorage { get; init; }

    /// <summary>Anything else on the silo, after clustering and storage.</summary>
    public Action<ISiloBuilder>? ConfigureSilo { get; init; }

    /// <summary>Anything else on the host (log filters and providers, keyed services), before the grains are added.</summary>
    public Action<HostApplicationBuilder>? ConfigureHost { get; init; }
}
