using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;
using Orleans.Storage;
using Vpp.Grains;

namespace Vpp.Silo.Health;

/// <summary>
/// Healthy when the grain storage answers a read. It goes through the configured provider itself (PostgreSQL,
/// SQLite or memory), so it tests what grains depend on, not merely that a socket opens.
/// </summary>
public sealed partial class StorageHealthCheck(
    [FromKeyedServices(VppOptions.StorageName)] IGrainStorage storage, ILogger<StorageHealthCheck> logger) : IHealthCheck
{
    /// <summary>A state name and key no grain uses: the read finds nothing and changes nothing.</summary>
    private const string ProbeStateName = "vppHealthProbe";

    private static readonly GrainId ProbeGrainId = GrainId.Create("vpp-health", "probe");

    public static TimeSpan Timeout { get; } = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await storage.ReadStateAsync(ProbeStateName, ProbeGrainId, new GrainState<ProbeState>()).WaitAsync(Timeout, cancellationToken);
            return HealthCheckResult.Healthy("grain storage answers");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogStorageUnhealthy(ex);
            return HealthCheckResult.Unhealthy($"grain storage does not answer: {ex.GetBaseException().Message}");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Readiness: grain storage does not answer")]
    private partial void LogStorageUnhealthy(Exception exception);

    /// <summary>Never written, so never serialized.</summary>
    private sealed class ProbeState;
}
