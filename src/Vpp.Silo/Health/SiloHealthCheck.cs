using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace Vpp.Silo.Health;

/// <summary>
/// Healthy once the silo is active in its cluster; unhealthy again as soon as the host begins to stop, so a
/// load balancer drains this silo before its grains move away (rolling update).
/// </summary>
public sealed class SiloHealthCheck(ISiloStatusOracle oracle, IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            lifetime.ApplicationStopping.IsCancellationRequested ? HealthCheckResult.Unhealthy("silo stopping")
            : oracle.CurrentStatus == SiloStatus.Active ? HealthCheckResult.Healthy("silo active")
            : HealthCheckResult.Unhealthy($"silo {oracle.CurrentStatus}"));
}
